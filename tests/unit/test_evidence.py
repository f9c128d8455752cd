"""The one evidence record: round trip, citation, order."""

from __future__ import annotations

import pytest

from dockbuild.errors import InputError
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


def test_a_stored_record_of_the_wrong_shape_names_the_field() -> None:
    good = record().to_dict()
    cases = {
        "must be a JSON object, not list": [],
        "'subject' is missing": {k: v for k, v in good.items() if k != "subject"},
        "'status' is 'passed', expected one of pass, fail, skip": {**good, "status": "passed"},
        "location: evidence field 'line' is missing": {**good, "location": {"file": "f"}},
        "'requirement' is 'x'": {**good, "requirement": "x"},
    }
    for words, data in cases.items():
        with pytest.raises(InputError) as info:
            Evidence.from_dict(data)
        assert words in info.value.message
        assert "\n" not in info.value.message


def test_records_written_before_the_image_fields_still_load() -> None:
    older = {k: v for k, v in record().to_dict().items()
             if k not in ("name", "variant", "duration_s", "measures")}
    assert Evidence.from_dict(older) == record()


def test_a_measure_that_is_not_a_number_is_refused() -> None:
    data = {**record().to_dict(), "measures": {"stop_s": "fast"}}
    with pytest.raises(InputError, match="'stop_s' is 'fast'"):
        Evidence.from_dict(data)
    data["measures"] = {"stop_s": 1}
    assert Evidence.from_dict(data).measures == (("stop_s", 1.0),)


def test_korean_wording_and_the_tested_image_round_trip_and_fall_back_to_english() -> None:
    plain = record(reason="waived")
    assert (plain.message_in("ko"), plain.reason_in("ko")) == ("one RUN", "waived")
    assert "message_ko" not in plain.to_dict()  # unset fields keep the old shape
    bound = record(message_ko="RUN 1개", reason="waived", reason_ko="면제",
                   image_id="sha256:abc", revision="0123abc", produced_at="2026-12-01T08:00:00Z")
    assert (bound.message_in("ko"), bound.message_in("en")) == ("RUN 1개", "one RUN")
    assert bound.reason_in("ko") == "면제"
    assert Evidence.from_dict(bound.to_dict()) == bound
    with pytest.raises(InputError, match="'image_id' is 5"):
        Evidence.from_dict({**bound.to_dict(), "image_id": 5})
