"""One evidence record for every check: lint rules, hadolint, builds and image tests.

A record says which check looked at which subject, whether it passed, where
the proof is (file, first and last line, the text of those lines) and which
requirement of the alignment report it proves, in Korean and English. Builds
and image tests add the variant, how long they took and what they measured.
Lint JSON, image-test JSON, SARIF, JUnit and the Markdown report are all
renderings of these, and .cache/results/ stores them as ``to_dict`` data.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from dockbuild.errors import InputError, Location


class Status(enum.Enum):
    """Whether a check held.

    STALE is never a check's own outcome: the report gives it to a stored build
    or image-test result whose image id is no longer its tag's (or whose tag is
    gone), so old evidence is neither passing nor failing.
    """

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    STALE = "stale"


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

    @classmethod
    def at(cls, where: Location) -> Span:
        """Return the span of one line an error-style location names (line 1 when it names none)."""
        line = where.line or 1
        return cls(str(where.path), line, line)

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
    name: str = ""  # a short label within the check: the test's name, the build's state
    variant: str = ""  # the build cell (py3.11-amd64) of a build or image test
    duration_s: float = 0.0
    measures: tuple[tuple[str, float], ...] = ()
    # Korean wording of message and reason; empty when the English text is all there is.
    message_ko: str = ""
    reason_ko: str = ""
    # What a build or image-test result belongs to: the image it tested, at which
    # revision, and when; a result whose image id is no longer the tag's is stale.
    image_id: str = ""
    revision: str = ""
    produced_at: str = ""

    def message_in(self, lang: str) -> str:
        """Return the message in ``lang`` (ko or en), the English one when no other exists."""
        return self.message_ko if lang == "ko" and self.message_ko else self.message

    def reason_in(self, lang: str) -> str:
        """Return the reason in ``lang`` (ko or en), the English one when no other exists."""
        return self.reason_ko if lang == "ko" and self.reason_ko else self.reason

    @property
    def failed(self) -> bool:
        """Return True for a failure (ignored failures are SKIP, not FAIL)."""
        return self.status is Status.FAIL

    @property
    def headline(self) -> str:
        """Return name and message as one line (``user: USER is 'root'``) for reports."""
        return f"{self.name}: {self.message}" if self.name and self.message else (
            self.name or self.message)

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order by file, line, then check id."""
        loc = self.location
        return (loc.file if loc else self.subject, loc.line if loc else 0, self.check, self.message)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (the caches, the JSON formats and runstore use it)."""
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
            "name": self.name,
            "variant": self.variant,
            "duration_s": round(self.duration_s, 3),
            "measures": dict(self.measures),
            **{key: value for key in _OPTIONAL_TEXT if (value := getattr(self, key))},
        }

    @classmethod
    def from_dict(cls, data: object) -> Evidence:
        """Rebuild a record written by :meth:`to_dict`; raise InputError naming what is wrong."""
        fields = _Fields(data)
        return cls(
            check=fields.text("check"),
            subject=fields.text("subject"),
            status=fields.choice("status", Status),
            severity=fields.choice("severity", Severity),
            location=_span(fields.get("location", dict, None), "location"),
            message=fields.text("message"),
            requirement=_requirement(fields.get("requirement", dict)),
            source=fields.text("source", "policy"),
            related=tuple(span for n, item in enumerate(fields.get("related", list, []))
                          if (span := _span(item, f"related[{n}]")) is not None),
            reason=fields.text("reason", ""),
            name=fields.text("name", ""),
            variant=fields.text("variant", ""),
            duration_s=float(fields.get("duration_s", (int, float), 0.0)),
            measures=tuple((key, float(_Fields({key: value}).get(key, (int, float))))
                           for key, value in fields.get("measures", dict, {}).items()),
            **{key: fields.text(key, "") for key in _OPTIONAL_TEXT},
        )


#: Text fields written only when set, so records without them keep their old shape.
_OPTIONAL_TEXT = ("message_ko", "reason_ko", "image_id", "revision", "produced_at")


_MISSING = object()
_HINT = "an older or another tool wrote it: rerun the step that writes it"


class _Fields:
    """Read the fields of one stored record, saying which one has the wrong shape."""

    def __init__(self, data: object) -> None:
        if not isinstance(data, dict):
            msg = f"an evidence record must be a JSON object, not {type(data).__name__}"
            raise InputError(msg, hint=_HINT)
        self.data = data

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = _MISSING) -> Any:
        """Return field ``key`` when it is of ``kind``; ``default`` when absent and allowed."""
        if key not in self.data and default is not _MISSING:
            return default
        value = self.data.get(key, _MISSING)
        if value is None and default is None:
            return None
        if value is _MISSING or not isinstance(value, kind) or isinstance(value, bool):
            shown = "missing" if value is _MISSING else f"{value!r}"
            msg = f"evidence field {key!r} is {shown}"
            raise InputError(msg, hint=_HINT)
        return value

    def text(self, key: str, default: Any = _MISSING) -> str:
        """Return a string field."""
        return str(self.get(key, str, default))

    def choice(self, key: str, kind: type[enum.Enum]) -> Any:
        """Return an enum field, naming the allowed values when it is none of them."""
        value = self.text(key)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            msg = f"evidence field {key!r} is {value!r}, expected one of {allowed}"
            raise InputError(msg, hint=_HINT) from None


def _span_dict(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"file": span.file, "line": span.line, "end_line": span.end_line, "text": span.text}


def _span(data: object, key: str) -> Span | None:
    if data is None:
        return None
    fields = _Fields(data)
    try:
        return Span(fields.text("file"), int(fields.get("line", int)),
                    int(fields.get("end_line", int)), fields.text("text", ""))
    except InputError as exc:
        msg = f"{key}: {exc.message}"
        raise InputError(msg, hint=exc.hint) from None


def _requirement(data: dict[str, Any]) -> Requirement:
    fields = _Fields(data)
    return Requirement(fields.text("ko"), fields.text("en"))
