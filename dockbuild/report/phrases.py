"""How the report says things: its words in Korean and English, and how it quotes lines.

Every citation is ``Lstart-end`` (with ``path:`` when the section is about
another file) followed by the exact text of those lines, one line per code
span; long spans show their first and last lines around an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockbuild.evidence import Requirement, Span

MAX_LINES = 3
MAX_CITES = 4

T: dict[str, tuple[str, str]] = {
    "title_ok": ("Docker 구조 정렬 완료 보고", "Docker structure alignment: complete"),
    "title_fail": ("Docker 구조 정렬 보고 — 미완료", "Docker structure alignment: not complete"),
    "criterion": ("기준", "Criterion"),
    "criterion_text": (
        "`{manifest}`(SSOT) 대비 Dockerfile·이미지 자동 검증 (`inv report`: 정책 규칙 + hadolint"
        " + 이미지 테스트)",
        "Dockerfiles and images checked by machine against `{manifest}` (SSOT) (`inv report`:"
        " policy rules + hadolint + image tests)",
    ),
    "when": ("검증 일시", "Verified at"),
    "revision": ("리비전", "Revision"),
    "dirty": ("커밋되지 않은 변경 포함", "with uncommitted changes"),
    "clean": ("작업 트리 = 커밋", "work tree = commit"),
    "no_git": ("git 저장소 아님", "not a git repository"),
    "ssot": ("SSOT", "SSOT"),
    "ssot_same": ("상수·포트·진입점 변경 없음 (기준: {label})",
                  "constants, ports and entry points unchanged (baseline: {label})"),
    "ssot_changed": ("상수·포트·진입점 변경 {n}건 (기준: {label}) — 5절 참조",
                     "{n} change(s) to constants, ports or entry points (baseline: {label}),"
                     " see section 5"),
    "ssot_none": ("기준선 없음: {problem}", "no baseline: {problem}"),
    "held": ("반영됨", "holds"),
    "not_held": ("미반영 {n}건", "{n} failing"),
    "skipped": ("건너뜀", "skipped"),
    "base": ("베이스", "base"),
    "service": ("통합", "integrated"),
    "layers": ("기타 Dockerfile 레이어 최적화", "Layer optimisation of the other Dockerfiles"),
    "dockerignore": ("빌드 방해 없음", "does not break builds"),
    "interfaces": ("CMD·진입점·상수 검증", "CMD, entry points and constants"),
    "images": ("빌드·이미지 테스트", "Builds and image tests"),
    "conclusion": ("결론", "Conclusion"),
    "requirement": ("요구사항", "Requirement"),
    "status": ("구현 상태", "Status"),
    "where": ("위치", "Location"),
    "more": ("외 {n}곳", "and {n} more"),
    "none": ("없음", "none"),
    "runs": ("{n}개 RUN", "{n} RUN(s)"),
    "note": ("비고", "Notes"),
    "details": ("세부 근거: {image}", "Evidence: {image}"),
    "order_note": ("USER root → apt → USER appuser → pip.",
                   "USER root → apt → USER appuser → pip."),
    "inherits": ("베이스 상속으로 appuser.", "appuser inherited from the base."),
    "svc": ("서비스", "Service"),
    "cmd": ("CMD/진입점", "CMD/entry point"),
    "ports": ("포트", "Ports"),
    "dockerfile": ("Dockerfile", "Dockerfile"),
    "changed": ("변경 여부", "Changed?"),
    "image": ("이미지", "Image"),
    "variant": ("변형", "Variant"),
    "build": ("빌드", "Build"),
    "image_id": ("이미지 ID", "Image ID"),
    "size": ("크기", "Size"),
    "time": ("빌드 시간", "Build time"),
    "tests": ("테스트 (통과/실패/건너뜀)", "Tests (pass/fail/skip)"),
    "sigterm": ("SIGTERM 종료", "SIGTERM stop"),
    "unchanged": ("건너뜀 (입력 변경 없음)", "skipped (inputs unchanged)"),
    "not_built": ("빌드된 이미지 없음", "not built"),
    "no_engine": ("엔진 응답 없음: 이미지 정보 건너뜀 ({problem})",
                  "no engine answered: image facts skipped ({problem})"),
    "no_images": ("빌드·테스트 기록 없음: 이 절은 건너뜀"
                  " (`inv build`, `inv image-test` 후 다시 실행)",
                  "no build or test record: this section is skipped (run `inv build` and"
                  " `inv image-test`, then report again)"),
    "done": ("**Docker 구조 정렬 완료.**", "**Docker structure alignment complete.**"),
    "not_done": ("**Docker 구조 정렬 미완료: {n}개 항목 실패.**",
                 "**Docker structure alignment not complete: {n} failing row(s).**"),
    "holds_list": ("충족: {items}", "Holds: {items}"),
    "fails_list": ("미충족:", "Does not hold:"),
    "skipped_list": ("건너뜀: {items}", "Skipped: {items}"),
    # The baseline of section 5 (report.baseline): what "changed?" is measured against.
    "same_revision": ("기준이 현재와 같은 리비전({rev})이라 변경 여부를 판단하지 않음",
                      "the baseline is this same revision ({rev}): no change can be claimed"),
    "not_judged": ("판단 안 함", "not judged"),
    "inherited_from": ("{where}에서 상속", "inherited from {where}"),
    "changes_line": ("기준({label}) 대비 변경: {items}", "Changed against {label}: {items}"),
    "no_changes_line": ("기준({label}) 대비 CMD·진입점·상수 변경 없음",
                        "No change to commands, entry points or constants against {label}"),
}


def t(key: str, lang: str, **values: object) -> str:
    """Return the text ``key`` in ``lang`` with ``values`` filled in."""
    ko, en = T[key]
    return (ko if lang == "ko" else en).format(**values)


def req(requirement: Requirement | None, lang: str) -> str:
    """Return a requirement in ``lang`` (falling back to the other language)."""
    if requirement is None:
        return ""
    if lang == "ko":
        return requirement.ko or requirement.en
    return requirement.en or requirement.ko


def code(text: str) -> str:
    """Return ``text`` as one inline code span that survives a Markdown table cell."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text.strip() else ""


def cite(span: Span, subject: str) -> str:
    """Return ``L25-27`` (or ``path:L25-27``) and the exact text of those lines."""
    label = span.cite() if span.file == subject else f"{span.file}:{span.cite()}"
    lines = span.text.splitlines() or [""]
    if len(lines) > MAX_LINES:
        lines = [lines[0], "…", lines[-1]]
    quoted = "<br>".join(code(line) if line != "…" else "…" for line in lines)
    return f"{label} {quoted}".rstrip()


def cites(spans: Sequence[Span], subject: str, lang: str) -> str:
    """Return up to MAX_CITES citations, then how many more there are."""
    shown = [cite(span, subject) for span in spans[:MAX_CITES]]
    if len(spans) > MAX_CITES:
        shown.append(t("more", lang, n=len(spans) - MAX_CITES))
    return " · ".join(shown)
