"""Hadolint's findings as evidence: spans, what inheritance settles, FROM ${ARG}."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockbuild.evidence import Status
from dockbuild.inputs import dockerfile
from dockbuild.lint import config as lintconfig
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


def test_hadolint_records_speak_korean(repo_root: Path, not_korean: Callable[..., list[str]]
                                       ) -> None:
    parsed, analysis = analysed()
    codes = ["DL3003", "DL3006", "DL3008", "DL3045", "DL9999"]
    records = lintmerge.from_hadolint("docker/api/Dockerfile",
                                      [finding(code, 5) for code in codes], parsed, analysis, [])
    by_code = {r.check: r for r in records}
    records += lintmerge.from_hadolint("docker/Dockerfile.base", [], None, None, [])
    records += lintmerge.disabled_records(lintconfig.load(repo_root), {"DF101": "policy"})
    pragma = "# hadolint ignore=DL3059\nRUN echo a\n"
    ignoring = dockerfile.parse(BASE + pragma, "docker/Dockerfile.base")
    records += lintmerge.apply_ignores(
        lintmerge.from_hadolint("docker/Dockerfile.base", [finding("DL3059", 5)], ignoring, None,
                                []), {"docker/Dockerfile.base": ignoring}, {})
    kept = list(lintconfig.load(repo_root).reasons.values())
    problems = [p for r in records for text in (r.message_in("ko"), r.reason_in("ko"))
                if text for p in not_korean(text, kept=kept)]
    assert not problems
    assert by_code["DL3008"].message_ko == (
        "hadolint `DL3008`: apt-get install 패키지 버전 고정 안 함")
    assert by_code["DL9999"].message_ko == "hadolint `DL9999` 위반 (원문은 영어 보고서 참조)"
    assert by_code["DL3008"].message == "DL3008 says so"
    assert records[-1].reason_ko.startswith("`docker/Dockerfile.base:4`의 `# hadolint ignore`")
