"""Image-test outcomes as evidence records, and their text, JSON and JUnit renderings.

Every structure test, manifest-derived check and smoke test yields a
``dockbuild.evidence.Evidence`` made by :func:`outcome`: the subject is the
image reference, and the record carries the test's name, the variant, the
duration and any measured figures.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from dockbuild import junit
from dockbuild.errors import Location
from dockbuild.evidence import Evidence, Requirement, Severity, Span, Status

PASS, FAIL, SKIP = Status.PASS, Status.FAIL, Status.SKIP
#: The reason of a test that cannot run under QEMU (promotion accepts it: see imagetest.promotion).
EMULATED = "skipped under emulation"


@dataclasses.dataclass(frozen=True, slots=True)
class Tested:
    """What an image's records belong to: its tag's id when testing began, and when that was."""

    image_id: str
    at: str


def outcome(*, check: str, name: str, image: str, variant: str, status: Status,
            requirement: tuple[str, str], message: str = "", where: Location | None = None,
            duration_s: float = 0.0, measures: tuple[tuple[str, float], ...] = (),
            image_id: str = "", revision: str = "", produced_at: str = "",
            message_ko: str = "") -> Evidence:
    """Return one image test's record, so every test fills severity, source and reason alike.

    ``message_ko`` is the message in the Korean report's words; a skip's message is
    its reason, in both languages. The tests themselves leave ``image_id``,
    ``revision`` and ``produced_at`` empty; the run fills them for every record of
    an image through :func:`bind`.
    """
    return Evidence(
        check=check, subject=image, status=status,
        severity=Severity.ERROR if status is FAIL else Severity.INFO,
        location=Span.at(where) if where is not None else None,
        message=message, requirement=Requirement(*requirement), source="image-test",
        reason=message if status is SKIP else "", name=name, variant=variant,
        duration_s=duration_s, measures=measures, message_ko=message_ko,
        reason_ko=message_ko if status is SKIP else "",
        image_id=image_id, revision=revision, produced_at=produced_at,
    )


def bind(records: Sequence[Evidence], tested: Mapping[str, Tested], *,
         revision: str) -> list[Evidence]:
    """Return ``records`` stamped with the image id and time their subject was tested at.

    A record whose subject was never on the engine (``image.built``) keeps an
    empty image id: it proves nothing about any image.
    """
    bound = []
    for record in records:
        mine = tested.get(record.subject)
        if mine is not None and not record.image_id:
            record = dataclasses.replace(record, image_id=mine.image_id, revision=revision,
                                         produced_at=record.produced_at or mine.at)
        elif not record.revision:
            record = dataclasses.replace(record, revision=revision)
        bound.append(record)
    return bound


def as_dict(record: Evidence) -> dict[str, Any]:
    """Return the record as image-test JSON: the evidence fields plus the older flat ones."""
    loc = record.location
    return {
        **record.to_dict(),
        "image": record.subject,
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
    }


class Timer:
    """Measure one step: ``with timed() as t: ...; t.seconds``."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.seconds = 0.0


@contextmanager
def timed() -> Iterator[Timer]:
    """Time the body of a ``with`` block."""
    timer = Timer()
    try:
        yield timer
    finally:
        timer.seconds = time.monotonic() - timer.start


def summary(results: Sequence[Evidence]) -> str:
    """Return ``N passed, N failed, N skipped``."""
    counts = _counts(results)
    return f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped"


def _counts(results: Sequence[Evidence]) -> dict[str, int]:
    return {status.value: sum(r.status is status for r in results) for status in (PASS, FAIL, SKIP)}


def as_text(results: Sequence[Evidence]) -> str:
    """Render one line per result, failures with file:line and message."""
    lines = []
    for r in results:
        where = f" ({r.location})" if r.location else ""
        took = f" [{r.duration_s:.2f} s]" if r.duration_s >= 0.005 else ""
        line = f"{r.status.value.upper():4} {r.subject} {r.name}{where}{took}"
        if r.message and r.status is not PASS:
            line += f"\n     {r.message}"
        elif r.measures:
            line += "  " + ", ".join(f"{k}={v:g}" for k, v in r.measures)
        lines.append(line)
    return "\n".join(lines)


#: A Python exception at the end of a message: the cause several failures share.
_EXCEPTION = re.compile(r"\b([A-Z]\w*(?:Error|Exception)): ([^|;]+)")


def cause(message: str) -> str:
    """Return what a failure comes down to: its last Python exception, else its first clause."""
    found = _EXCEPTION.findall(message)
    if found:
        name, text = found[-1]
        text = text.strip()
        while text.endswith(")") and text.count(")") > text.count("("):  # the message's own
            text = text[:-1].rstrip()
        return f"{name}: {text}"
    return message.split(";")[0].strip() or "(no message)"


def recap(results: Sequence[Evidence]) -> list[str]:
    """Return the failures grouped by image, then by cause (one line per cause), for the end."""
    failed = [r for r in results if r.failed]
    lines = []
    for image in dict.fromkeys(r.subject for r in failed):
        mine = [r for r in failed if r.subject == image]
        lines.append(f"{image}: {len(mine)} failed")
        by_cause: dict[str, list[str]] = {}
        for r in mine:
            by_cause.setdefault(cause(r.message), []).append(r.name)
        for why, names in by_cause.items():
            shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            lines.append(f"  {len(names)}x {why}  ({shown})")
    return lines


def as_json(results: Sequence[Evidence]) -> str:
    """Render ``{"results": [...], "summary": {...}}``."""
    data = {"results": [as_dict(r) for r in results], "summary": _counts(results)}
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_junit(results: Sequence[Evidence]) -> str:
    """Render JUnit XML: one testsuite per image and variant, one testcase per result."""
    return junit.render(results, name="image-test").rstrip("\n")


FORMATS: dict[str, Callable[[Sequence[Evidence]], str]] = {
    "text": as_text, "json": as_json, "junit": as_junit,
}
