"""``inv status``: what a build would do, and what each image has been through, without building.

For each variant, each image is current (its tag carries the input hash of
its inputs now), stale (and which input changed: the Dockerfile, a context
file, the parent), or missing; then whether image-test passed for the id it
has now, and whether ``:latest`` names that id. The same no-op path as
``inv build`` (hashes and raw GETs), so it takes well under a second.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockbuild import runstore
from dockbuild.build import lastinputs
from dockbuild.build import run as buildrun
from dockbuild.engine import tags
from dockbuild.evidence import Evidence
from dockbuild.inputs import manifest as manifest_mod
from dockbuild.inputs import variants

FORMATS = ("text", "json")
_LATEST = {True: "yes", False: "no", None: "-"}


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One image of one variant, as it stands."""

    variant: str
    image: str
    state: str  # current, stale, missing
    why: tuple[str, ...]
    tested: str  # passed, failed, not tested, tested an older image
    promoted: bool | None  # None: :latest is another variant's
    image_id: str

    def to_dict(self) -> dict[str, Any]:
        """Return the row as ``--format json`` prints it."""
        return {**dataclasses.asdict(self), "why": list(self.why)}


def cells(manifest: manifest_mod.Manifest, python: str | None,
          platform: str | None) -> list[tuple[str, str]]:
    """Return the (python, platform) cells asked for: one, or every variant of the manifest."""
    pythons = [variants.target(manifest, python, None)[0]] if python else \
        list(manifest.variants.python)
    platforms = [variants.target(manifest, None, platform)[1]] if platform else \
        list(manifest.variants.platforms)
    return [(py, plat) for py in pythons for plat in platforms]


def _tested(records: Sequence[Evidence], image_id: str) -> str:
    if not image_id:
        return "-"
    mine = [r for r in records if r.image_id == image_id]
    if not mine:
        return "tested an older image" if records else "not tested"
    failed = sum(r.failed for r in mine)
    return f"failed ({failed})" if failed else "passed"


def rows(root: Path, python: str | None = None, platform: str | None = None,
         manifest: manifest_mod.Manifest | None = None) -> list[Row]:
    """Return every image's row of the cells asked for (no build, no container); ``manifest``,
    when the caller has it, is not read again."""
    manifest = manifest or manifest_mod.load(root)
    stored = runstore.records(root, "image-test")
    found: list[Row] = []
    for py, plat in cells(manifest, python, platform):
        run = buildrun.Run(root, buildrun.Options(python=py, platform=plat), manifest)
        default = tags.is_default(manifest.variants, py, plat)
        refs = [job.step.tag for job in run.jobs.values()]
        refs += [tags.latest_tag(job.step.image) for job in run.jobs.values()] if default else []
        with run.engine.batch(refs):  # one round of questions, not two per image
            found += _rows(run, default, stored.get(tags.variant(py, plat), []))
    return found


def _rows(run: buildrun.Run, default: bool, tested: Sequence[Evidence]) -> list[Row]:
    """Return the rows of one variant's run (its answers asked ahead in one batch)."""
    run.check()
    variant = tags.variant(run.python, run.platform)
    last = lastinputs.load(run.root, variant)
    found: list[Row] = []
    by_subject: dict[str, list[Evidence]] = {}
    for record in tested:
        by_subject.setdefault(record.subject, []).append(record)
    for job in run.jobs.values():
        # a skipped job's image was inspected by check(); only the others are asked again
        info = {"Id": job.image_id} if job.status == "skipped" else \
            run.engine.inspect(job.step.tag)
        image_id = str(info["Id"]) if info else ""
        if job.status == "skipped":
            state, why = "current", ()
        elif info is None:
            state, why = "missing", ("never built for this variant",)
        elif not job.inputs:  # its parent is not current: it rebuilds after the parent
            state, why = "stale", (f"its parent {job.step.parent or 'root image'} is stale",)
        else:
            state, why = "stale", tuple(lastinputs.changes(last.get(job.step.name), job))
        promoted = None
        if default:
            latest = run.engine.inspect(tags.latest_tag(job.step.image)) if image_id else None
            promoted = bool(latest and latest.get("Id") == image_id)
        found.append(Row(variant, job.step.image, state, why,
                         _tested(by_subject.get(job.step.tag, []), image_id),
                         promoted, image_id))
    return found


def render(found: Sequence[Row], fmt: str) -> str:
    """Return the rows as a table per variant (text) or one JSON document."""
    if fmt == "json":
        return json.dumps({"images": [row.to_dict() for row in found]}, indent=1) + "\n"
    width = max((len(row.image) for row in found), default=5)
    out: list[str] = []
    for variant in dict.fromkeys(row.variant for row in found):
        out += [variant, f"  {'image':<{width}}  {'state':<7}  {'image-test':<21}  latest  why"]
        for row in (r for r in found if r.variant == variant):
            out.append(f"  {row.image:<{width}}  {row.state:<7}  {row.tested:<21}"
                       f"  {_LATEST[row.promoted]:<6}  {'; '.join(row.why)}".rstrip())
        out.append("")
    counts = {state: sum(row.state == state for row in found)
              for state in ("current", "stale", "missing")}
    out.append(", ".join(f"{n} {state}" for state, n in counts.items())
               + f" of {len(found)} images; `inv build` builds the stale and missing ones"
               if counts["stale"] + counts["missing"] else
               f"all {len(found)} images current")
    return "\n".join(out) + "\n"
