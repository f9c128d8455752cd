"""The report's builds and image tests section: one line per image x variant, then failures."""

from __future__ import annotations

from dockbuild.evidence import Status
from dockbuild.report.facts import ImageState
from dockbuild.report.phrases import code, message, req, t
from dockbuild.report.sections import Section

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
    lines += [f"| {t('image', lang)} | {t('variant', lang)} | {t('build', lang)} |"
              f" {t('image_id', lang)} | {t('size', lang)} | {t('time', lang)} |"
              f" {t('tests', lang)} | {t('sigterm', lang)} |",
              "|------|------|------|------|------|------|------|------|"]
    lines += [_line(state, lang) for state in states]
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
    if build is not None and build.name == "skipped":
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
