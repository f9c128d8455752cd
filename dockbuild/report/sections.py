"""Turn facts into the seed report's sections and rows. Pure: no engine.

The sections follow the team's report: 1. the base Dockerfile, 2. each service
that adds files of its own (the seed's ai-worker-cpu), 3. the layer table of the
other services, 4. .dockerignore, 5. CMD, entry points and constants, then the
builds and image tests. The rows are report.rows' table, decided by
report.verdicts; every record no row shows goes to the appendix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from dockbuild.evidence import Evidence, Requirement, Status
from dockbuild.inputs.manifest import Image
from dockbuild.report import contentdiff
from dockbuild.report import coverage as coverage_mod
from dockbuild.report import rows as spec
from dockbuild.report.baseline import Change, against
from dockbuild.report.citing import Files
from dockbuild.report.facts import Facts, ImageState
from dockbuild.report.verdicts import Mark, Row, about_copies, decide, is_na, worst

_DOCKERIGNORE_CHECKS = frozenset({"DF401", "DF404", "DF407"})


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LayerRow:
    """Section 3: one service's apt-get and pip RUNs and how it gets its user."""

    anchor: str
    image: str
    dockerfile: str
    apt: Row | None
    pip: Row
    order: Row | None
    user: Row | None
    mark: Mark

    @property
    def rows(self) -> tuple[Row, ...]:
        """Return the rows the line is made of."""
        return tuple(r for r in (self.apt, self.pip, self.order, self.user) if r is not None)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class InterfaceRow:
    """Section 5: one image's command, against the Dockerfile and the baseline."""

    anchor: str
    image: str
    cmd: str
    entry: str
    ports: str
    row: Row
    changes: tuple[Change, ...]
    compared: bool

    @property
    def mark(self) -> Mark:
        """Return the row's mark."""
        return self.row.mark


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One numbered section of the report."""

    number: int
    key: str
    subject: str
    mark: Mark
    rows: tuple[Row, ...] = ()
    layers: tuple[LayerRow, ...] = ()
    interfaces: tuple[InterfaceRow, ...] = ()
    na: tuple[str, ...] = ()  # the checks that did not apply here, counted in one line
    images: tuple[ImageState, ...] = ()
    tests: tuple[Evidence, ...] = ()  # section 6: the failed image tests
    records: tuple[Evidence, ...] = ()  # the appendix: every check no row shows
    note: str = ""
    ssot: str = ""  # section 3: kept, changed or unknown against the baseline (ssot_state)
    coverage: coverage_mod.Coverage | None = None  # section 6: which cells were verified
    contents: contentdiff.Contents | None = None  # section 5: packages against the verified

    @property
    def status(self) -> Status:
        """Return the section's status as evidence statuses go."""
        return self.mark.status

    def all_rows(self) -> tuple[Row, ...]:
        """Return every decided row of the section, listed or not."""
        return (*self.rows, *(r for layer in self.layers for r in layer.rows),
                *(i.row for i in self.interfaces))


def _listed(rows: Sequence[Row]) -> tuple[Row, ...]:
    return tuple(row for row in rows if row.mark is not Mark.NA)


def _rows(facts: Facts, files: Files, specs: Sequence[spec.Spec], image: Image,
          prefix: str) -> tuple[Row, ...]:
    return _listed([decide(facts, files, s, image, f"{prefix}-{i}")
                    for i, s in enumerate(specs, start=1)])


def _layer(facts: Facts, files: Files, image: Image, anchor: str) -> LayerRow:
    apt, pip, order, user = (decide(facts, files, s, image, f"{anchor}-{s.key}")
                             for s in spec.LAYERS)
    has_apt = apt.mark is not Mark.NA
    shown_order = order if has_apt or order.mark is Mark.FAIL else None
    shown_user = None if has_apt else user
    parts = [r for r in (apt, pip, shown_order, shown_user) if r is not None]
    return LayerRow(anchor=anchor, image=image.name, dockerfile=image.dockerfile.as_posix(),
                    apt=apt if has_apt else None, pip=pip, order=shown_order, user=shown_user,
                    mark=worst(r.mark for r in parts))


def changes_of(facts: Facts, image: Image) -> tuple[tuple[Change, ...], bool]:
    """Return what changed in ``image``'s interface against the baseline, and whether that
    can be said at all (a baseline exists and is not this same revision).

    The one call the baseline's comparison goes through (report.baseline owns how).
    """
    compared = against({image.name: facts.interfaces[image.name]}, facts.baseline)
    return compared[image.name].changes, facts.baseline.comparable


def ssot_state(facts: Facts, images: Sequence[Image]) -> str:
    """Return kept, changed or unknown: what the baseline says of these images' interfaces."""
    if not facts.baseline.comparable:
        return "unknown"
    return "changed" if any(changes_of(facts, image)[0] for image in images) else "kept"


def _interfaces(facts: Facts, files: Files, number: int) -> tuple[InterfaceRow, ...]:
    found = []
    for index, image in enumerate(facts.manifest.images(), start=1):
        anchor = f"s{number}-{index}"
        now = facts.interfaces[image.name]
        changes, compared = changes_of(facts, image)
        found.append(InterfaceRow(
            anchor=anchor, image=image.name, cmd=now.cmd, entry=now.entry,
            ports=now.ports, row=decide(facts, files, spec.INTERFACE, image, anchor),
            changes=changes, compared=compared))
    return tuple(found)


