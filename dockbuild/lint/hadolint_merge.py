"""Turn hadolint's findings into evidence, settle what inheritance explains, apply ignores.

Hadolint writes its messages in English, and they are not translated one by one:
a hadolint record's Korean message is the rule id and a short gloss of the rule
(``_GLOSS_KO``: the rules this repository's Dockerfiles and test fixtures trigger,
or that .hadolint.yaml and the ``# hadolint ignore`` pragmas turn off), and for any
other rule "hadolint `DLxxxx` 위반 (원문은 영어 보고서 참조)". Ignore and disable
reasons translate our framing only; the reason a user wrote stays as written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from dockbuild.evidence import Evidence, Requirement, Severity, Span, Status
from dockbuild.inputs.dockerfile import Dockerfile, Instruction, Pragma
from dockbuild.lint.config import LintConfig
from dockbuild.lint.hadolint import Finding
from dockbuild.lint.stages import Analysis

_LEVELS = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
    "style": Severity.STYLE,
}
# hadolint skips FROM lines with variables for these; DF405/DF406 lint the rendered FROM
_RENDERED = {"DL3006": "DF405", "DL3007": "DF405", "DL3026": "DF406"}
#: hadolint rule -> what it asks, in the Korean report's words
_GLOSS_KO = {
    "DL1000": "Dockerfile 구문 오류",
    "DL3002": "마지막 USER가 root",
    "DL3006": "FROM 이미지에 태그 없음",
    "DL3007": "`latest` 태그 사용: 버전을 고정해야 함",
    "DL3008": "apt-get install 패키지 버전 고정 안 함",
    "DL3009": "설치 후 apt 목록(`/var/lib/apt/lists`) 삭제 안 함",
    "DL3013": "pip 패키지 버전 고정 안 함",
    "DL3015": "apt-get install에 `--no-install-recommends` 없음",
    "DL3025": "CMD·ENTRYPOINT가 JSON 형식이 아님",
    "DL3026": "FROM 이미지가 허용된 레지스트리가 아님",
    "DL3042": "pip 캐시 사용: `pip install --no-cache-dir` 필요",
    "DL3045": "WORKDIR 없이 상대 경로로 COPY",
    "DL3059": "연속된 RUN: 합치는 것이 좋음",
    "DL3064": "ARG·ENV에 민감한 값",
    "DL3066": "숫자가 아닌 사용자 id: 호스트에서 못 읽을 수 있음",
    "DL4006": "파이프 앞에 `SHELL` `-o pipefail` 없음",
}


def hadolint_ko(code: str) -> str:
    """Return a hadolint finding's Korean message: its rule and gloss, or a pointer to English."""
    gloss = _GLOSS_KO.get(code)
    if gloss:
        return f"hadolint `{code}`: {gloss}"
    return f"hadolint `{code}` 위반 (원문은 영어 보고서 참조)"


def hadolint_requirement(code: str) -> Requirement:
    """Return the requirement a hadolint rule proves."""
    return Requirement(f"hadolint {code} 규칙 준수", f"hadolint rule {code} holds")


def from_hadolint(
    path: str,
    findings: Iterable[Finding],
    dockerfile: Dockerfile | None,
    analysis: Analysis | None,
    raw_lines: list[str],
) -> list[Evidence]:
    """Return evidence for one file's hadolint findings (and a pass when it has none)."""
    records: list[Evidence] = []
    starts = {i.line: i for i in dockerfile.instructions} if dockerfile else {}
    for finding in findings:
        code, line = str(finding["code"]), int(finding.get("line") or 1)
        instruction = starts.get(line)
        if dockerfile and instruction:
            span = dockerfile.span_of(instruction)
        else:
            text = raw_lines[line - 1] if 0 < line <= len(raw_lines) else ""
            span = Span(path, line, line, text)
        record = Evidence(
            check=code,
            subject=path,
            status=Status.FAIL,
            severity=_LEVELS.get(str(finding.get("level")), Severity.WARNING),
            location=span,
            message=str(finding.get("message", "")).replace("\n", " "),
            message_ko=hadolint_ko(code),
            requirement=hadolint_requirement(code),
            source="hadolint",
        )
        records.append(_settle(record, instruction, analysis))
    if not any(r.failed for r in records):
        where = dockerfile.span_of(dockerfile.instructions[0]) if dockerfile else None
        records.append(
            Evidence(
                check="hadolint",
                subject=path,
                status=Status.PASS,
                severity=Severity.INFO,
                location=where,
                message="hadolint: no findings",
                message_ko="hadolint: 지적 없음",
                source="hadolint",
                requirement=Requirement("hadolint 규칙 준수", "hadolint's rules hold"),
            )
        )
    return records


