"""Image-test records: the text, JSON and JUnit renderings and the evidence adapter."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from dockbuild import evidence
from dockbuild.errors import Location
from dockbuild.imagetest.results import FAIL, PASS, SKIP, TestResult, as_json, as_junit, as_text

RESULTS = [
    TestResult(check="cst.command", name="python", image="academy-api:py3.11-amd64",
               variant="py3.11-amd64", status=PASS,
               where=Location(Path("docker/tests/api.yaml"), 5),
               requirement_ko="명령", requirement_en="command", duration_s=0.4),
    TestResult(check="image.user", name="user", image="academy-api:py3.11-amd64",
               variant="py3.11-amd64", status=FAIL, message="USER is 'root', expected 'appuser'",
               where=Location(Path("docker/services.yaml"), 17), requirement_ko="사용자",
               requirement_en="user"),
    TestResult(check="smoke.sigterm", name="SIGTERM", image="academy-api:py3.11-amd64",
               variant="py3.11-amd64", status=SKIP, message="under emulation",
               measures=(("stop_s", 1.5),)),
]


def test_text_names_failures_with_file_and_line() -> None:
    text = as_text(RESULTS)
    assert ("FAIL academy-api:py3.11-amd64 user (docker/services.yaml:17)\n"
            "     USER is 'root', expected 'appuser'") in text
    assert text.endswith("1 passed, 1 failed, 1 skipped")


def test_json_and_junit_carry_the_same_facts() -> None:
    data = json.loads(as_json(RESULTS))
    assert data["summary"] == {"pass": 1, "fail": 1, "skip": 1}
    assert data["results"][1]["file"] == "docker/services.yaml"
    assert data["results"][2]["measures"] == {"stop_s": 1.5}
    suite = ET.fromstring(as_junit(RESULTS).split("?>", 1)[1]).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")


def test_results_convert_to_shared_evidence() -> None:
    record = RESULTS[1].to_evidence()
    assert isinstance(record, evidence.Evidence)
    assert record.status is evidence.Status.FAIL
    assert record.severity is evidence.Severity.ERROR
    assert record.location == evidence.Span("docker/services.yaml", 17, 17)
    assert record.subject == "academy-api:py3.11-amd64"
    assert record.requirement == evidence.Requirement("사용자", "user")
    assert RESULTS[2].to_evidence().reason == "under emulation"
