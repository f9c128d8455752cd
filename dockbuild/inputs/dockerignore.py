""".dockerignore with the docker SDK's own matcher, and the build context it leaves.

Builds go through the docker SDK, which makes the context tarball itself with
``docker.utils.build.PatternMatcher``: so that matcher, not a look-alike, is
what decides whether a COPY source reaches the engine. ``import docker``
costs about 0.15 s (requests, urllib3, paramiko); lint only needs two small
pure-Python files, so they are loaded on their own under a private name.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import os
import posixpath
import re
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

DOCKERIGNORE = ".dockerignore"
_PRIVATE = "_dockbuild_docker_sdk"


@cache
def sdk_build() -> Any:
    """Return ``docker.utils.build`` without running the SDK's package ``__init__``."""
    if "docker.utils.build" in sys.modules:
        return sys.modules["docker.utils.build"]
    spec = importlib.util.find_spec("docker")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        return importlib.import_module("docker.utils.build")
    package = Path(next(iter(spec.submodule_search_locations)))
    for name, folder in ((_PRIVATE, package), (f"{_PRIVATE}.utils", package / "utils")):
        if name not in sys.modules:
            module = types.ModuleType(name)
            module.__path__ = [str(folder)]
            module.__package__ = name
            sys.modules[name] = module
    return importlib.import_module(f"{_PRIVATE}.utils.build")


@dataclasses.dataclass(frozen=True, slots=True)
class Rule:
    """One pattern line of .dockerignore."""

    line: int
    pattern: str

    @property
    def negated(self) -> bool:
        """Return True for a ``!pattern`` (re-include) line."""
        return self.pattern.startswith("!")


