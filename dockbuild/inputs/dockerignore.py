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
        return bool(self._matcher.matches(path))

    def walk(self, root: Path) -> frozenset[str]:
        """Return every path (files and folders) the context would send, as the SDK walks it."""
        return frozenset(self._matcher.walk(str(root)))

    @staticmethod
    def _matcher_split(path: str) -> list[str]:
        return [part for part in path.split("/") if part and part != "."]
