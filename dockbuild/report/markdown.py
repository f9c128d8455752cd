"""Sections in, Markdown out, in Korean or English, shaped like the team's report.

The words and the way lines are quoted live in ``report.phrases``; this module
lays sections 1-5 out as headings and tables. The image section is
``report.imagesection``'s, the conclusion and appendix ``report.conclusion``'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockbuild.evidence import Status
from dockbuild.report import conclusion, contentdiff, imagesection
from dockbuild.report.facts import Facts
from dockbuild.report.phrases import cell, cites, code, message, reason, req, t
from dockbuild.report.sections import InterfaceRow, LayerRow, Section, failures
from dockbuild.report.verdicts import SIGN, Mark, Row, worst


def _words(facts: Facts, row: Row) -> dict[str, str]:
    image = facts.manifest.get(row.image)
    return {"apt": ", ".join(image.apt), "copy": ", ".join(image.copies)}


def _mark(row: Row, lang: str, words: dict[str, str]) -> str:
    if row.mark is Mark.WAIVED:
        return f"⚠️ {t('waived', lang)}"
    if row.mark is Mark.PASS and row.spec.held:
        return f"✅ {t(row.spec.held, lang, **words)}"
    return SIGN[row.mark]


def where(row: Row, subject: str, lang: str, words: dict[str, str] | None = None) -> str:
    """Return a row's location cell: citations, what it says instead, failures and waivers."""
    parts = []
    if row.cites:
        parts.append(cites(row.cites, subject, lang))
    elif row.spec.absent:
        parts.append(t(row.spec.absent, lang))
    if row.spec.note and row.mark is not Mark.FAIL:
        parts.append(t(row.spec.note, lang, **(words or {})))
    text = " — ".join(parts)
    if row.failing:
        text += " — " + cell("; ".join(dict.fromkeys(message(r, lang) for r in row.failing)))
    if row.waived:
        checks = ", ".join(dict.fromkeys(r.check for r in row.waived))
        text += " · " + t("waived_by", lang, checks=checks, reason=reason(row.waived[0], lang))
    return text


def fact(row: Row, lang: str) -> str:
    """Return what the built image says about a row, or that no image was checked."""
    found = row.confirmed
    if not row.spec.image_check:
        return "-"
    if found is None:
        return t("not_verified", lang)
    what = req(found.record.requirement, lang)
    key = "refuted" if found.record.failed else "confirmed"
    return t(key, lang, image_id=found.image_id or "-", what=cell(what))


def _rows_table(section: Section, facts: Facts, lang: str) -> list[str]:
    first = "item" if section.key == "dockerignore" else "requirement"
    lines = [f"| {t(first, lang)} | {t('status', lang)} | {t('where', lang)} |"
             f" {t('image_fact', lang)} |", "|----------|-----------|------|------|"]
    for row in section.rows:
        words = _words(facts, row)
        lines.append(f'| <a id="{row.anchor}"></a>{cell(req(row.requirement, lang))} |'
                     f" {_mark(row, lang, words)} | {where(row, section.subject, lang, words)} |"
                     f" {fact(row, lang)} |")
    return lines


def _run_cell(row: Row | None, key: str, lang: str, subject: str) -> str:
    if row is None:
        return t("none", lang)
    runs = len({c.span for c in row.cites if not c.inherited}) or 1
    mark = "" if row.mark is Mark.PASS else f"{SIGN[row.mark]} "
    return f"{mark}{t(key, lang, n=runs)} — {where(row, subject, lang)}"


def _layer_line(layer: LayerRow, lang: str) -> str:
    notes = []
    if layer.order is not None:
        notes.append(f"{SIGN[layer.order.mark]} {cell(req(layer.order.requirement, lang))}"
                     f" — {where(layer.order, layer.dockerfile, lang)}")
    else:
        notes.append(t("pip_note", lang))
    if layer.user is not None:
        notes.append(f"{SIGN[layer.user.mark]} {cell(req(layer.user.requirement, lang))}"
                     f" — {where(layer.user, layer.dockerfile, lang)}")
    images = [r.confirmed for r in layer.rows if r.confirmed]
    notes.append(fact(next(r for r in layer.rows if r.confirmed), lang) if images
                 else t("not_verified", lang))
    return (f'| <a id="{layer.anchor}"></a>{SIGN[layer.mark]} {layer.image} |'
            f" {_run_cell(layer.apt, 'apt_runs', lang, layer.dockerfile)} |"
            f" {_run_cell(layer.pip, 'runs', lang, layer.dockerfile)} | {'<br>'.join(notes)} |")


