"""Hadolint's findings as evidence: spans, what inheritance settles, FROM ${ARG}."""

from __future__ import annotations

from dockbuild.evidence import Status
from dockbuild.inputs import dockerfile
from dockbuild.lint import hadolint_merge as lintmerge
from dockbuild.lint import stages as imagestate

BASE = "FROM python:3.11-slim\nWORKDIR /app\nUSER app\n"
SERVICE = ("ARG BASE_IMAGE=academy-base\nFROM ${BASE_IMAGE}\nCOPY a \\\n    ./a\n"
           "RUN cd /tmp && echo x\n")


def analysed() -> tuple[dockerfile.Dockerfile, imagestate.Analysis]:
    base = imagestate.analyse(dockerfile.parse(BASE, "docker/Dockerfile.base"), {})
    assert base.final is not None
    parsed = dockerfile.parse(SERVICE, "docker/api/Dockerfile")
    return parsed, imagestate.analyse(parsed, {"academy-base": base.final.final})


def finding(code: str, line: int) -> dict[str, object]:
    return {"code": code, "line": line, "level": "warning", "message": f"{code} says so",
            "file": "docker/api/Dockerfile"}


def test_findings_span_the_whole_instruction() -> None:
    parsed, analysis = analysed()
    (record,) = lintmerge.from_hadolint("docker/api/Dockerfile", [finding("DL3003", 5)], parsed,
                                        analysis, SERVICE.splitlines())
    assert record.status is Status.FAIL and record.source == "hadolint"
    assert record.location is not None and record.location.text == "RUN cd /tmp && echo x"


def test_dl3045_is_settled_by_an_inherited_workdir() -> None:
    parsed, analysis = analysed()
    records = lintmerge.from_hadolint("docker/api/Dockerfile", [finding("DL3045", 3)], parsed,
                                      analysis, [])
    (record,) = [r for r in records if r.check != "hadolint"]
    assert record.status is Status.PASS
    assert record.location is not None
    assert (record.location.line, record.location.end_line) == (3, 4)
    assert "WORKDIR /app is inherited from docker/Dockerfile.base:2" in record.message


def test_from_findings_on_a_variable_from_defer_to_the_rendered_from_rules() -> None:
    parsed, analysis = analysed()
    records = lintmerge.from_hadolint("docker/api/Dockerfile",
                                      [finding("DL3006", 2), finding("DL3026", 2)], parsed,
                                      analysis, [])
    skipped = {r.check: r.reason for r in records if r.status is Status.SKIP}
    assert skipped.keys() == {"DL3006", "DL3026"}
    assert "DF405" in skipped["DL3006"] and "DF406" in skipped["DL3026"]


def test_a_clean_file_gets_a_passing_record() -> None:
    parsed, analysis = analysed()
    (record,) = lintmerge.from_hadolint("docker/api/Dockerfile", [], parsed, analysis, [])
    assert (record.check, record.status) == ("hadolint", Status.PASS)
