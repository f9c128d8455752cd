"""Which lines a row cites: the instructions its patterns pick, keeping the lines that prove it.

A citation names a span (an instruction, or a line of .dockerignore) and the
lines of it that are quoted: all of them when the span is short, else the
first line and every line the row's proof patterns match (the flag, each
package), the others elided. Reads the files; no engine.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from dockbuild.errors import DockerfileSyntaxError
from dockbuild.evidence import Span
from dockbuild.inputs import dockerfile
from dockbuild.report.rows import Spec

MAX_LINES = 3


@dataclasses.dataclass(frozen=True, slots=True)
class Cite:
    """Lines of a file a row cites, which of them are quoted, and whether they are inherited."""

    span: Span
    shown: tuple[int, ...]
    inherited: bool = False

    def quoted(self) -> list[str | None]:
        """Return the quoted lines in order, None where lines are elided."""
        lines = self.span.text.splitlines()
        out: list[str | None] = []
        previous = None
        for number in self.shown:
            if previous is not None and number != previous + 1:
                out.append(None)
            out.append(lines[number - self.span.line])
            previous = number
        if previous is not None and previous < self.span.end_line:
            out.append(None)
        return out


class Files:
    """The repository's files as units a row can cite: instructions of a Dockerfile, or lines."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._units: dict[str, list[Span]] = {}

    def units(self, path: str) -> list[Span]:
        """Return the citable spans of ``path`` (empty when it cannot be read or parsed)."""
        if path not in self._units:
            self._units[path] = self._read(path)
        return self._units[path]

    def _read(self, path: str) -> list[Span]:
        try:
            text = (self.root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        if path.endswith(".dockerignore"):
            return [Span(path, n, n, line) for n, line in enumerate(text.splitlines(), start=1)]
        try:
            parsed = dockerfile.parse(text, path)
        except DockerfileSyntaxError:
            return []
        return [parsed.span_of(i) for i in parsed.instructions]


def _matches(span: Span, pattern: str) -> bool:
    return any(re.search(pattern, line.strip()) for line in span.text.splitlines())


def _shown(span: Span, proof: tuple[str, ...]) -> tuple[int, ...]:
    numbers = range(span.line, span.end_line + 1)
    if len(numbers) <= MAX_LINES:
        return tuple(numbers)
    lines = span.text.splitlines()
    keep = [n for n, line in zip(numbers, lines, strict=True)
            if n == span.line or any(re.search(p, line.strip()) for p in proof)]
    return tuple(keep)


def select(spec: Spec, files: Files, path: str, base: str) -> tuple[Cite, ...]:
    """Return the citations of ``spec`` in ``path`` (or in the base's file, inherited)."""
    path = spec.file or path
    found: list[Cite] = []
    for pattern in spec.cite:
        inherited = False
        picked = [s for s in files.units(path) if _matches(s, pattern)]
        if not picked and spec.inherit and path != base:
            picked = [s for s in files.units(base) if _matches(s, pattern)]
            inherited = True
        for span in picked[-1:] if spec.last else picked:
            cite = Cite(span, _shown(span, spec.proof), inherited)
            if all(c.span != span for c in found):
                found.append(cite)
    return tuple(sorted(found, key=lambda c: (c.inherited, c.span.file, c.span.line)))