def _layers(section: Section, facts: Facts, lang: str) -> list[str]:
    lines = [f"| Dockerfile | apt-get | pip | {t('note', lang)} |",
             "|------------|---------|-----|------|"]
    lines += [_layer_line(layer, lang) for layer in section.layers]
    ports = sorted({p for layer in section.layers for p in facts.manifest.get(layer.image).ports})
    if ports:
        shown = ", ".join(map(str, ports))
        lines += ["", f"- {t(f'ssot_bullet_{section.ssot}', lang, ports=shown)}"]
    return lines


def _interfaces(rows: Sequence[InterfaceRow], facts: Facts, lang: str) -> list[str]:
    lines = [f"| {t('svc', lang)} | {t('cmd', lang)} | {t('where', lang)} |"
             f" {t('changed', lang)} | {t('image_fact', lang)} |",
             "|--------|------------|------|-----------|------|"]
    for item in rows:
        image = facts.manifest.get(item.image)
        name = "base" if image is facts.manifest.base else item.image
        changed = _changed_cell(item, facts, lang)
        shown = code(item.cmd) if item.entry in item.cmd.split()[:3] else (
            f"{code(item.cmd.split()[0])} {code(item.entry)}")
        mark = "" if item.mark is Mark.PASS else f"{SIGN[item.mark]} "
        lines.append(f'| <a id="{item.anchor}"></a>{name} | {mark}{shown} |'
                     f" {where(item.row, image.dockerfile.as_posix(), lang)} | {changed} |"
                     f" {fact(item.row, lang)} |")
    return lines


def _changed_cell(item: InterfaceRow, facts: Facts, lang: str) -> str:
    """Return section 5's "changed?" cell: old -> new, inherited ones said so, or why not."""
    if facts.baseline.same_revision:
        return f"➖ {t('not_judged', lang)}"
    if not item.compared:
        return "➖"
    if not item.changes:
        return t("none", lang)
    cells = []
    for change in item.changes:
        old, new = change.short()
        where = change.new_where or change.old_where
        origin = f" ({t('inherited_from', lang, where=where)})" if change.inherited else ""
        cells.append(f"**{change.field}**{origin}: {code(f'{old} → {new}')}")
    return "<br>".join(cells)


def _status_word(section: Section, lang: str) -> str:
    if section.coverage is not None:  # section 6 says which cells were verified, always
        return imagesection.coverage_word(section, lang)
    if section.mark is Mark.FAIL:
        return f"❌ {t('not_held', lang, n=len(failures([section])))}"
    if section.mark is Mark.NA:
        return f"➖ {t('skipped', lang)}"
    return f"✅ {t('held', lang)}"


def _title(section: Section, lang: str) -> str:
    if section.key in ("base", "service"):
        label = f"{section.subject} ({t(section.key, lang)})"
    elif section.key == "dockerignore":
        label = f".dockerignore — {t('dockerignore', lang)}"
    else:
        label = t(section.key, lang)
    return f"## {section.number}. {label} — {_status_word(section, lang)}"


def _body(section: Section, facts: Facts, lang: str) -> list[str]:
    if section.key == "layers":
        out = _layers(section, facts, lang)
    elif section.key == "interfaces":
        out = _interfaces(section.interfaces, facts, lang) + contentdiff.render(
            section.contents, lang)
    elif section.key == "images":
        return imagesection.render(section, lang)
    else:
        out = _rows_table(section, facts, lang)
    if section.na:
        checks = ", ".join(dict.fromkeys(section.na))
        out += ["", f"- {t('na', lang, n=len(section.na), checks=checks)}"]
    return out


def render(facts: Facts, sections: Sequence[Section], lang: str) -> str:
    """Return the whole report in ``lang`` ("ko" or "en")."""
    out = conclusion.header(facts, sections, lang)
    for section in sections:
        if section.key == "others":
            continue
        out += ["", "---", "", _title(section, lang), "", *_body(section, facts, lang)]
    out += ["", "---", "", *conclusion.render(facts, sections, lang)]
    return "\n".join(out) + "\n"


def overall(sections: Sequence[Section]) -> Status:
    """Return the report's overall status: a waived row holds; unverified images are a skip."""
    status = worst(s.mark for s in sections).status
    if status is Status.PASS and conclusion.partly_verified(sections):
        return Status.SKIP
    return status
