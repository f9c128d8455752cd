"""reports/index.html: the report as one self-contained page, with pictures of the evidence.

Everything is inline (the charts are SVG drawn by matplotlib, the styles a
<style> block): the page opens from a file or a CI artifact with no network.
Three pictures, drawn only from what is stored (no engine is asked):
the last build run of each variant as a timeline (what built when, in
parallel, for how long; skipped and failed ones marked), each image's size by
layer against its budget (layers inherited from the parent in grey), and the
image-test outcome of each image x variant for the id it has now.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

from dockbuild.build import layers as layers_mod
from dockbuild.build import outcome
from dockbuild.report.facts import Facts, ImageState

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } code { background: #f6f6f6; padding: 0 .2rem; }
td.pass { background: #e6f4e6; } td.fail { background: #fbe3e3; } td.none { color: #888; }
td.stale { background: #fff4d6; } nav a { margin-right: 1rem; }
figure { margin: 1rem 0; } figcaption { color: #555; font-size: .9rem; }
details { margin: 1rem 0; } summary { cursor: pointer; font-weight: 600; font-size: 1.1rem; }
"""
_COLOURS = {"built": "#3b7dd8", "failed": "#d84b3b", "skipped": "#9aa5b1",
            "not built": "#e0b341"}


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog: the page is HTML


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9})
    return plt


def _timed(run: Mapping[str, Mapping[str, Any]]) -> bool:
    """Return True when the run built something and recorded when (older runs did not)."""
    return any("dockbuild.started" in entry for entry in run.values())


def untimed(runs: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    """Return one line for each variant whose last run has no timeline to draw."""
    return [f"{variant}: nothing built in the last run (every image skipped: inputs unchanged)"
            if all(e.get("dockbuild.status") == "skipped" for e in run.values()) else
            f"{variant}: the last run recorded no times (made by an older version)"
            for variant, run in runs.items() if run and not _timed(run)]


def timeline(runs: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str:
    """Return the last build run of each variant as a timeline (SVG), or "" with no run."""
    runs = {variant: run for variant, run in runs.items() if run and _timed(run)}
    if not runs:
        return ""
    plt = _pyplot()
    figure, axes = plt.subplots(len(runs), 1, figsize=(9, 0.45 * sum(map(len, runs.values()))
                                                        + 0.9 * len(runs)), squeeze=False)
    for axis, (variant, run) in zip(axes[:, 0], runs.items(), strict=True):
        names = list(run)
        for row, name in enumerate(names):
            entry = run[name]
            status = str(entry.get("dockbuild.status", "?"))
            start = float(entry.get("dockbuild.started", 0.0))
            seconds = float(entry.get("dockbuild.seconds", 0.0))
            if status == "built" or (status == "failed" and seconds):
                axis.barh(row, max(seconds, 0.2), left=start, color=_COLOURS.get(status, "#777"))
                axis.text(start + seconds, row, f" {seconds:.1f} s", va="center", fontsize=8)
            else:
                axis.plot([0], [row], marker="o", mfc="white", color=_COLOURS.get(status, "#777"))
                axis.text(0, row, f"  {status}", va="center", fontsize=8)
        axis.set_yticks(range(len(names)), names)
        axis.invert_yaxis()
        axis.set_title(f"{variant}: the last build run", loc="left", fontsize=10)
        axis.set_xlabel("seconds since the run's first build began")
        axis.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    text = _svg(figure)
    plt.close(figure)
    return text


def sizes(images: Sequence[ImageState], layers: Mapping[str, list[tuple[str, int]]],
          budgets: Mapping[str, float | None], parents: Mapping[str, str | None]) -> str:
    """Return each image's layers stacked against its size budget (SVG), or "" without data."""
    shown = [s for s in images if s.image_id and layers.get(s.image_id)]
    if not shown:
        return ""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(9, 0.5 * len(shown) + 1.2))
    by_name = {(s.name, s.variant): s for s in shown}
    palette = plt.get_cmap("tab20").colors
    for row, state in enumerate(shown):
        own = layers[str(state.image_id)]
        parent = by_name.get((parents.get(state.name) or "", state.variant))
        inherited = len(layers[str(parent.image_id)]) if parent else 0
        left = 0.0
        for index, (instruction, size) in enumerate(own):
            mb = size / 1e6
            colour = "#c8c8c8" if index < inherited else palette[index % len(palette)]
            axis.barh(row, mb, left=left, color=colour, edgecolor="white", linewidth=0.5)
            if mb > 40 and index >= inherited:
                axis.text(left + mb / 2, row, instruction[:28], ha="center", va="center",
                          fontsize=6, color="white")
            left += mb
        axis.text(left, row, f" {left:.0f} MB", va="center", fontsize=8)
        budget = budgets.get(state.name)
        if budget:
            axis.plot([budget, budget], [row - 0.4, row + 0.4], color="#d84b3b", linewidth=2)
    axis.set_yticks(range(len(shown)), [f"{s.name} ({s.variant})" for s in shown])
    axis.invert_yaxis()
    axis.set_xlabel("MB (layer sizes from the engine's history; red: the manifest's budget;"
                    " grey: inherited from the parent)")
    axis.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    text = _svg(figure)
    plt.close(figure)
    return text


def _cell(state: ImageState | None) -> tuple[str, str]:
    if state is None or not state.image_id:
        return "none", "not built"
    tests = [t for t in state.tests if t.image_id == state.image_id]
    if not tests:
        return ("stale", "tested an older image") if state.tests else ("none", "not tested")
    failed = sum(t.failed for t in tests)
    if failed:
        return "fail", f"{failed} of {len(tests)} failed"
    return "pass", f"{sum(t.status.value == 'pass' for t in tests)} passed"


def test_grid(images: Sequence[ImageState]) -> str:
    """Return the image-test outcome of every image x variant as an HTML table."""
    variants = list(dict.fromkeys(s.variant for s in images))
    names = list(dict.fromkeys(s.name for s in images))
    by_cell = {(s.name, s.variant): s for s in images}
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variants)
    rows = []
    for name in names:
        cells = "".join('<td class="{}">{}</td>'.format(*map(html.escape, _cell(
            by_cell.get((name, v))))) for v in variants)
        rows.append(f"<tr><th>{html.escape(name)}</th>{cells}</tr>")
    return f"<table><tr><th>image</th>{head}</tr>{''.join(rows)}</table>"