def _settle(
    record: Evidence, instruction: Instruction | None, analysis: Analysis | None
) -> Evidence:
    """Settle what hadolint cannot see: inherited WORKDIR, FROM through ARG defaults."""
    if instruction is None or analysis is None:
        return record
    if record.check in _RENDERED and instruction.keyword == "FROM" and "$" in instruction.original:
        rendered = _RENDERED[record.check]
        return dataclasses.replace(
            record,
            status=Status.SKIP,
            reason=f"hadolint cannot substitute ARG defaults; {rendered} lints the rendered FROM",
            reason_ko=f"hadolint는 ARG 기본값을 대입하지 못함:"
            f" 렌더링한 FROM은 `{rendered}`에서 검사",
        )
    if record.check == "DL3045" and analysis.final is not None:
        workdir = analysis.final.at(instruction).workdir
        if workdir is not None and workdir.span.file != analysis.dockerfile.path:
            return dataclasses.replace(
                record,
                status=Status.PASS,
                related=(workdir.span,),
                message=f"settled: WORKDIR {workdir.value} is inherited from {workdir.span}"
                f" ({record.message})",
                message_ko=f"해결됨: `WORKDIR {workdir.value}`, `{workdir.span}`에서 상속"
                f" ({record.message_in('ko')})",
            )
    return record


def quoted(reason: str) -> str:
    """Return the team's own reason text as a quotation, in the words it was written in."""
    return f"작성자 사유 ``{reason}``"


def apply_ignores(
    records: Iterable[Evidence],
    dockerfiles: Mapping[str, Dockerfile],
    names: Mapping[str, str],
) -> list[Evidence]:
    """Turn failures silenced by a pragma into SKIP records that say which pragma and why.

    ``names`` maps rule codes to rule names, so a pragma may name either.
    """
    out: list[Evidence] = []
    for record in records:
        pragma = _pragma_for(record, dockerfiles, names) if record.failed else None
        if pragma is None:
            out.append(record)
            continue
        assert record.location is not None
        where = f"{record.location.file}:{pragma.line}"
        reason = f"ignored by `# {pragma.tool} ignore` at {where}"
        reason_ko = f"`{where}`의 `# {pragma.tool} ignore`로 무시함"
        reason += f": {pragma.reason}" if pragma.reason else ""
        reason_ko += f": {quoted(pragma.reason)}" if pragma.reason else ""
        out.append(dataclasses.replace(record, status=Status.SKIP, reason=reason,
                                       reason_ko=reason_ko))
    return out


def _pragma_for(
    record: Evidence, dockerfiles: Mapping[str, Dockerfile], names: Mapping[str, str]
) -> Pragma | None:
    location = record.location
    dockerfile = dockerfiles.get(location.file) if location else None
    if dockerfile is None or location is None:
        return None
    wanted = {record.check, names.get(record.check, record.check)}
    pragmas = list(dockerfile.file_pragmas)
    for instruction in dockerfile.instructions:
        if instruction.line == location.line:
            pragmas += instruction.pragmas
    return next((p for p in pragmas if p.codes & wanted), None)


def disabled_records(config: LintConfig, known: Mapping[str, str]) -> list[Evidence]:
    """Return one SKIP record per rule the config turns off, with its reason."""
    records = []
    for code in sorted(config.ignored):
        reason = config.reasons.get(code, "")
        records.append(
            Evidence(
                check=code,
                subject=config.path or "config",
                status=Status.SKIP,
                severity=Severity.INFO,
                location=None,
                message=f"{code} is disabled in {config.path}",
                message_ko=f"`{code}`: `{config.path}`에서 꺼짐",
                source=known.get(code, "hadolint"),
                requirement=hadolint_requirement(code)
                if not code.startswith("DF")
                else Requirement(f"{code} 규칙", f"rule {code}"),
                reason=f"disabled in {config.path}" + (f": {reason}" if reason else ""),
                reason_ko=f"`{config.path}`에서 꺼짐" + (f": {quoted(reason)}" if reason else ""),
            )
        )
    return records
