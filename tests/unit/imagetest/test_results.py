"""Image-test records: evidence made by ``outcome``, its renderings and the manifest helpers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from dockbuild import evidence
from dockbuild.errors import Location
from dockbuild.imagetest.results import FAIL, PASS, SKIP, as_json, as_junit, as_text, outcome

RESULTS = [
    outcome(check="cst.command", name="python", image="academy-api:py3.11-amd64",
            variant="py3.11-amd64", status=PASS,
            where=Location(Path("docker/tests/api.yaml"), 5),
            requirement=("명령", "command"), duration_s=0.4),
    outcome(check="image.user", name="user", image="academy-api:py3.11-amd64",
            variant="py3.11-amd64", status=FAIL, message="USER is 'root', expected 'appuser'",
            where=Location(Path("docker/services.yaml"), 17), requirement=("사용자", "user")),
    outcome(check="smoke.sigterm", name="SIGTERM", image="academy-api:py3.11-amd64",
            variant="py3.11-amd64", status=SKIP, message="under emulation",
            requirement=("", ""), measures=(("stop_s", 1.5),)),
]
#: every key the image-test JSON had before its records became evidence
OLD_KEYS = {"check", "name", "image", "variant", "status", "message", "file", "line",
            "requirement", "duration_s", "measures"}


def test_text_names_failures_with_file_and_line() -> None:
    text = as_text(RESULTS)
    assert text.splitlines()[0] == ("PASS academy-api:py3.11-amd64 python"
                                    " (docker/tests/api.yaml:5) [0.40 s]")
    assert ("FAIL academy-api:py3.11-amd64 user (docker/services.yaml:17)\n"
            "     USER is 'root', expected 'appuser'") in text
    assert "1 passed" not in text  # one summary line: the caller's, with the time


def test_json_keeps_every_old_key_and_their_values() -> None:
    data = json.loads(as_json(RESULTS))
    assert data["summary"] == {"pass": 1, "fail": 1, "skip": 1}
    assert all(set(result) >= OLD_KEYS for result in data["results"])
    user = data["results"][1]
    assert (user["image"], user["file"], user["line"], user["status"]) == (
        "academy-api:py3.11-amd64", "docker/services.yaml", 17, "fail")
    assert user["requirement"] == {"ko": "사용자", "en": "user"}
    assert data["results"][2]["measures"] == {"stop_s": 1.5}
    assert data["results"][2]["file"] is None


def test_junit_has_one_suite_per_image_and_variant() -> None:
    root = ET.fromstring(as_junit(RESULTS).split("?>", 1)[1])
    assert root.get("name") == "image-test"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "image-test: academy-api py3.11-amd64"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    failed = suite.findall("testcase")[1]
    assert (failed.get("classname"), failed.get("name"), failed.get("file"),
            failed.get("line")) == ("image.user", "user", "docker/services.yaml", "17")
    failure = failed.find("failure")
    assert failure is not None and failure.get("message") == "USER is 'root', expected 'appuser'"


def test_outcomes_are_shared_evidence() -> None:
    record = RESULTS[1]
    assert isinstance(record, evidence.Evidence)
    assert record.severity is evidence.Severity.ERROR
    assert record.location == evidence.Span("docker/services.yaml", 17, 17)
    assert record.subject == "academy-api:py3.11-amd64"
    assert record.headline == "user: USER is 'root', expected 'appuser'"
    assert RESULTS[2].reason == "under emulation"
    assert RESULTS[0].severity is evidence.Severity.INFO and RESULTS[0].reason == ""
    assert all(evidence.Evidence.from_dict(r.to_dict()) == r for r in RESULTS)


def test_bind_stamps_each_record_with_the_id_its_image_had_when_tested() -> None:
    from dockbuild.imagetest.results import Tested, bind

    missing = outcome(check="image.built", name="built", image="academy-ocr:py3.11-amd64",
                      variant="py3.11-amd64", status=FAIL, requirement=("", ""))
    bound = bind([*RESULTS, missing],
                 {"academy-api:py3.11-amd64": Tested("sha256:abc", "2026-01-01T00:00:00+00:00")},
                 revision="f00d")
    assert {(r.image_id, r.revision, r.produced_at) for r in bound[:3]} == {
        ("sha256:abc", "f00d", "2026-01-01T00:00:00+00:00")}
    assert (bound[3].image_id, bound[3].revision) == ("", "f00d")  # it tested no image
    assert as_json(bound).count('"image_id": "sha256:abc"') == 3


def test_failures_cascading_from_one_cause_are_one_line_of_the_recap() -> None:
    from dockbuild.imagetest.results import cause, recap

    missing = ("`python -c 'import django'` exited 1: Traceback ... | "
               "ModuleNotFoundError: No module named 'django'")
    failed = [outcome(check="cst.command", name=f"test {n}", image="academy-api:py3.11-amd64",
                      variant="py3.11-amd64", status=FAIL, message=missing,
                      requirement=("x", "x")) for n in range(6)]
    failed.append(outcome(check="image.user", name="user", image="academy-api:py3.11-amd64",
                          variant="py3.11-amd64", status=FAIL, message="runs as root; expected"
                          " appuser", requirement=("x", "x")))
    assert cause(missing) == "ModuleNotFoundError: No module named 'django'"
    assert cause("exit code 1 (stderr: ... ModuleNotFoundError: No module named 'x')") == \
        "ModuleNotFoundError: No module named 'x'"  # the parenthesis is the message's
    assert recap(failed) == [
        "academy-api:py3.11-amd64: 7 failed",
        "  6x ModuleNotFoundError: No module named 'django'"
        "  (test 0, test 1, test 2, test 3 and 2 more)",
        "  1x runs as root  (user)"]