def render(facts: Facts, markdown_texts: Mapping[str, str]) -> str:
    """Return the whole page: the pictures, then the report in each language written."""
    import markdown

    manifest = facts.manifest
    variants = list(dict.fromkeys(s.variant for s in facts.images))
    runs = outcome.last_runs(facts.root, variants) if facts.runs is None else facts.runs
    pictures = [
        ("timeline", "Build timeline", timeline(runs),
         "each image of the last build run per variant: when it built, for how long, in"
         " parallel; hollow marks: skipped (inputs unchanged) or not built"),
        ("sizes", "Image sizes by layer", sizes(
            facts.images, layers_mod.load(facts.root) if facts.layers is None else facts.layers,
            {i.name: i.size_budget_mb for i in manifest.images()},
            {i.name: i.parent for i in manifest.images()}),
         "each built image's layers, stacked, against the manifest's size budget"),
    ]
    body = [f"<h1>{html.escape(manifest.project)}: Docker alignment report</h1>",
            f"<p>generated {html.escape(facts.generated)}"
            + (f" at revision <code>{html.escape(facts.revision.sha[:12])}</code>"
               if facts.revision else "") + "</p>",
            "<nav>" + "".join(f'<a href="#{key}">{title}</a>' for key, title, _, _ in pictures)
            + '<a href="#tests">Image tests</a>'
            + "".join(f'<a href="#report-{lang}">Report ({lang})</a>' for lang in markdown_texts)
            + "</nav>"]
    notes = {"timeline": untimed(runs), "sizes": []}
    for key, title, svg, caption in pictures:
        body.append(f'<h2 id="{key}">{title}</h2>')
        body.append(f"<figure>{svg}<figcaption>{caption}</figcaption></figure>" if svg else
                    "<p>nothing recorded yet: run <code>inv build</code></p>")
        body += [f"<p>{html.escape(line)}</p>" for line in notes[key]]
    body += ['<h2 id="tests">Image tests</h2>', test_grid(facts.images),
             "<p>each image x variant: the image-test outcome for the image id it has now</p>"]
    for lang, text in markdown_texts.items():
        rendered = markdown.markdown(text, extensions=["tables", "fenced_code"])
        body.append(f'<details id="report-{lang}" open><summary>Report ({lang})</summary>'
                    f"{rendered}</details>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(manifest.project)} report</title><style>{_STYLE}</style>"
            "</head><body>" + "\n".join(body) + "</body></html>\n")
