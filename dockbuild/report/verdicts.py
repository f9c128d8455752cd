"""Decide one row of the report: its checks' records folded into a mark, with its citations.

A row holds (✅) when its checks pass, fails (❌) when one fails, is waived
(⚠️) when a check was silenced with a reason, and does not apply (not listed,
only counted) when every check skipped. Pure: the files are read through
``citing.Files``; image facts through ``imagefacts``.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable, Sequence

from dockbuild.evidence import Evidence, Requirement, Span, Status
from dockbuild.inputs.manifest import Image
from dockbuild.report import rows as rows_mod
from dockbuild.report.citing import Cite, Files, select
from dockbuild.report.facts import Facts
from dockbuild.report.imagefacts import Confirmation, confirmation


class Mark(enum.Enum):
    """How a row (or a section) stands."""

    PASS = "pass"
    FAIL = "fail"
    STALE = "stale"  # results of an image id that is no longer the tag's
    WAIVED = "waived"
    NA = "na"

    @property
    def status(self) -> Status:
        """Return the evidence status the mark stands for (waived rows hold)."""
        return {Mark.FAIL: Status.FAIL, Mark.NA: Status.SKIP,
                Mark.STALE: Status.STALE}.get(self, Status.PASS)


#: How each mark is drawn in the Markdown (a stale result is a warning, as a waiver is).
SIGN = {Mark.PASS: "✅", Mark.FAIL: "❌", Mark.STALE: "⚠️", Mark.WAIVED: "⚠️", Mark.NA: "➖"}


def worst(marks: Iterable[Mark]) -> Mark:
    """Return FAIL if any failed, then STALE, WAIVED, PASS if any held, else NA."""
    seen = set(marks)
    for mark in (Mark.FAIL, Mark.STALE, Mark.WAIVED, Mark.PASS):
        if mark in seen:
            return mark
    return Mark.NA


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One requirement of the report, decided."""

    anchor: str
    spec: rows_mod.Spec
    image: str
    subject: str
    mark: Mark
    cites: tuple[Cite, ...]
    records: tuple[Evidence, ...]
    failing: tuple[Evidence, ...] = ()
    waived: tuple[Evidence, ...] = ()
    confirmed: Confirmation | None = None

    @property
    def requirement(self) -> Requirement:
        """Return the row's wording in both languages."""
        return Requirement(self.spec.ko, self.spec.en)

    @property
    def status(self) -> Status:
        """Return the row's status as evidence statuses go."""
        return self.mark.status


def is_na(record: Evidence) -> bool:
    """Return True for a check that did not apply (skipped with no waiver reason)."""
    return record.status is Status.SKIP and not record.reason


def is_waived(record: Evidence) -> bool:
    """Return True for a finding silenced with a reason (an ignore comment or the config)."""
    return record.status is Status.SKIP and bool(record.reason)


def records_of(facts: Facts, image: Image, checks: Sequence[str]) -> list[Evidence]:
    """Return the lint records of ``checks`` about one image's Dockerfile."""
    path = image.dockerfile.as_posix()
    return [r for r in facts.lint if r.check in checks
            and (r.subject in (image.name, path) or (r.location and r.location.file == path))]


def _overlaps(record: Evidence, cites: Sequence[Cite]) -> bool:
    where = record.location
    return where is not None and any(
        c.span.file == where.file and where.line <= c.span.end_line
        and c.span.line <= where.end_line for c in cites)


def _finding_cites(failing: Sequence[Evidence]) -> tuple[Cite, ...]:
    spans: list[Span] = []
    for record in failing:
        if record.location and record.location not in spans:
            spans.append(record.location)
    return tuple(Cite(s, tuple(range(s.line, min(s.end_line, s.line + 2) + 1))) for s in spans)


def decide(facts: Facts, files: Files, spec: rows_mod.Spec, image: Image, anchor: str,
           *, records: Sequence[Evidence] | None = None) -> Row:
    """Return the row ``spec`` says about ``image``."""
    spec = rows_mod.filled(spec, facts.manifest, image)
    path = image.dockerfile.as_posix()
    found = list(records if records is not None else records_of(facts, image, spec.checks))
    failing = tuple(r for r in found if r.status is Status.FAIL)
    cites = select(spec, files, path, facts.manifest.base.dockerfile.as_posix())
    waived = tuple(r for r in found if is_waived(r))
    # hadolint findings waived on the lines the row cites belong beside it
    waived += tuple(r for r in facts.lint if r.source == "hadolint" and is_waived(r)
                    and _overlaps(r, cites) and r not in waived)
    if failing:
        mark = Mark.FAIL
        cites = _finding_cites(failing) or cites
    elif any(is_waived(r) for r in found):
        mark = Mark.WAIVED  # a row holds only when all its checks pass
    elif any(r.status is Status.PASS for r in found):
        mark = Mark.PASS
    else:
        mark = Mark.NA
    if spec.absent and mark is not Mark.FAIL:
        cites = ()
    return Row(anchor=anchor, spec=spec, image=image.name, subject=path, mark=mark,
               cites=cites, records=tuple(found), failing=failing, waived=waived,
               confirmed=confirmation(facts, image.name, spec.image_check))


def about_copies(facts: Facts, image: Image, checks: Sequence[str]) -> list[Evidence]:
    """Return the records of ``checks`` whose lines name one of the folders ``image`` adds."""
    names = [re.escape(c.strip("/")) for c in image.copies]
    pattern = re.compile(rf"(?:^|[\s/])(?:{'|'.join(names)})(?:[\s/]|$)") if names else None
    return [r for r in records_of(facts, image, checks)
            if pattern and r.location and pattern.search(r.location.text)]
