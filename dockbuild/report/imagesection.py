"""The report's builds and image tests section: one line per image x variant, then failures."""

from __future__ import annotations

from dockbuild.evidence import Status
from dockbuild.report import coverage
from dockbuild.report.facts import ImageState
from dockbuild.report.phrases import cell, code, message, req, t
from dockbuild.report.sections import Section, failures
from dockbuild.report.verdicts import SIGN, Mark

_STATES = {"built": "state_built", "skipped": "state_skipped", "failed": "state_failed"}


def render(section: Section, lang: str) -> list[str]:
    """Return the section's body."""
    states = section.images
    if not any(s.image_id or s.build or s.tests for s in states):
        reason = t("no_engine", lang, problem=code(section.note)) if section.note else ""
        return [f"➖ {t('no_images', lang)}", *(["", reason] if reason else [])]
    lines = []
    if section.note:
        lines += [t("no_engine", lang, problem=code(section.note)), ""]
    runners = len({s.source for s in states if s.source})
    if runners:
        lines += [t("merged", lang, n=runners), ""]
    lines += [f"| {t('image', lang)} | {t('variant', lang)} | {t('build', lang)} |"
              f" {t('image_id', lang)} | {t('size', lang)} | {t('time', lang)} |"
              f" {t('tests', lang)} | {t('sigterm', lang)} |"
              + (f" {t('runner', lang)} |" if runners else ""),
              "|------|------|------|------|------|------|------|------|"
              + ("------|" if runners else "")]
    lines += [_line(state, lang) + (f" {cell(state.source) or '-'} |" if runners else "")
              for state in states]
    if section.tests:
        lines += ["", f"| {t('requirement', lang)} | {t('status', lang)} | {t('where', lang)} |",
                  "|----------|-----------|------|"]
        for index, test in enumerate(section.tests, start=1):
            where = f"{test.location.file}:{test.location.cite()} — " if test.location else ""
            lines.append(f'| <a id="s{section.number}-{index}"></a>{req(test.requirement, lang)}'
                         f" | ❌ | {where}{test.subject}: {message(test, lang)} |")
    return lines


def _line(state: ImageState, lang: str) -> str:
    build = state.build
    if build:
        status = t(_STATES[build.name], lang) if build.name in _STATES else build.name
    else:
        status = t("present", lang) if state.image_id else t("not_built", lang)
    mark = "❌ " if build and build.failed else ("✅ " if state.image_id else "➖ ")
    if build is not None and build.status is Status.STALE:
        mark, status = "⚠️ ", f"{status} ({cell(build.reason_in(lang))})"
    if build is not None and build.name == "skipped":
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
        stale = [r for r in state.tests if r.status is Status.STALE]
        tests = f"⚠️ {cell(stale[0].reason_in(lang))} ({len(stale)}/{len(state.tests)})"
    stops = [dict(r.measures)["stop_s"] for r in state.tests if "stop_s" in dict(r.measures)]
    sigterm = ", ".join(f"{s:.2f} s" for s in stops) or "-"
    image_id = code(state.image_id.removeprefix("sha256:")[:12]) if state.image_id else "-"
    size = f"{state.size_mb:.0f} MB" if state.size_mb is not None else "-"
    return (f"| {state.name} | {state.variant} | {mark}{status} | {image_id} | {size} |"
            f" {seconds} | {tests} | {sigterm} |")


def coverage_word(section: Section, lang: str) -> str:
    """Return section 6's status: failures or stale results first, then the coverage line."""
    assert section.coverage is not None
    line = section.coverage.line(lang)
    if section.mark is Mark.FAIL:
        return f"❌ {t('not_held', lang, n=len(failures([section])))}; {line}"
    if section.mark is Mark.STALE:
        stale = coverage.word("stale", lang, n=coverage.stale_count(section.images))
        return f"⚠️ {stale}; {line}"
    return f"{SIGN[section.mark]} {line}"
