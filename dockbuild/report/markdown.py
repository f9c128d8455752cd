"""Sections in, Markdown out, in Korean or English, shaped like the team's report.

The words and the way lines are quoted live in ``report.phrases``; this module
lays sections out as headings and tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockbuild.evidence import Span, Status
from dockbuild.report import coverage
from dockbuild.report.facts import Facts, ImageState
from dockbuild.report.phrases import cites, code, req, t
from dockbuild.report.sections import InterfaceRow, Row, Section, failures, worst

MARK = {Status.PASS: "✅", Status.FAIL: "❌", Status.SKIP: "➖", Status.STALE: "⚠️"}


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def _where(row: Row, subject: str, lang: str) -> str:
    location = cites(row.cites, subject, lang)
    if row.status is Status.PASS and location:
        return location
    message = _cell("; ".join(row.messages))
    return f"{location} — {message}" if location else message


def _status_word(section: Section, lang: str) -> str:
    if section.coverage is not None:  # section 6 says which cells were verified, always
        return _coverage_word(section, lang)
    if section.status is Status.FAIL:
        count = len(failures([section]))
        return f"❌ {t('not_held', lang, n=count)}"
    if section.status is Status.SKIP:
        return f"➖ {t('skipped', lang)}"
    return f"✅ {t('held', lang)}"


def _coverage_word(section: Section, lang: str) -> str:
    assert section.coverage is not None
    line = section.coverage.line(lang)
    if section.status is Status.FAIL:
        return f"❌ {t('not_held', lang, n=len(failures([section])))}; {line}"
    if section.status is Status.STALE:
        stale = coverage.word("stale", lang, n=coverage.stale_count(section.images))
        return f"{MARK[Status.STALE]} {stale}; {line}"
    return f"{MARK[section.status]} {line}"


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
    if build and build.status is Status.STALE:
        mark, status = f"{MARK[Status.STALE]} ", f"{status} ({_cell(build.reason_in(lang))})"
    if status == "skipped":
        seconds = t("unchanged", lang)
    elif build is not None:
        seconds = f"{build.duration_s:.1f} s"
    else:
        seconds = "-"
    counts = {s: sum(r.status is s for r in state.tests) for s in Status}
    shown = (Status.PASS, Status.FAIL, Status.SKIP)
    tests = "/".join(str(counts[s]) for s in shown) if state.tests else "-"
    if counts[Status.FAIL]:
        tests = f"❌ {tests}"
    if counts[Status.STALE]:  # results of another image id: the reason says which
        tests = f"{MARK[Status.STALE]} {_stale_reason(state, lang)}"
    stops = [dict(r.measures)["stop_s"] for r in state.tests if "stop_s" in dict(r.measures)]
    sigterm = ", ".join(f"{s:.2f} s" for s in stops) or "-"
    image_id = code(state.image_id.removeprefix("sha256:")[:12]) if state.image_id else "-"
    size = f"{state.size_mb:.0f} MB" if state.size_mb is not None else "-"
    return (f"| {state.name} | {state.variant} | {mark}{status} | {image_id} | {size} |"
            f" {seconds} | {tests} | {sigterm} |")


def _stale_reason(state: ImageState, lang: str) -> str:
    stale = [r for r in state.tests if r.status is Status.STALE]
    return f"{_cell(stale[0].reason_in(lang))} ({len(stale)}/{len(state.tests)})"


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
    covered = next((s for s in sections if s.coverage is not None), None)
    if covered is not None:
        lines.append(f"- {coverage.word('label', lang)}: {_coverage_word(covered, lang)}")
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