def _dockerignore_rows(facts: Facts, files: Files, number: int) -> tuple[Row, ...]:
    found: list[Row] = []
    for image in facts.manifest.services.values():
        if not image.copies:
            continue
        for s in spec.DOCKERIGNORE:
            found.append(decide(facts, files, s, image, f"s{number}-{len(found) + 1}",
                                records=about_copies(facts, image, s.checks)))
    return _listed(found)


def build(facts: Facts) -> list[Section]:
    """Return the report's sections in order."""
    manifest = facts.manifest
    files = Files(facts.root)
    base_rows = _rows(facts, files, spec.BASE, manifest.base, "s1")
    sections = [Section(number=1, key="base", subject=manifest.base.dockerfile.as_posix(),
                        mark=worst(r.mark for r in base_rows), rows=base_rows)]
    own = [s for s in manifest.services.values() if s.copies]
    rest = [s for s in manifest.services.values() if not s.copies]
    for service in own:
        number = len(sections) + 1
        rows = _rows(facts, files, spec.SERVICE, service, f"s{number}")
        sections.append(Section(number=number, key="service",
                                subject=service.dockerfile.as_posix(),
                                mark=worst(r.mark for r in rows), rows=rows))
    number = len(sections) + 1
    layers = tuple(_layer(facts, files, s, f"s{number}-{i}") for i, s in enumerate(rest, 1))
    sections.append(Section(number=number, key="layers", subject="", layers=layers,
                            mark=worst(layer.mark for layer in layers),
                            ssot=ssot_state(facts, rest)))
    ignore_rows = _dockerignore_rows(facts, files, number + 1)
    sections.append(Section(number=number + 1, key="dockerignore", subject=".dockerignore",
                            rows=ignore_rows, mark=worst(r.mark for r in ignore_rows)))
    interfaces = _interfaces(facts, files, number + 2)
    sections.append(Section(number=number + 2, key="interfaces", subject="",
                            interfaces=interfaces, mark=worst(i.mark for i in interfaces),
                            contents=contentdiff.of(facts)))
    sections = _with_na(facts, sections, own, rest)
    failed = tuple(sorted((r for r in facts.tests if r.status is Status.FAIL),
                          key=Evidence.sort_key))
    covered = coverage_mod.of(facts.images, facts.since)
    sections.append(Section(number=number + 3, key="images", subject="", images=facts.images,
                            tests=failed, mark=_images_mark(facts.images, covered),
                            note=facts.engine_problem, coverage=covered))
    rest_records = tuple(others(facts, sections))
    sections.append(Section(number=0, key="others", subject="", records=rest_records,
                            mark=Mark.FAIL if any(r.failed for r in rest_records) else Mark.PASS))
    return sections


def _with_na(facts: Facts, sections: list[Section], own: Sequence[Image],
             rest: Sequence[Image]) -> list[Section]:
    """Count, per section, the checks that did not apply and that no row shows."""
    shown = shown_records(sections)
    owner = {facts.manifest.base.name: 0, **{s.name: 1 + i for i, s in enumerate(own)},
             **{s.name: 1 + len(own) for s in rest}}
    counted: dict[int, list[str]] = {}
    for record in facts.lint:
        if not is_na(record) or record in shown:
            continue
        index = len(own) + 2 if record.check in _DOCKERIGNORE_CHECKS else owner.get(record.subject)
        if index is not None:
            counted.setdefault(index, []).append(record.check)
    return [dataclasses.replace(s, na=tuple(counted.get(i, ()))) for i, s in enumerate(sections)]


def shown_records(sections: Sequence[Section]) -> list[Evidence]:
    """Return every record a row of sections 1-5 stands on."""
    return [r for s in sections for row in s.all_rows() for r in (*row.records, *row.waived)]


def others(facts: Facts, sections: Sequence[Section]) -> list[Evidence]:
    """Return the records no row shows and that applied: the appendix."""
    shown = shown_records(sections)
    return [r for r in facts.lint if r not in shown and not is_na(r)]


_MARK_OF = {Status.FAIL: Mark.FAIL, Status.STALE: Mark.STALE, Status.PASS: Mark.PASS}


def _images_mark(images: Sequence[ImageState], covered: coverage_mod.Coverage) -> Mark:
    """Return FAIL or STALE when a result is; PASS only when every cell was verified, else NA."""
    marks = []
    for state in images:
        if state.build and state.build.status in (Status.FAIL, Status.STALE):
            marks.append(_MARK_OF[state.build.status])
        marks += [_MARK_OF[t.status] for t in state.tests if t.status in _MARK_OF]
    mark = worst(marks)
    if mark is Mark.PASS and not covered.complete:
        return Mark.NA  # some cell was not built or not tested: not ✅
    return mark


def failures(sections: Sequence[Section]) -> list[tuple[Section, str, str, Requirement | None]]:
    """Return (section, anchor, label, requirement) of every failing row, for the conclusion."""
    found: list[tuple[Section, str, str, Requirement | None]] = []
    for section in sections:
        for row in section.all_rows():
            if row.mark is Mark.FAIL:
                label = row.image if section.key in ("layers", "interfaces") else row.spec.key
                found.append((section, row.anchor, label, row.requirement))
        for index, test in enumerate(section.tests, start=1):
            found.append((section, f"s{section.number}-{index}", test.subject, test.requirement))
        found += [(section, f"appendix-{i}", r.check, r.requirement)
                  for i, r in enumerate(section.records, start=1) if r.failed]
        if section.key == "images" and section.mark is Mark.FAIL and not section.tests:
            found.append((section, f"s{section.number}", section.key, None))
    return found
