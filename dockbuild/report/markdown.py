"""Sections in, Markdown out, in Korean or English, shaped like the team's report.

Every citation is ``Lstart-end`` (with ``path:`` when the section is about
another file) followed by the exact text of those lines, one line per code
span; long spans show their first and last lines around an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockbuild.evidence import Requirement, Span, Status
from dockbuild.report.facts import Facts, ImageState
from dockbuild.report.sections import InterfaceRow, Row, Section, failures, worst

MARK = {Status.PASS: "✅", Status.FAIL: "❌", Status.SKIP: "➖"}
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


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def _where(row: Row, subject: str, lang: str) -> str:
    location = cites(row.cites, subject, lang)
    if row.status is Status.PASS and location:
        return location
    message = _cell("; ".join(row.messages))
    return f"{location} — {message}" if location else message


def _status_word(section: Section, lang: str) -> str:
    if section.status is Status.FAIL:
        count = len(failures([section]))
        return f"❌ {t('not_held', lang, n=count)}"
    if section.status is Status.SKIP:
        return f"➖ {t('skipped', lang)}"
    return f"✅ {t('held', lang)}"


def _rows_table(rows: Sequence[Row], subject: str, lang: str) -> list[str]:
    lines = [f"| {t('requirement', lang)} | {t('status', lang)} | {t('where', lang)} |",
             "|----------|-----------|------|"]
    for row in rows:
        anchor = f'<a id="{row.anchor}"></a>'
        lines.append(f"| {anchor}{_cell(req(row.requirement, lang))} | {MARK[row.status]} |"
                     f" {_where(row, subject, lang)} |")
    return lines


def _runs_cell(spans: Sequence[Span], what: str, subject: str, lang: str) -> str:
    if not spans:
        return t("none", lang)
    return f"{t('runs', lang, n=len(spans))}{what} — {cites(spans, subject, lang)}"


def _layers(section: Section, lang: str) -> list[str]:
    lines = [f"| Dockerfile | apt-get | pip | {t('note', lang)} |",
             "|------------|---------|-----|------|"]
    for layer in section.layers:
        notes = [t("order_note", lang) if layer.apt else t("inherits", lang)]
        notes += [f"❌ [{row.checks[0]}](#{row.anchor})" for row in layer.details
                  if row.status is Status.FAIL]
        apt = " (update + install + rm)" if layer.apt else ""
        lines.append(
            f'| <a id="{layer.anchor}"></a>{MARK[layer.status]} {layer.image} |'
            f" {_runs_cell(layer.apt, apt, layer.dockerfile, lang)} |"
            f" {_runs_cell(layer.pip, '', layer.dockerfile, lang)} | {' '.join(notes)} |"
        )
    for layer in section.layers:
        lines += ["", f"<details><summary>{t('details', lang, image=layer.dockerfile)}"
                  "</summary>", "", *_rows_table(layer.details, layer.dockerfile, lang), "",
                  "</details>"]
    return lines


def _interfaces(rows: Sequence[InterfaceRow], facts: Facts, lang: str) -> list[str]:
    lines = [f"| {t('svc', lang)} | {t('cmd', lang)} | {t('ports', lang)} |"
             f" {t('dockerfile', lang)} | {t('changed', lang)} |",
             "|--------|------------|------|------------|-----------|"]
    for row in rows:
        image = facts.manifest.get(row.image)
        dockerfile = ""
        if row.dockerfile is not None:
            dockerfile = f"{MARK[row.dockerfile.status]} " + _where(
                row.dockerfile, image.dockerfile.as_posix(), lang)
        if facts.baseline.interfaces is None:
            changed = "➖"
        elif row.changes:
            changed = "<br>".join(f"**{c.field}**: {code(c.old)} → {code(c.new)}"
                                  for c in row.changes)
        else:
            changed = t("none", lang)
        lines.append(f'| <a id="{row.anchor}"></a>{row.image} | {code(row.cmd)} |'
                     f" {row.ports} | {dockerfile} | {changed} |")
    return lines


def _images(section: Section, lang: str) -> list[str]:
    states = section.images
    if not any(s.image_id or s.build or s.tests for s in states):
        reason = t("no_engine", lang, problem=section.note) if section.note else ""
        return [f"➖ {t('no_images', lang)}", *(["", reason] if reason else [])]
    lines = []
    if section.note:
        lines += [t("no_engine", lang, problem=section.note), ""]
    lines += [f"| {t('image', lang)} | {t('variant', lang)} | {t('build', lang)} |"
              f" {t('image_id', lang)} | {t('size', lang)} | {t('time', lang)} |"
              f" {t('tests', lang)} | {t('sigterm', lang)} |",
              "|------|------|------|------|------|------|------|------|"]
    for state in states:
        lines.append(_image_line(state, lang))
    if section.rows:
        lines += ["", *_rows_table(section.rows, "", lang)]
    return lines


def _image_line(state: ImageState, lang: str) -> str:
    build = state.build
    status = build.name if build else ("present" if state.image_id else t("not_built", lang))
    mark = "❌ " if build and build.failed else ("✅ " if state.image_id else "➖ ")
    if status == "skipped":
        seconds = t("unchanged", lang)
    elif build is not None:
        seconds = f"{build.duration_s:.1f} s"
    else:
        seconds = "-"
    counts = {s: sum(r.status is s for r in state.tests) for s in Status}
    tests = "/".join(str(counts[s]) for s in Status) if state.tests else "-"
    if counts[Status.FAIL]:
        tests = f"❌ {tests}"
    stops = [dict(r.measures)["stop_s"] for r in state.tests if "stop_s" in dict(r.measures)]
    sigterm = ", ".join(f"{s:.2f} s" for s in stops) or "-"
    image_id = code(state.image_id.removeprefix("sha256:")[:12]) if state.image_id else "-"
    size = f"{state.size_mb:.0f} MB" if state.size_mb is not None else "-"
    return (f"| {state.name} | {state.variant} | {mark}{status} | {image_id} | {size} |"
            f" {seconds} | {tests} | {sigterm} |")


def _title(section: Section, facts: Facts, lang: str) -> str:
    subject = section.subject
    if section.key in ("base", "service"):
        label = f"{subject} ({t(section.key, lang)})"
    elif section.key == "dockerignore":
        label = f".dockerignore — {t('dockerignore', lang)}"
    else:
        label = t(section.key, lang)
    return f"## {section.number}. {label} — {_status_word(section, lang)}"


def _header(facts: Facts, sections: Sequence[Section], lang: str) -> list[str]:
    ok = not failures(sections)
    revision = facts.revision
    if revision is None:
        rev = t("no_git", lang)
    else:
        state = t("dirty", lang) if revision.dirty else t("clean", lang)
        rev = f"`{revision.short}` ({revision.branch}) — {state}"
    base = facts.baseline
    if base.interfaces is None:
        ssot = t("ssot_none", lang, problem=base.problem)
    else:
        changes = [c for s in sections for i in s.interfaces for c in i.changes]
        ssot = (t("ssot_changed", lang, n=len(changes), label=base.label) if changes
                else t("ssot_same", lang, label=base.label))
    return [
        f"# {t('title_ok' if ok else 'title_fail', lang)}",
        "",
        f"**{t('criterion', lang)}**: "
        f"{t('criterion_text', lang, manifest=facts.manifest.path.as_posix())}  ",
        f"**{t('when', lang)}**: {facts.generated.replace('T', ' ').replace('+00:00', ' UTC')}  ",
        f"**{t('revision', lang)}**: {rev}  ",
        f"**{t('ssot', lang)}**: {ssot}",
    ]


def _conclusion(sections: Sequence[Section], lang: str) -> list[str]:
    failing = failures(sections)
    lines = [f"## {t('conclusion', lang)}", ""]
    if not failing:
        lines.append(t("done", lang))
    else:
        lines.append(t("not_done", lang, n=len(failing)))
    lines.append("")
    held = [f"{s.number}" for s in sections if s.status is Status.PASS]
    skipped = [f"{s.number}" for s in sections if s.status is Status.SKIP]
    if held:
        lines.append(f"- {t('holds_list', lang, items=', '.join(held))}")
    if skipped:
        lines.append(f"- {t('skipped_list', lang, items=', '.join(skipped))}")
    if failing:
        lines.append(f"- {t('fails_list', lang)}")
        for section, anchor, label, requirement in failing:
            lines.append(f"  - [{section.number}. {label}](#{anchor}): {req(requirement, lang)}")
    return lines


def render(facts: Facts, sections: Sequence[Section], lang: str) -> str:
    """Return the whole report in ``lang`` ("ko" or "en")."""
    out = _header(facts, sections, lang)
    for section in sections:
        out += ["", "---", "", _title(section, facts, lang), ""]
        if section.key == "layers":
            out += _layers(section, lang)
        elif section.key == "interfaces":
            out += _interfaces(section.interfaces, facts, lang)
        elif section.key == "images":
            out += _images(section, lang)
        else:
            out += _rows_table(section.rows, section.subject, lang)
    out += ["", "---", "", *_conclusion(sections, lang)]
    return "\n".join(out) + "\n"


def overall(sections: Sequence[Section]) -> Status:
    """Return the report's overall status."""
    return worst(s.status for s in sections)