class DockerIgnore:
    """The patterns of one .dockerignore, read the way the SDK reads them."""

    def __init__(self, text: str | None, path: str = DOCKERIGNORE) -> None:
        self.path = path
        self.exists = text is not None
        self.text = text or ""
        self.rules = tuple(
            Rule(number, line.strip())
            for number, line in enumerate(self.text.splitlines(), start=1)
            if line.strip() and not line.strip().startswith("#")
        )
        build = sdk_build()
        self._matcher = build.PatternMatcher([rule.pattern for rule in self.rules])
        # the SDK drops patterns that normalise to nothing ("." or "/"); keep lines aligned
        self._lines = [rule.line for rule in self.rules if build.Pattern(rule.pattern).dirs]
        self._compiled: list[tuple[bool, int, re.Pattern[str]]] | None = None
        self._any: tuple[re.Pattern[str], dict[int, re.Pattern[str]]] | None = None

    def matches(self, path: str) -> bool:
        """Return ``PatternMatcher.matches(path)``, with each pattern's regex compiled once.

        The last pattern that matches decides, so they are tried last first; each one
        is the SDK's own (its translate, its case folding, its parent-folder rule).
        """
        build = sdk_build()
        if self._compiled is None:
            self._compile()
        assert self._compiled is not None and self._any is not None
        name = build.normalize_slashes(path).lower()
        parent = os.path.dirname(path)  # noqa: PTH120 (the SDK's own call)
        dirs = build.split_path(parent) if parent else []
        folders = {depth: build.normalize_slashes(os.path.sep.join(dirs[:depth])).lower()
                   for depth in range(1, len(dirs) + 1)}
        # most paths match no pattern at all: one alternation per depth says so at once
        if not self._any[0].match(name) and not any(
                regex.match(folders[depth]) for depth, regex in self._any[1].items()
                if depth in folders):
            return False
        for negative, depth, regex in self._compiled:
            if regex.match(name) or (depth in folders and regex.match(folders[depth])):
                return not negative
        return False

    def _compile(self) -> None:
        translate = importlib.import_module(f"{sdk_build().__package__}.fnmatch").translate
        self._compiled = [(p.exclusion, len(p.dirs), re.compile(translate(
            p.cleaned_pattern.lower()))) for p in reversed(self._matcher.patterns)]
        depths: dict[int, list[str]] = {}
        for _negative, depth, regex in self._compiled:
            depths.setdefault(depth, []).append(f"(?:{regex.pattern})")
        self._any = (re.compile("|".join(f"(?:{r.pattern})" for *_, r in self._compiled)),
                     {depth: re.compile("|".join(alts)) for depth, alts in depths.items()})

    @classmethod
    def read(cls, context: Path, shown_as: str = DOCKERIGNORE) -> DockerIgnore:
        """Read ``context/.dockerignore``; a missing file excludes nothing."""
        try:
            data = (context / DOCKERIGNORE).read_bytes()
        except FileNotFoundError:
            return cls(None, shown_as)
        return cls(data.decode("utf-8", errors="replace"), shown_as)

    def decide(self, path: str) -> Rule | None:
        """Return the rule that excludes ``path``, or None when the context keeps it.

        Mirrors ``PatternMatcher.matches``: the last matching pattern wins, and a
        pattern also matches through the path's parent folders.
        """
        parent_dirs = self._matcher_split(posixpath.dirname(path))
        winner: int | None = None
        for index, pattern in enumerate(self._matcher.patterns[:-1]):  # last one is !.dockerignore
            match = pattern.match(path)
            if not match and parent_dirs and len(pattern.dirs) <= len(parent_dirs):
                match = pattern.match(os.path.sep.join(parent_dirs[: len(pattern.dirs)]))
            if match:
                winner = None if pattern.exclusion else index
        if winner is None or path == DOCKERIGNORE:
            return None
        line = self._lines[winner]
        return next(rule for rule in self.rules if rule.line == line)

    def excluded(self, path: str) -> bool:
        """Return True when the build context leaves ``path`` out (the SDK's own answer)."""
        return self.matches(path)

    def walk(self, root: Path) -> frozenset[str]:
        """Return every path (files and folders) the context would send, as the SDK walks it."""
        return frozenset(self._matcher.walk(str(root)))

    def walk_listed(self, root: Path) -> tuple[frozenset[str], dict[str, list[str]]]:
        """Return :meth:`walk`'s paths and the listing of every folder the walk entered.

        The SDK's walk, decision for decision (a test compares the two). A listing
        holds the folder's names, a folder's (not a link's) with a trailing ``/``:
        with the same patterns and the same listings, a walk sends the same paths.
        """
        build = sdk_build()
        negations = [p.cleaned_pattern for p in self._matcher.patterns if p.exclusion]
        sent: set[str] = set()
        listed: dict[str, list[str]] = {}

        def visit(rel: str) -> None:
            with os.scandir(root / rel) as found:
                entries = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in found]
            listed[rel] = sorted(name + "/" if is_dir else name for name, is_dir in entries)
            for name, is_dir in entries:
                path = name if rel == "." else f"{rel}/{name}"
                match = self.matches(path)
                if not match:
                    sent.add(path)
                if is_dir and (not match or any(pattern.startswith(build.normalize_slashes(path))
                                                for pattern in negations)):
                    visit(path)

        visit(".")
        return frozenset(sent), listed

    def skipped(self, path: str, *, is_dir: bool) -> bool:
        """Return True when the walk neither sends ``path`` nor, a folder, enters it."""
        if not self.matches(path):
            return False
        inside = sdk_build().normalize_slashes(path)
        return not is_dir or not any(p.exclusion and p.cleaned_pattern.startswith(inside)
                                     for p in self._matcher.patterns)

    @staticmethod
    def listing(folder: str | Path) -> list[str]:
        """Return a folder's listing as :meth:`walk_listed` records it."""
        with os.scandir(folder) as found:
            return sorted(entry.name + "/" if entry.is_dir(follow_symlinks=False) else entry.name
                          for entry in found)

    @staticmethod
    def _matcher_split(path: str) -> list[str]:
        return [part for part in path.split("/") if part and part != "."]
