"""One image-test outcome as a record, and its text, JSON and JUnit renderings.

Every structure test, manifest-derived check and smoke test yields a
``TestResult``. It is a thin adapter over the shared evidence model
(``dockbuild.evidence``): it holds what the model holds (check id, subject,
status, location, message, the requirement in Korean and English) plus what an
image test adds (variant, duration, measured figures). The report turns the
stored form back into evidence (report.facts.image_test_records).
"""

from __future__ import annotations

import dataclasses
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from dockbuild.errors import Location

PASS, FAIL, SKIP = "pass", "fail", "skip"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TestResult:
    """What one image test proved, or failed to prove, and where its expectation lives."""

    __test__ = False  # not a pytest class, despite the name

    check: str
    name: str
    image: str
    variant: str
    status: str
    message: str = ""
    where: Location | None = None
    requirement_ko: str = ""
    requirement_en: str = ""
    duration_s: float = 0.0
    measures: tuple[tuple[str, float], ...] = ()

    @property
    def failed(self) -> bool:
        """Return True for a failed result."""
        return self.status == FAIL

    def as_dict(self) -> dict[str, Any]:
        """Return the record as plain JSON data."""
        return {
            "check": self.check,
            "name": self.name,
            "image": self.image,
            "variant": self.variant,
            "status": self.status,
            "message": self.message,
            "file": str(self.where.path) if self.where else None,
            "line": self.where.line if self.where else None,
            "requirement": {"ko": self.requirement_ko, "en": self.requirement_en},
            "duration_s": round(self.duration_s, 3),
            "measures": dict(self.measures),
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


def summary(results: Sequence[TestResult]) -> str:
    """Return ``N passed, N failed, N skipped``."""
    counts = {status: sum(r.status == status for r in results) for status in (PASS, FAIL, SKIP)}
    return f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[SKIP]} skipped"


def as_text(results: Sequence[TestResult]) -> str:
    """Render one line per result, failures with file:line and message."""
    lines = []
    for r in results:
        where = f" ({r.where})" if r.where else ""
        took = f" [{r.duration_s:.2f} s]" if r.duration_s >= 0.005 else ""
        line = f"{r.status.upper():4} {r.image} {r.name}{where}{took}"
        if r.message and r.status != PASS:
            line += f"\n     {r.message}"
        elif r.measures:
            line += "  " + ", ".join(f"{k}={v:g}" for k, v in r.measures)
        lines.append(line)
    lines.append(summary(results))
    return "\n".join(lines)


def as_json(results: Sequence[TestResult]) -> str:
    """Render ``{"results": [...], "summary": {...}}``."""
    data = {
        "results": [r.as_dict() for r in results],
        "summary": {status: sum(r.status == status for r in results)
                    for status in (PASS, FAIL, SKIP)},
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_junit(results: Sequence[TestResult]) -> str:
    """Render JUnit XML: one testsuite per image, one testcase per result."""
    suites = ET.Element("testsuites", name="image-test")
    by_image: dict[str, list[TestResult]] = {}
    for r in results:
        by_image.setdefault(f"{r.image} ({r.variant})", []).append(r)
    for image, items in by_image.items():
        suite = ET.SubElement(
            suites, "testsuite", name=image, tests=str(len(items)),
            failures=str(sum(r.status == FAIL for r in items)),
            skipped=str(sum(r.status == SKIP for r in items)),
            time=f"{sum(r.duration_s for r in items):.3f}",
        )
        for r in items:
            case = ET.SubElement(suite, "testcase", classname=r.check, name=r.name,
                                 time=f"{r.duration_s:.3f}")
            if r.where:
                case.set("file", str(r.where.path))
                if r.where.line:
                    case.set("line", str(r.where.line))
            if r.status == FAIL:
                ET.SubElement(case, "failure", message=r.message.splitlines()[0] if r.message
                              else "failed").text = r.message
            elif r.status == SKIP:
                ET.SubElement(case, "skipped", message=r.message)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


FORMATS: dict[str, Callable[[Sequence[TestResult]], str]] = {
    "text": as_text, "json": as_json, "junit": as_junit,
}
