"""Write the report's files: Markdown per language, results.json, junit.xml, SARIF, HTML."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockbuild import junit
from dockbuild.evidence import Evidence
from dockbuild.lint import formats
from dockbuild.report import html as page
from dockbuild.report import markdown
from dockbuild.report.facts import Facts, ImageState
from dockbuild.report.sections import Section, failures

LANGS = ("ko", "en")


def _results(facts: Facts, sections: Sequence[Section], tests: list[Evidence]) -> dict[str, Any]:
    revision = facts.revision
    return {
        "generated": facts.generated,
        "revision": dataclasses.asdict(revision) if revision else None,
        "manifest": facts.manifest.path.as_posix(),
        "status": markdown.overall(sections).value,
        "baseline": facts.baseline.to_dict(),
        "interfaces": [i.to_dict() for i in facts.interfaces.values()],
        "sections": [
            {"number": s.number, "key": s.key, "subject": s.subject, "status": s.status.value}
            for s in sections
        ],
        "failures": [{"section": s.number, "anchor": a, "label": label}
                     for s, a, label, _ in failures(sections)],
        "images": [_image(state) for state in facts.images],
        "coverage": next((s.coverage.to_dict() for s in sections if s.coverage), None),
        "contents": [diff.to_dict() for s in sections if s.contents for diff in s.contents.images],
        "records": [r.to_dict() for r in (*facts.lint, *tests)],
    }


def _image(state: ImageState) -> dict[str, Any]:
    return {
        **{field.name: getattr(state, field.name) for field in dataclasses.fields(state)},
        "build": state.build.to_dict() if state.build else None,
        "tests": [test.to_dict() for test in state.tests],
    }


def write(facts: Facts, sections: Sequence[Section], out: Path, langs: Sequence[str]) -> list[Path]:
    """Write every file of the report into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    tests = list(facts.tests)
    written = []
    texts = {}
    for lang in langs:
        path = out / f"alignment.{lang}.md"
        texts[lang] = markdown.render(facts, sections, lang)
        path.write_text(texts[lang], encoding="utf-8")
        written.append(path)
    files = {
        "results.json": json.dumps(_results(facts, sections, tests), ensure_ascii=False,
                                   indent=1) + "\n",
        "junit.xml": junit.render([*facts.lint, *tests], name="dockbuild report"),
        "lint.sarif": formats.as_sarif(list(facts.lint)),
        "index.html": page.render(facts, texts),
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written
