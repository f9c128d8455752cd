"""Gather what the report cites: lint records, the last builds and image tests, a baseline.

Nothing here waits for an engine: images are looked up over the raw API with
a short timeout, and without an engine the build section says so.

A stored build or image-test result is bound to the image id it was made for.
When that id is no longer its tag's (rebuilt since, or the tag is gone, or no
engine answered to say), the result is STALE here: never passing, never failing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from dockbuild import gitinfo, runstore
from dockbuild.engine import images as engine_images
from dockbuild.engine import rawapi, tags
from dockbuild.evidence import Evidence, Status
from dockbuild.inputs.manifest import Manifest
from dockbuild.lint import run as lint_mod
from dockbuild.report import baseline
from dockbuild.report import interfaces as interfaces_mod

ENGINE_TIMEOUT_S = 2.0


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ImageState:
    """One image x variant: what the engine holds and what the last build and tests said."""

    name: str
    variant: str
    ref: str
    image_id: str | None
    size_mb: float | None
    build: Evidence | None
    tests: tuple[Evidence, ...]
    #: The runner whose evidence this is, in a report merged from several ("" for this machine).
    source: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """Everything one report is written from."""

    manifest: Manifest
    generated: str
    revision: gitinfo.Revision | None
    lint: tuple[Evidence, ...]
    images: tuple[ImageState, ...]
    engine_problem: str
    interfaces: dict[str, interfaces_mod.Interface]
    baseline: baseline.Baseline
    dockerignore: tuple[str, ...] = ()
    tests: tuple[Evidence, ...] = ()
    #: When the run the report belongs to began (verify): older results do not count as verified.
    since: str = ""
    #: The runners a merged report's images come from, one line each; () for this machine.
    sources: tuple[str, ...] = ()
    #: Layers by image id, when they come from the runners rather than .cache/build.
    layers: dict[str, list[tuple[str, int]]] | None = None
    #: Build-run metadata by variant, when it comes from the runners.
    runs: dict[str, dict[str, Any]] | None = None

    @property
    def root(self) -> Path:
        """Return the repository the report is about."""
        return self.manifest.root


def choose_baseline(root: Path, ref: str | None, manifest: Manifest) -> baseline.Baseline:
    """Return the baseline: ``ref``, else the last verified state, else :latest, else merge base."""
    return baseline.choose(root, ref, [(image.name, image.image) for image in manifest.images()])


def _images(manifest: Manifest, variants: list[tuple[str, str]]) -> tuple[list[ImageState], str]:
    builds = runstore.records(manifest.root, "build")
    tests = runstore.records(manifest.root, "image-test")
    states: list[ImageState] = []
    problem = ""
    sizes: dict[str, int] | None = None
    for python, platform in variants:
        variant = tags.variant(python, platform)
        built = {r.subject: r for r in builds.get(variant, [])}
        tested = tests.get(variant, [])
        for image in manifest.images():
            ref = tags.variant_tag(image.image, python, platform)
            info = None
            if not problem:
                try:
                    info = engine_images.inspect(ref, timeout=ENGINE_TIMEOUT_S, sdk=False)
                except rawapi.Unreachable as exc:
                    problem = str(exc)
            info = info if isinstance(info, dict) and "Id" in info else None
            if info and sizes is None:  # one image list for every image's unpacked size
                sizes = engine_images.unpacked_sizes(sdk=False) or {}
            size = engine_images.size_bytes(info, sdk=False, sizes=sizes) if info else None
            states.append(state_of(image.name, image.image, variant, ref, built, tested,
                                   image_id=str(info["Id"]) if info else None,
                                   size_mb=round(size / 1e6, 1) if size is not None else None,
                                   problem=problem))
    return states, problem


def state_of(name: str, image: str, variant: str, ref: str, built: dict[str, Evidence],
             tested: list[Evidence], *, image_id: str | None, size_mb: float | None,
             problem: str = "", source: str = "") -> ImageState:
    """Return one image x variant with its stored results bound to ``image_id``, the tag's id.

    ``built``: the variant's build records by subject; ``tested``: its test records.
    """
    build = built.get(image) or built.get(ref) or built.get(name)
    return ImageState(
        name=name, variant=variant, ref=ref, image_id=image_id, size_mb=size_mb,
        build=_bound(build, image_id, problem) if build else None,
        tests=tuple(_bound(t, image_id, problem) for t in tested
                    if t.subject in (ref, image, name)),
        source=source)


def short_id(image_id: str) -> str:
    """Return ``sha256:`` and the first 12 hex digits of an image id (as `docker images` shows)."""
    return image_id[:19] if image_id.startswith("sha256:") else image_id[:12]


def staleness(record: Evidence, current: str | None, problem: str = "") -> tuple[str, str]:
    """Return why ``record`` is not about the image its tag names now (en, ko); empty when it is.

    ``current``: the tag's id now (None when the tag is gone); ``problem``: why
    no engine could be asked. A failed or not-run build made no image, so it is
    never stale: it says what happened to the last attempt.
    """
    if record.check == "build" and record.status is not Status.PASS:
        return "", ""
    tested = short_id(record.image_id) if record.image_id else ""
    if problem:
        return (f"stale: tested {tested or 'an image of unknown id'}; no engine answered to say"
                " whether the tag still is it",
                f"오래된 결과: {tested or 'ID 미상 이미지'} 테스트,"
                " 엔진 응답 없음: 현재 태그 확인 불가")
    if not tested:
        return ("stale: the record names no image id (written before results were bound to ids)",
                "오래된 결과: 이미지 ID 없는 기록 (결과가 이미지 ID에 묶이기 전 기록)")
    if current is None:
        return (f"stale: tested {tested}, the tag is gone",
                f"오래된 결과: {tested} 테스트, 태그 없음")
    if record.image_id != current:
        return (f"stale: tested {tested}, the tag is now {short_id(current)}",
                f"오래된 결과: {tested} 테스트, 현재 태그는 {short_id(current)}")
    return "", ""


def _bound(record: Evidence, current: str | None, problem: str) -> Evidence:
    """Return ``record`` as it stands against the tag now: itself, or STALE with the reason."""
    why, why_ko = staleness(record, current, problem)
    if not why:
        return record
    return dataclasses.replace(record, status=Status.STALE, reason=why, reason_ko=why_ko)


def with_text(records: tuple[Evidence, ...], root: Path) -> tuple[Evidence, ...]:
    """Fill in the source text of spans that carry none, so every citation can quote its lines."""
    files: dict[str, list[str] | None] = {}

    def lines_of(name: str) -> list[str] | None:
        if name not in files:
            try:
                files[name] = (root / name).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                files[name] = None
        return files[name]

    filled = []
    for record in records:
        span = record.location
        lines = lines_of(span.file) if span and not span.text else None
        if span and lines is not None:
            text = "\n".join(lines[span.line - 1:span.end_line])
            record = dataclasses.replace(record, location=dataclasses.replace(span, text=text))
        filled.append(record)
    return tuple(filled)


def gather(manifest: Manifest, *, baseline_ref: str | None,
           variants: list[tuple[str, str]], lint_records: tuple[Evidence, ...] | None = None,
           since: str = "", merged: Merged | None = None) -> Facts:
    """Collect the facts of one report (lint runs here unless its records are given).

    ``merged``: the images as several runners' evidence has them (``inv report
    --merge``), instead of this machine's results and engine.
    """
    root = manifest.root
    if lint_records is None:
        lint_records = lint_mod.run(root, manifest=manifest).records
    images, problem = (list(merged.images), "") if merged else _images(manifest, variants)
    return Facts(
        manifest=manifest,
        generated=runstore.now_iso(),
        revision=gitinfo.revision(root),
        lint=with_text(tuple(lint_records), root),
        images=tuple(images),
        engine_problem=problem,
        interfaces=interfaces_mod.of_files(root),
        baseline=choose_baseline(root, baseline_ref, manifest),
        dockerignore=tuple(_read_lines(root / ".dockerignore")),
        tests=with_text(tuple(test for state in images for test in state.tests), root),
        since=since,
        sources=merged.sources if merged else (),
        layers=merged.layers if merged else None,
        runs=merged.runs if merged else None,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Merged:
    """The images of a report merged from runners' evidence, and where each runner's came from."""

    images: tuple[ImageState, ...]
    sources: tuple[str, ...]
    layers: dict[str, list[tuple[str, int]]]
    runs: dict[str, dict[str, Any]]


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
