"""Turn facts into the seed report's sections and rows. Pure: no files, no engine.

The sections follow the team's report: 1. the base Dockerfile, 2. each service
that adds files of its own (the seed's ai-worker-cpu), 3. the layer table of the
other services, 4. .dockerignore, 5. CMD, entry points and constants, then the
builds and image tests. Which image lands where comes from the manifest; what
each row says comes from the rules' requirements and their evidence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from dockbuild.evidence import Evidence, Requirement, Span, Status
from dockbuild.inputs.manifest import Image
from dockbuild.report import coverage as coverage_mod
from dockbuild.report.baseline import Change, compare
from dockbuild.report.facts import Facts, ImageState

# Checks about the file as a whole: not requirements of the report, rendered only on failure.
_HOUSEKEEPING = frozenset({"DF001", "DF002", "hadolint"})
_DOCKERIGNORE_CHECKS = frozenset({"DF401", "DF404", "DF407"})
_APT_RUN, _PIP_RUN, _ORDER = "DF101", "DF104", "DF103"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One requirement and its evidence: the checks' records folded together."""

    anchor: str
    requirement: Requirement
    status: Status
    cites: tuple[Span, ...]
    messages: tuple[str, ...]
    checks: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LayerRow:
    """Section 3: one service's apt-get and pip RUNs."""

    anchor: str
    dockerfile: str
    image: str
    apt: tuple[Span, ...]
    pip: tuple[Span, ...]
    order: Row | None
    details: tuple[Row, ...]
    status: Status


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class InterfaceRow:
    """Section 5: one image's command, ports and constants, against the Dockerfile and baseline."""

    anchor: str
    image: str
    cmd: str
    entry: str
    ports: str
    dockerfile: Row | None
    changes: tuple[Change, ...]
    status: Status


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One numbered section of the report."""

    number: int
    key: str
    subject: str
    status: Status
    rows: tuple[Row, ...] = ()
    layers: tuple[LayerRow, ...] = ()
    interfaces: tuple[InterfaceRow, ...] = ()
    images: tuple[ImageState, ...] = ()
    note: str = ""
    coverage: coverage_mod.Coverage | None = None  # section 6: which cells were verified


def worst(statuses: Iterable[Status]) -> Status:
    """Return FAIL if any failed, else STALE if any is stale, else PASS if any passed, else SKIP."""
    seen = set(statuses)
    for status in (Status.FAIL, Status.STALE, Status.PASS):
        if status in seen:
            return status
    return Status.SKIP


def fold(records: Sequence[Evidence], prefix: str) -> list[Row]:
    """Fold records into one row per check, ordered by the first line they cite."""
    by_check: dict[str, list[Evidence]] = {}
    for record in sorted(records, key=Evidence.sort_key):
        by_check.setdefault(record.check, []).append(record)
    rows: list[tuple[int, Row]] = []
    for check, group in by_check.items():
        status = worst(r.status for r in group)
        if check in _HOUSEKEEPING and status is not Status.FAIL:
            continue
        shown = [r for r in group if r.status is status] or group
        cites: list[Span] = []
        for record in shown:
            if record.location and record.location not in cites:
                cites.append(record.location)
        first = min((c.line for c in cites), default=10**6)
        rows.append((first, Row(
            anchor="", requirement=group[0].requirement, status=status, cites=tuple(cites),
            messages=tuple(dict.fromkeys(_message(r) for r in shown)), checks=(check,),
        )))
    rows.sort(key=lambda item: (item[0], item[1].checks))
    return [dataclasses.replace(row, anchor=f"{prefix}-{i}")
            for i, (_, row) in enumerate(rows, start=1)]


def _message(record: Evidence) -> str:
    """Return a record's message, with the reason it was ignored when it was."""
    if record.status is Status.SKIP and record.reason and record.reason not in record.message:
        return f"{record.message} ({record.reason})"
    return record.message


def _records_of(facts: Facts, image: Image) -> list[Evidence]:
    """Return the lint records about one image's Dockerfile (policy and hadolint)."""
    path = image.dockerfile.as_posix()
    return [r for r in facts.lint
            if (r.subject in (image.name, path) or (r.location and r.location.file == path))
            and r.check not in _DOCKERIGNORE_CHECKS and r.source != "image-test"]


def _runs(records: Sequence[Evidence], check: str) -> tuple[Span, ...]:
    spans = {r.location for r in records if r.check == check and r.location
             and r.status is not Status.SKIP}
    return tuple(sorted(spans, key=lambda s: s.line))


def _layer_row(facts: Facts, image: Image, number: int, index: int) -> LayerRow:
    records = _records_of(facts, image)
    details = fold(records, f"s{number}-{index}")
    order = next((row for row in details if _ORDER in row.checks), None)
    return LayerRow(
        anchor=f"s{number}-{index}", dockerfile=image.dockerfile.as_posix(), image=image.name,
        apt=_runs(records, _APT_RUN), pip=_runs(records, _PIP_RUN), order=order,
        details=tuple(details), status=worst(row.status for row in details),
    )


