"""`inv report`: gather the facts, build the sections, write the files."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from dockbuild import gitinfo
from dockbuild.build import layers as layers_mod
from dockbuild.errors import InputError
from dockbuild.evidence import Evidence, Status
from dockbuild.inputs import manifest as manifest_mod
from dockbuild.inputs import variants as variants_mod
from dockbuild.report import bundle, verified
from dockbuild.report import coverage as coverage_mod
from dockbuild.report import facts as facts_mod
from dockbuild.report import sections as sections_mod
from dockbuild.report import write as write_mod


def languages(lang: str | None, manifest: manifest_mod.Manifest) -> tuple[str, ...]:
    """Return the languages to write: ko, en, all (both), or the manifest's default."""
    chosen = lang or manifest.lang
    if chosen == "all":
        return write_mod.LANGS
    if chosen not in write_mod.LANGS:
        msg = f"--lang {chosen!r} is not one of ko, en, all"
        raise InputError(msg)
    return (chosen,)


def cells(manifest: manifest_mod.Manifest, python: str | None,
          platform: str | None) -> list[tuple[str, str]]:
    """Return the python x platform cells the image section covers."""
    variants_mod.check(manifest, python, platform)
    variants = manifest.variants
    return [(py, pf) for py in variants.python for pf in variants.platforms
            if python in (None, py) and platform in (None, pf)]


@dataclasses.dataclass(frozen=True, slots=True)
class Written:
    """What one report wrote, and which image x variant cells it found verified."""

    paths: list[Path]
    coverage: coverage_mod.Coverage


def run(root: Path, *, lang: str | None = None, baseline: str | None = None,
        output: str = "reports", python: str | None = None, platform: str | None = None,
        lint_records: tuple[Evidence, ...] | None = None,
        manifest: manifest_mod.Manifest | None = None, since: str = "",
        merge: Sequence[str] = ()) -> Written:
    """Write the report for ``root``; lint only when ``lint_records`` are not given already.

    ``since``: when the run being reported began (verify); results older than
    that are not counted as verified by it. ``merge``: the evidence files of
    runners (report folders or their evidence.json), read instead of this
    machine's results and engine.
    """
    manifest = manifest or manifest_mod.load(root)
    langs = languages(lang, manifest)
    out = Path(output) if Path(output).is_absolute() else root / output
    variants = cells(manifest, python, platform)
    evidence = None
    if merge:
        revision = gitinfo.revision(root)
        evidence = bundle.read(merge, revision.sha if revision else "")
    facts = facts_mod.gather(manifest, baseline_ref=baseline, variants=variants,
                             lint_records=lint_records, since=since,
                             merged=bundle.merged(evidence, manifest, variants)
                             if evidence else None)
    sections = sections_mod.build(facts)
    covered = next((s.coverage for s in sections if s.coverage is not None),
                   coverage_mod.Coverage(()))
    paths = write_mod.write(facts, sections, out, langs)
    paths.append(bundle.write(bundle.to_file(evidence) if evidence else bundle.of_facts(facts),
                              out))
    written = Written(paths, covered)
    if not evidence:  # the baseline is this machine's to keep
        remember_if_verified(facts, sections)
    return written


def remember_if_verified(facts: facts_mod.Facts, sections: list[sections_mod.Section]) -> bool:
    """Store the interfaces as the next default baseline when lint, builds and tests all held.

    ``inv verify`` reaches this through its report step. It takes no failing row,
    no stale result, and at least one variant whose every image was built and
    tested passing (verify tests one variant; the interfaces compared are the
    Dockerfiles' and the manifest's, the same for every variant).
    """
    images = next((s for s in sections if s.key == "images"), None)
    if sections_mod.failures(sections) or images is None or images.coverage is None:
        return False
    held = images.status not in (Status.FAIL, Status.STALE)
    if not held or not any(c.verified and not c.missing for c in images.coverage.cells):
        return False
    layers = layers_mod.load(facts.root)
    held = {s.ref: {"id": s.image_id, "size_mb": s.size_mb, "layers": layers.get(s.image_id, [])}
            for s in images.images if s.image_id and coverage_mod.verified(s, facts.since)}
    verified.save(facts.root, facts.interfaces, facts.revision, facts.generated, held)
    return True
