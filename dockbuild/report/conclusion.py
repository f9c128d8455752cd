"""The report's header, conclusion and appendix: the facts that matter, then everything else.

The conclusion has one bullet per section (its lines and counts), then what
no built image confirmed, what is waived and why, and what changed against
the baseline. The appendix lists, collapsed, every check no row shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockbuild.evidence import Evidence, Status
from dockbuild.report import imagesection
from dockbuild.report.facts import Facts
from dockbuild.report.phrases import code, message, reason, req, t
from dockbuild.report.sections import Section, failures, shown_records
from dockbuild.report.verdicts import SIGN, Mark, Row


def produced(facts: Facts, sections: Sequence[Section]) -> tuple[str, str]:
    """Return when the evidence shown was produced, and which phrase says so."""
    stamps = [r.produced_at for r in (*shown_records(sections), *facts.tests) if r.produced_at]
    if stamps:
        return max(stamps), "when_evidence"
    return facts.generated, "when_lint"


def header(facts: Facts, sections: Sequence[Section], lang: str) -> list[str]:
    """Return the title and the lines under it."""
    revision = facts.revision
    if revision is None:
        rev = t("no_git", lang)
    else:
        state = t("dirty", lang) if revision.dirty else t("clean", lang)
        rev = f"`{revision.short}` ({revision.branch}) — {state}"
    base = facts.baseline
    changes = [c for s in sections for i in s.interfaces for c in i.changes]
    if base.same_revision:
        ssot = t("same_revision", lang, rev=base.short)
    elif base.interfaces is None:
        ssot = t("ssot_none", lang, problem=base.problem_in(lang))
    elif changes:
        ssot = t("ssot_changed", lang, n=len(changes), label=base.label_in(lang))
    else:
        ssot = t("ssot_same", lang, label=base.label_in(lang))
    at, key = produced(facts, sections)
    return [
        f"# {t(_title_key(sections), lang)}",
        "",
        f"**{t('criterion', lang)}**: "
        f"{t('criterion_text', lang, manifest=facts.manifest.path.as_posix())}  ",
        f"**{t('when', lang)}**: "
        f"{t(key, lang, at=at.replace('T', ' ').replace('+00:00', ' UTC'))}  ",
        f"**{t('revision', lang)}**: {rev}  ",
        f"**{t('ssot', lang)}**: {ssot}",
    ]


def _facts_of(rows: Sequence[Row], lang: str) -> str:
    parts = []
    for row in rows:
        if row.mark is Mark.FAIL:
            parts.append(f"❌ [{req(row.requirement, lang)}](#{row.anchor})")
            continue
        words = row.spec.short[0 if lang == "ko" else 1]
        if not words:
            continue
        own = [c for c in row.cites if c.span.file == row.subject] or row.cites
        labels = "/".join(c.span.cite() for c in own)
        parts.append(f"{words} ({labels})" if own else words)
    return ", ".join(parts)


_SSOT_WORD = {"kept": "ssot_kept", "changed": "ssot_changed_short", "unknown": "ssot_unknown"}


def _bullet(section: Section, lang: str) -> str | None:
    mark = SIGN[section.mark]
    if section.key in ("base", "service", "dockerignore"):
        return f"{section.subject} {mark}: {_facts_of(section.rows, lang)}"
    if section.key == "layers":
        names = ", ".join(layer.image for layer in section.layers)
        failing = [f"❌ [{layer.image}](#{layer.anchor})" for layer in section.layers
                   if layer.mark is Mark.FAIL]
        text = t("layers_bullet", lang, images=names,
                 apt=", ".join(ly.image for ly in section.layers if ly.apt) or t("none", lang),
                 pip=len([ly for ly in section.layers if ly.pip.mark is Mark.PASS]),
                 ssot=t(_SSOT_WORD[section.ssot], lang))
        return f"{text} {mark}" + (f": {', '.join(failing)}" if failing else "")
    if section.key == "interfaces":
        failing = [f"❌ [{i.image}](#{i.anchor})" for i in section.interfaces
                   if i.mark is Mark.FAIL]
        held = len(section.interfaces) - len(failing)
        return f"{t('interfaces_bullet', lang, n=held)} {mark}" + (
            f": {', '.join(failing)}" if failing else "")
    if section.key == "images" and section.mark is not Mark.NA:
        failing = [f"❌ [{test.subject}](#s{section.number}-{i})"
                   for i, test in enumerate(section.tests, start=1)]
        return f"{t('images', lang)} {mark}" + (f": {', '.join(failing)}" if failing else "")
    return None


def _waived(sections: Sequence[Section], lang: str) -> list[str]:
    records: list[Evidence] = []
    for section in sections:
        for row in section.all_rows():
            records += [r for r in row.waived if r not in records]
        records += [r for r in section.records if r.status is Status.SKIP and r not in records]
    # the reasons stand beside the rows and in the appendix; here, what and where
    by_file: dict[str, list[str]] = {}
    for record in records:
        where = record.location.file if record.location else record.subject
        by_file.setdefault(where, []).append(record.check)
    return [f"{', '.join(dict.fromkeys(checks))} ({code(where)})"
            for where, checks in by_file.items()]


def partly_verified(sections: Sequence[Section]) -> bool:
    """Return True when some image x variant cell is not verified or its results are stale."""
    images = next((s for s in sections if s.coverage is not None), None)
    return images is not None and (not images.coverage.complete or images.mark is Mark.STALE)


def _title_key(sections: Sequence[Section]) -> str:
    if failures(sections):
        return "title_fail"
    return "title_partial" if partly_verified(sections) else "title_ok"


def render(facts: Facts, sections: Sequence[Section], lang: str) -> list[str]:
    """Return the conclusion and the appendix."""
    failing = failures(sections)
    verdict = (t("not_done", lang, n=len(failing)) if failing else
               t("done_partly" if partly_verified(sections) else "done", lang))
    lines = [f"## {t('conclusion', lang)}", "", verdict, ""]
    lines += [f"- {b}" for s in sections if (b := _bullet(s, lang))]
    images = next((s for s in sections if s.coverage is not None), None)
    if images is not None:
        lines.append(f"- {t('cov_label', lang)}: {imagesection.coverage_word(images, lang)}")
    rows = [r for s in sections if s.number >= 1 and s.key != "images" for r in s.all_rows()
            if r.mark is not Mark.NA and r.spec.image_check]
    unverified = [r for r in rows if r.confirmed is None]
    lines.append(f"- {t('unverified_line', lang, n=len(unverified))}" if unverified
                 else f"- {t('verified_line', lang)}")
    if waived := _waived(sections, lang):
        lines.append(f"- {t('waived_line', lang, items='; '.join(waived))}")
    if na := sum(len(s.na) for s in sections):
        lines.append(f"- {t('na_line', lang, n=na)}")
    lines.append(f"- {_changes(facts, sections, lang)}")
    rest = next((s for s in sections if s.key == "others"), None)
    if rest is not None and (bad := [r for r in rest.records if r.failed]):
        items = ", ".join(f"[{r.check}](#appendix-{rest.records.index(r) + 1})" for r in bad)
        lines.append(f"- ❌ {t('others_failed', lang, n=len(bad), items=items)}")
    if rest is not None and rest.records:
        lines += ["", *_appendix(rest.records, lang)]
    return lines


def _changes(facts: Facts, sections: Sequence[Section], lang: str) -> str:
    """Return the line saying what changed against the baseline (report.baseline decides)."""
    base = facts.baseline
    if base.same_revision:
        return t("same_revision", lang, rev=base.short)
    if base.interfaces is None:
        return t("no_baseline_line", lang, problem=base.problem_in(lang))
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for change in (c for s in sections for i in s.interfaces for c in i.changes):
        grouped.setdefault((change.field, *change.short()), []).append(change.image)
    items = "; ".join(f"{code(field)} {code(f'{old} → {new}')} ({', '.join(images)})"
                      for (field, old, new), images in grouped.items())
    return t("changes_line", lang, label=base.label_in(lang), items=items or t("none", lang))


def _appendix(records: Sequence[Evidence], lang: str) -> list[str]:
    lines = [f"<details><summary>{t('appendix', lang, n=len(records))}</summary>", "",
             f"| {t('check', lang)} | {t('subject', lang)} | {t('state', lang)} |"
             f" {t('where', lang)} | {t('requirement', lang)} |",
             "|------|------|------|------|------|"]
    for index, record in enumerate(records, start=1):
        if record.failed:
            state = f"❌ {t('fail', lang)}: {message(record, lang)}"
        elif record.status is Status.SKIP:
            state = f"⚠️ {t('waived', lang)}: {reason(record, lang)}"
        else:
            state = f"✅ {t('pass', lang)}"
        where = f"{record.location.file}:{record.location.cite()}" if record.location else ""
        lines.append(f'| <a id="appendix-{index}"></a>{record.check} | {code(record.subject)} |'
                     f" {state.replace('|', '/')} | {where} | {req(record.requirement, lang)} |")
    return [*lines, "", "</details>"]