def _interface_rows(facts: Facts, number: int) -> list[InterfaceRow]:
    then = facts.baseline.interfaces
    rows = []
    for index, image in enumerate(facts.manifest.images(), start=1):
        now = facts.interfaces[image.name]
        folded = fold([r for r in _records_of(facts, image) if r.check == "DF203"],
                      f"s{number}-{index}")
        changes: tuple[Change, ...] = ()
        if then is not None:
            old = {image.name: then[image.name]} if image.name in then else {}
            changes = tuple(compare({image.name: now}, old))
        statuses = [row.status for row in folded]
        rows.append(InterfaceRow(
            anchor=f"s{number}-{index}", image=image.name, cmd=now.cmd, entry=now.entry,
            ports=now.fields()["ports"], dockerfile=folded[0] if folded else None,
            changes=changes, status=worst(statuses) if statuses else Status.SKIP,
        ))
    return rows


def build(facts: Facts) -> list[Section]:
    """Return the report's sections in order."""
    manifest = facts.manifest
    sections: list[Section] = []
    base_rows = fold(_records_of(facts, manifest.base), "s1")
    sections.append(Section(number=1, key="base", subject=manifest.base.dockerfile.as_posix(),
                            status=worst(r.status for r in base_rows), rows=tuple(base_rows)))
    # Services that add files of their own get a section each, as the seed's ai-worker-cpu.
    own = [s for s in manifest.services.values() if s.copies]
    rest = [s for s in manifest.services.values() if not s.copies]
    for service in own:
        number = len(sections) + 1
        rows = fold(_records_of(facts, service), f"s{number}")
        sections.append(Section(number=number, key="service", subject=service.dockerfile.as_posix(),
                                status=worst(r.status for r in rows), rows=tuple(rows)))
    number = len(sections) + 1
    layers = [_layer_row(facts, s, number, i) for i, s in enumerate(rest, start=1)]
    sections.append(Section(number=number, key="layers", subject="", layers=tuple(layers),
                            status=worst(layer.status for layer in layers)))
    number += 1
    ignore_rows = fold([r for r in facts.lint if r.check in _DOCKERIGNORE_CHECKS], f"s{number}")
    ignore_rows += _own_copies_sent(facts, number, len(ignore_rows))
    sections.append(Section(number=number, key="dockerignore", subject=".dockerignore",
                            status=worst(r.status for r in ignore_rows), rows=tuple(ignore_rows)))
    number += 1
    interfaces = _interface_rows(facts, number)
    sections.append(Section(number=number, key="interfaces", subject="",
                            interfaces=tuple(interfaces),
                            status=worst(i.status for i in interfaces)))
    number += 1
    failed_tests = [r for r in facts.tests if r.status is Status.FAIL]
    rows = [Row(anchor=f"s{number}-{i}", requirement=r.requirement, status=r.status,
                cites=(r.location,) if r.location else (), messages=(f"{r.subject}: {r.headline}",),
                checks=(r.check,))
            for i, r in enumerate(sorted(failed_tests, key=Evidence.sort_key), start=1)]
    covered = coverage_mod.of(facts.images, facts.since)
    sections.append(Section(number=number, key="images", subject="", images=facts.images,
                            rows=tuple(rows), status=_images_status(facts.images, covered),
                            note=facts.engine_problem, coverage=covered))
    return sections


def _own_copies_sent(facts: Facts, number: int, start: int) -> list[Row]:
    """One row per folder a service adds (the seed's "scripts/ 제외 여부"): sent, and why."""
    rows = []
    for service in facts.manifest.services.values():
        for source in service.copies:
            records = [r for r in facts.lint if r.check == "DF401" and r.location
                       and r.location.file == service.dockerfile.as_posix()
                       and source in r.location.text.split()]
            mentions = tuple(
                Span(".dockerignore", i, i, line) for i, line in enumerate(facts.dockerignore, 1)
                if source in line.replace("/", " ").split())
            cites = tuple(dict.fromkeys(r.location for r in records if r.location)) + mentions
            rows.append(Row(
                anchor=f"s{number}-{start + len(rows) + 1}",
                requirement=Requirement(
                    f"{source}/ 제외 아님: {service.name} 빌드 시 COPY {source} 정상 동작",
                    f"{source}/ not excluded: COPY {source} works when {service.name} builds"),
                status=worst(r.status for r in records), cites=cites,
                messages=tuple(r.message for r in records) or (f"no COPY of {source}",),
                checks=("DF401",),
            ))
    return rows


def _images_status(images: Sequence[ImageState], covered: coverage_mod.Coverage) -> Status:
    """Return FAIL or STALE when a result is; PASS only when every cell was verified, else SKIP."""
    statuses = []
    for state in images:
        if state.build and state.build.status in (Status.FAIL, Status.STALE):
            statuses.append(state.build.status)
        statuses += [t.status for t in state.tests]
    status = worst(statuses)
    if status is Status.PASS and not covered.complete:
        return Status.SKIP  # some cell was not built or not tested: not ✅
    return status


def failures(sections: Sequence[Section]) -> list[tuple[Section, str, str, Requirement | None]]:
    """Return (section, anchor, label, requirement) of every failing row, for the conclusion."""
    found: list[tuple[Section, str, str, Requirement | None]] = []
    for section in sections:
        for row in section.rows:
            if row.status is Status.FAIL:
                found.append((section, row.anchor, row.checks[0], row.requirement))
        for layer in section.layers:
            for row in layer.details:
                if row.status is Status.FAIL:
                    found.append((section, row.anchor, f"{layer.image} {row.checks[0]}",
                                  row.requirement))
        for item in section.interfaces:
            if item.status is Status.FAIL:
                requirement = item.dockerfile.requirement if item.dockerfile else None
                found.append((section, item.anchor, item.image, requirement))
    return found
