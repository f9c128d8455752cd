"""The report's fixtures: a git copy of the build inputs, and the check that re-reads citations.

A citation is ``Lx-y`` (after a file's path when the row is about another file,
before "(상속)"/"(inherited)" when the base's line is inherited) and its quoted
lines; ``…`` stands for elided lines. The check reads the file again: every
quoted line is the file's line at its place, and the quoted lines hold what the
row's requirement names (its ``proof`` patterns in report/rows.py).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from dockbuild.report import facts as facts_mod
from dockbuild.report import run as report_run
from dockbuild.report import sections as sections_mod
from dockbuild.report.verdicts import Mark, Row

CITE = re.compile(
    r"(?<![\w:])(?:(?P<file>(?:[\w.-]+/)+[\w.-]+|\.dockerignore) )?L(?P<a>\d+)(?:-(?P<b>\d+))?"
    r"(?: \((?:상속|inherited)\))?"
    r"(?P<rest>(?: (?:``.+?``|`[^`]+`)(?:<br>(?:…|``.+?``|`[^`]+`))*)?)"
)
CODE = re.compile(r"``\s?(.+?)\s?``|`([^`]+)`|(…)")


@pytest.fixture
def repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the copy of the build inputs as a git repository with one commit."""
    # Nothing in a unit test may wait for an engine: point at a closed loopback port.
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=repo, check=True)
    return repo


def quotes(cell: str, subject: str) -> Iterator[tuple[str, int, int, list[str]]]:
    """Yield (file, first, last, quoted lines with "…") of every citation in a table cell."""
    for match in CITE.finditer(cell):
        codes = [next(g for g in groups if g) for groups in CODE.findall(match["rest"])]
        first = int(match["a"])
        yield (match["file"] or subject, first, int(match["b"] or first),
               [c.replace("\\|", "|") for c in codes])


def check_quote(root: Path, file: str, first: int, last: int, quoted: list[str]) -> list[str]:
    """Assert the quoted lines are the file's, in place; return them (without "…")."""
    lines = (root / file).read_text().splitlines()[first - 1:last]
    assert len(lines) == last - first + 1, f"{file}:L{first}-{last} is past the end"
    position, gap = 0, False
    for text in quoted:
        if text == "…":
            gap = True
            continue
        if gap:
            while position < len(lines) and lines[position] != text:
                position += 1
        assert position < len(lines) and lines[position] == text, (
            f"{file}:L{first}-{last} quotes {text!r} where it holds {lines[position:]}")
        position, gap = position + 1, False
    return [q for q in quoted if q != "…"]


def _cells(section: sections_mod.Section) -> Iterator[tuple[str, int, Sequence[Row]]]:
    """Yield (anchor, cell index, rows shown in that cell) of every table line of a section."""
    for row in section.rows:
        yield row.anchor, 3, (row,)
    for layer in section.layers:
        yield layer.anchor, 2, (layer.apt,) if layer.apt else ()
        yield layer.anchor, 3, (layer.pip,)
        yield layer.anchor, 4, tuple(r for r in (layer.order, layer.user) if r)
    for item in section.interfaces:
        yield item.anchor, 3, (item.row,)


def check_report(root: Path, markdown: str, sections: Sequence[sections_mod.Section]) -> int:
    """Re-read every citation of sections 1-5: true lines, and the code each row names."""
    lines = {m[1]: line for line in markdown.splitlines()
             if (m := re.match(r'\| <a id="([\w-]+)"></a>', line))}
    count = 0
    for section in sections:
        if section.key in ("images", "others"):
            continue
        for anchor, index, rows in _cells(section):
            cell = lines[anchor].split(" | ")[index - 1] if index > 1 else lines[anchor]
            subject = section.subject or (rows[0].subject if rows else "")
            quoted: list[str] = []
            for file, first, last, text in quotes(cell, subject):
                quoted += check_quote(root, file, first, last, text)
                count += 1
            for row in rows:
                if row.mark in (Mark.FAIL, Mark.WAIVED) or row.spec.absent:
                    continue
                for proof in row.spec.proof:
                    assert any(re.search(proof, q.strip()) for q in quoted), (
                        f"{anchor} ({row.spec.key}) cites {quoted}: nothing matches {proof!r}")
    return count


@pytest.fixture
def report(repo: Path) -> Callable[..., tuple[str, list[sections_mod.Section]]]:
    """Return a function writing the report in one language: (markdown, its sections)."""

    def write(lang: str = "ko", **options: object) -> tuple[str, list[sections_mod.Section]]:
        report_run.run(repo, lang=lang, output="out", **options)
        manifest = report_run.manifest_mod.load(repo)
        facts = facts_mod.gather(manifest, baseline_ref=None,
                                 variants=report_run.cells(manifest, None, None))
        return (repo / f"out/alignment.{lang}.md").read_text(), sections_mod.build(facts)

    return write
