"""What one ``inv build`` did, image by image: kept for the report, printed, and failed on.

Kept apart from the run itself so the summary and exit status of a build can be
checked without an engine.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dockbuild import fsio, gitinfo, runstore
from dockbuild.build import lastinputs, layers, plan, progress
from dockbuild.errors import ChecksFailed, EngineUnavailable


@dataclasses.dataclass(slots=True)
class Job:
    """One step's mutable progress (owned by one thread at a time)."""

    step: plan.BuildStep
    files: list[str]
    digest: str
    image_id: str | None = None
    status: str = "waiting"
    seconds: float = 0.0
    size_mb: float | None = None
    note: str = ""
    tail: tuple[str, ...] = ()
    cached_steps: int = 0
    steps: int = 0
    image_digest: str = ""  # buildx's containerimage.digest (the manifest the tag names)
    entries: dict[str, str] = dataclasses.field(default_factory=dict)  # context.entries
    inputs: str = ""  # the input hash, once the parent is known
    parent: tuple[str, str] = ("", "")  # the parent's reference and id the hash was taken on
    started: float = 0.0  # time.monotonic() when its build began (0: not built)


def rows(jobs: Iterable[Job]) -> list[progress.Row]:
    """Return the summary rows, in build order."""
    return [progress.Row(job.step.image, job.step.variant, job.status, job.seconds,
                         job.size_mb, job.note, image_id=job.image_id or "") for job in jobs]


def finish(root: Path, jobs: list[Job]) -> list[progress.Row]:
    """Store the rows per variant, print the summary and each failure's tail; raise on failure.

    Each record carries the image id it built, the revision and the time; the
    store merges them with the variant's other images instead of replacing them.
    """
    done = rows(jobs)
    revision, produced_at = gitinfo.head(root) or "", runstore.now_iso()
    for variant in dict.fromkeys(row.variant for row in done):
        runstore.save(root, "build", variant,
                      [row.to_evidence(revision=revision, produced_at=produced_at)
                       for row in done if row.variant == variant])
    for variant in dict.fromkeys(job.step.variant for job in jobs):
        mine = [job for job in jobs if job.step.variant == variant]
        write_metadata(metadata_path(root, variant), mine)
        lastinputs.save(root, variant, mine)
    layers.save(root, [job.image_id for job in jobs if job.status == "built" and job.image_id])
    print(progress.summary(done))
    failed = [job for job in jobs if job.status == "failed"]
    for job in failed:
        print(f"\n{job.step.image}:{job.step.variant} failed: {job.note}")
        for line in job.tail:
            print(f"  | {line}")
    if failed:
        names = ", ".join(job.step.name for job in failed)
        msg = f"{len(failed)} of {len(done)} images failed to build: {names}"
        raise ChecksFailed(msg)
    return done


def built_sizes(root: Path) -> dict[str, float]:
    """Return the unpacked size (MB) of every image id an earlier build measured."""
    sizes: dict[str, float] = {}
    for records in runstore.records(root, "build").values():
        for record in records:
            size = dict(record.measures).get("size_mb")
            if record.image_id and size is not None:
                sizes[record.image_id] = float(size)
    return sizes


def metadata_path(root: Path, variant: str) -> Path:
    """Return where a run's metadata for one variant is written."""
    return root / ".cache" / "build" / f"metadata-{variant}.json"


def last_runs(root: Path, variants: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the metadata of each variant's last build run; variants without one are left out."""
    runs = {}
    for variant in variants:
        try:
            runs[variant] = json.loads(metadata_path(root, variant).read_text())
        except (OSError, ValueError):
            continue
    return runs


def metadata(jobs: Iterable[Job]) -> dict[str, dict[str, object]]:
    """Return bake's ``--metadata-file`` shape per image, with what this tool adds (pure).

    Keys: buildx's own (``containerimage.digest``, ``image.name``) and
    ``dockbuild.*`` ones: the variant, the image id, the status and the cache hits.
    """
    result: dict[str, dict[str, object]] = {}
    first = min((job.started for job in jobs if job.started), default=0.0)
    for job in jobs:
        entry: dict[str, object] = {
            "image.name": job.step.tag, "dockbuild.image": job.step.image,
            "dockbuild.variant": job.step.variant, "dockbuild.status": job.status,
            "dockbuild.image-id": job.image_id or "",
            "dockbuild.cache": {"cached-steps": job.cached_steps, "steps": job.steps},
            "dockbuild.seconds": round(job.seconds, 2),
        }
        if job.started:  # seconds after the first build of the run began: the timeline
            entry["dockbuild.started"] = round(job.started - first, 2)
        if job.image_digest:
            entry["containerimage.digest"] = job.image_digest
        result[job.step.name] = entry
    return result


def write_metadata(path: Path, jobs: list[Job]) -> None:
    """Write the run's metadata file atomically (bake-compatible keys)."""
    fsio.write_json(path, metadata(jobs))


def require_engine(jobs: Iterable[Job], answers: Callable[[], bool]) -> None:
    """Raise one line (exit 2) when builds failed because the engine went away.

    Nothing is recorded for them: the images did not fail, the engine did.
    """
    lost = next((job for job in jobs if job.status == "failed"), None)
    if lost is None or answers():
        return
    where = os.environ.get("DOCKER_HOST") or "the local engine"
    msg = (f"the Docker engine ({where}) went away during the build of {lost.step.image}"
           f" ({lost.note}); no tag moved")
    raise EngineUnavailable(msg, hint="start it again (`./dev inv engine-up` for the local"
                                      " one), then build again")
