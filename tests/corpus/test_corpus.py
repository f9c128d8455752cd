"""The policy rules on ~300 real Dockerfiles: findings match expected.json, nothing crashes.

Needs no Docker engine; slow-ish (the whole corpus is linted, twice for the
crash test). expected.json holds the findings judged true in TRIAGE.md.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import lint_corpus  # this folder is put on sys.path by pytest (no __init__.py)
import pytest

HERE = Path(__file__).parent
EXPECTED = json.loads((HERE / "expected.json").read_text())


def _key(finding: dict) -> tuple[str, int | None]:
    return finding["rule"], finding["line"]


def test_corpus_findings_match_expectations() -> None:
    false: list[str] = []
    missing: list[str] = []
    for name, result in lint_corpus.lint_all().items():
        found = Counter(_key(f) for f in result["findings"])
        wanted = Counter(_key(f) for f in EXPECTED.get(name, []))
        false += [f"{name}:{line} {rule}" for rule, line in (found - wanted).elements()]
        missing += [f"{name}:{line} {rule}" for rule, line in (wanted - found).elements()]
    report = []
    if false:
        report.append(f"{len(false)} false findings (not in expected.json):\n  "
                      + "\n  ".join(false[:50]))
    if missing:
        report.append(f"{len(missing)} true findings no longer reported:\n  "
                      + "\n  ".join(missing[:50]))
    assert not report, "\n".join(report)


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "DOCKBUILD_DEBUG=1"])
def test_corpus_lints_without_crash(debug: bool) -> None:
    crashes = [f"{name}: {crash}" for name, result in lint_corpus.lint_all(debug=debug).items()
               for crash in result["crashes"]]
    assert not crashes, "\n".join(crashes)


def test_every_corpus_file_is_listed_with_its_source() -> None:
    listed = {entry["file"] for entry in lint_corpus.corpus_files()}
    on_disk = {p.relative_to(lint_corpus.CORPUS).as_posix()
               for p in lint_corpus.CORPUS.glob("*/*.Dockerfile")}
    assert listed == on_disk
    for entry in lint_corpus.corpus_files():
        assert len(entry["commit"]) == 40, entry
        assert (lint_corpus.CORPUS / entry["file"]).stat().st_size == entry["bytes"], entry
