"""The one evidence record: round trip, citation, order."""

from __future__ import annotations

from dockbuild.evidence import Evidence, Requirement, Severity, Span, Status


def record(**changes: object) -> Evidence:
    fields: dict[str, object] = {
        "check": "DF307", "subject": "academy-base", "status": Status.PASS,
        "severity": Severity.ERROR,
        "location": Span("docker/Dockerfile.base", 25, 27, "RUN pip install --upgrade pip \\"),
        "message": "one RUN", "requirement": Requirement("builder 단일 RUN", "builder: one RUN"),
        "related": (Span("docker/services.yaml", 20, 20, "  requirements: x"),),
    }
    fields.update(changes)
    return Evidence(**fields)  # type: ignore[arg-type]


def test_a_record_survives_json() -> None:
    original = record(reason="")
    assert Evidence.from_dict(original.to_dict()) == original


def test_spans_cite_like_the_report() -> None:
    assert Span("f", 25, 27).cite() == "L25-27"
    assert Span("f", 67, 67).cite() == "L67"


def test_only_fail_is_a_failure() -> None:
    assert record(status=Status.FAIL).failed
    assert not record(status=Status.SKIP, reason="ignored").failed
