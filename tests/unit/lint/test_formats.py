"""Renderers: records in, text out, in the four formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from dockbuild.evidence import Evidence, Requirement, Severity, Span, Status
from dockbuild.lint import formats

REQ = Requirement("포트 변경 없음", "ports unchanged")
RECORDS = [
    Evidence(check="DF204", subject="api", status=Status.FAIL, severity=Severity.ERROR,
             location=Span("docker/api/Dockerfile", 13, 13, "EXPOSE 8080"),
             message="exposes 8080", requirement=REQ,
             related=(Span("docker/services.yaml", 28, 28, "    ports: [8000]"),)),
    Evidence(check="DL3008", subject="docker/api/Dockerfile", status=Status.FAIL,
             severity=Severity.WARNING, location=Span("docker/api/Dockerfile", 8, 10, "RUN a"),
             message="pin versions", requirement=REQ, source="hadolint"),
    Evidence(check="DF101", subject="api", status=Status.SKIP, severity=Severity.ERROR,
             location=Span("docker/api/Dockerfile", 20, 20, "RUN b"), message="x",
             requirement=REQ, reason="ignored by `# lint ignore` at docker/api/Dockerfile:19: why"),
    Evidence(check="DF303", subject="api", status=Status.PASS, severity=Severity.ERROR,
             location=Span("docker/api/Dockerfile", 4, 4, "FROM ${BASE_IMAGE}"),
             message="WORKDIR /app", requirement=REQ),
]


def test_text_groups_by_file_and_ends_with_a_summary() -> None:
    text = formats.as_text(RECORDS)
    lines = text.splitlines()
    assert lines[:6] == [
        "docker/api/Dockerfile",
        "docker/api/Dockerfile:8: DL3008 warning: pin versions",
        "    docs: https://github.com/hadolint/hadolint/wiki/DL3008",
        "docker/api/Dockerfile:13: DF204 error: exposes 8080",
        "    see docker/services.yaml:28",
        "    fix: `EXPOSE` (own and inherited) must list exactly the manifest's `ports`."
        " (docs/rules.md#df204-expose-disagrees-with-manifest)"]
    assert "ignored docker/api/Dockerfile:20" not in text  # a clean run does not list them
    assert lines[-1] == ("1 errors, 1 warnings, 0 info, 0 style in 1 files; 1 checks passed,"
                         " 1 ignored (--show-ignored lists them)")
    shown = formats.as_text(RECORDS, show_ignored=True)
    assert "ignored docker/api/Dockerfile:20: DF101 (ignored by `# lint ignore`" in shown
    assert shown.splitlines()[-1].endswith("1 ignored")
    assert "\033[" not in text
    assert "\033[31merror" in formats.as_text(RECORDS, colour=True)


def test_every_fix_links_a_section_that_docs_rules_md_has(repo_root: Path) -> None:
    import re

    from dockbuild.lint import ruledocs
    from dockbuild.lint.rules import ALL_RULES

    headings = {"docs/rules.md#" + re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
                for h in re.findall(r"^## (.+)$", (repo_root / "docs/rules.md").read_text(),
                                    re.MULTILINE)}
    for rule in ALL_RULES:
        todo, link = ruledocs.fix(rule.code)
        assert todo and "``" not in todo, rule.code
        assert link in headings, rule.code


def test_a_hadolint_finding_a_policy_rule_says_too_is_shown_once() -> None:
    where = Span("docker/api/Dockerfile", 19, 19, "USER root")
    both = [Evidence(check="DF302", subject="api", status=Status.FAIL, severity=Severity.ERROR,
                     location=where, message="runs as 'root', not appuser", requirement=REQ),
            Evidence(check="DL3002", subject="docker/api/Dockerfile", status=Status.FAIL,
                     severity=Severity.WARNING, location=where,
                     message="Last USER should not be root", requirement=REQ, source="hadolint")]
    text = formats.as_text(both)
    assert "DL3002 warning" not in text
    assert "DF302 error: runs as 'root', not appuser (hadolint DL3002 says the same)" in text
    assert "1 hadolint finding(s) shown with the policy rule saying the same" in text


def test_json_has_the_agreed_finding_shape_and_all_checks() -> None:
    document = json.loads(formats.as_json(RECORDS, tools={"hadolint": "2.15.1"}))
    assert document["findings"] == [
        {"file": "docker/api/Dockerfile", "line": 8, "end_line": 10, "rule": "DL3008",
         "severity": "warning", "message": "pin versions", "source": "hadolint"},
        {"file": "docker/api/Dockerfile", "line": 13, "end_line": 13, "rule": "DF204",
         "severity": "error", "message": "exposes 8080", "source": "policy"},
    ]
    statuses = {c["check"]: c["status"] for c in document["checks"]}
    assert statuses == {"DF204": "fail", "DL3008": "fail", "DF101": "skip", "DF303": "pass"}
    passing = next(c for c in document["checks"] if c["check"] == "DF303")
    assert passing["location"]["text"] == "FROM ${BASE_IMAGE}"
    assert passing["requirement"] == {"ko": "포트 변경 없음", "en": "ports unchanged"}


def test_sarif_is_a_2_1_0_log_that_code_scanning_accepts() -> None:
    log = json.loads(formats.as_sarif(RECORDS, tools={"hadolint": "2.15.1"}))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith("/")
        assert physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["DL3008"]["helpUri"] == "https://github.com/hadolint/hadolint/wiki/DL3008"
    assert by_id["DL3008"]["fullDescription"]["text"] == "pin versions"  # not "rule ... holds"
    assert "docs/rules.md#df204-expose-disagrees-with-manifest" in by_id["DF204"]["help"]["text"]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["DF101"]
    assert {r["ruleId"] for r in run["results"]} == {"DF204", "DL3008", "DF101"}


def test_junit_marks_failures_and_skips() -> None:
    root = ET.fromstring(formats.as_junit(RECORDS))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("4", "2")
    cases = root.findall(".//testcase")
    assert len(cases) == 4
    assert len(root.findall(".//failure")) == 2
    assert len(root.findall(".//skipped")) == 1
    names = [suite.get("name") for suite in root.findall("testsuite")]
    assert names and all(name.startswith("lint: ") for name in names)
    assert all(case.get("file") and case.get("line") for case in cases if case.find("failure")
               is not None)
