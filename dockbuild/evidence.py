"""One evidence record for every check: lint rules, hadolint, builds and image tests.

A record says which check looked at which subject, whether it passed, where
the proof is (file, first and last line, the text of those lines) and which
requirement of the alignment report it proves, in Korean and English. Lint
JSON, SARIF, JUnit and the Markdown report are all renderings of these.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any


class Status(enum.Enum):
    """Whether a check held."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


class Severity(enum.Enum):
    """How bad a failure is: only ERROR fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"


@dataclasses.dataclass(frozen=True, slots=True)
class Span:
    """Lines of a file, relative to the repository root, with their text."""

    file: str
    line: int
    end_line: int
    text: str = ""

    def cite(self) -> str:
        """Return the report's way of citing lines: ``L25`` or ``L25-27``."""
        if self.end_line > self.line:
            return f"L{self.line}-{self.end_line}"
        return f"L{self.line}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclasses.dataclass(frozen=True, slots=True)
class Requirement:
    """A requirement of the alignment report, phrased as the report phrases it."""

    ko: str
    en: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One check's outcome for one subject, with the lines that prove it."""

    check: str
    subject: str
    status: Status
    severity: Severity
    location: Span | None
    message: str
    requirement: Requirement
    source: str = "policy"
    related: tuple[Span, ...] = ()
    reason: str = ""

    @property
    def failed(self) -> bool:
        """Return True for a failure (ignored failures are SKIP, not FAIL)."""
        return self.status is Status.FAIL

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order by file, line, then check id."""
        loc = self.location
        return (loc.file if loc else self.subject, loc.line if loc else 0, self.check, self.message)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (the cache and the JSON format use it)."""
        return {
            "check": self.check,
            "subject": self.subject,
            "status": self.status.value,
            "severity": self.severity.value,
            "location": _span_dict(self.location),
            "message": self.message,
            "requirement": {"ko": self.requirement.ko, "en": self.requirement.en},
            "source": self.source,
            "related": [_span_dict(span) for span in self.related],
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        """Rebuild a record written by :meth:`to_dict`."""
        return cls(
            check=data["check"],
            subject=data["subject"],
            status=Status(data["status"]),
            severity=Severity(data["severity"]),
            location=_span(data["location"]),
            message=data["message"],
            requirement=Requirement(**data["requirement"]),
            source=data["source"],
            related=tuple(span for span in map(_span, data["related"]) if span is not None),
            reason=data["reason"],
        )


def _span_dict(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"file": span.file, "line": span.line, "end_line": span.end_line, "text": span.text}


def _span(data: dict[str, Any] | None) -> Span | None:
    return None if data is None else Span(**data)
