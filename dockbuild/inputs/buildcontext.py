"""What a build context holds after .dockerignore, and a recording view for the cache.

Rules ask the context questions ("is `scripts` sent?", "where is module X?").
A :class:`ContextView` answers them from one walk per context and writes down
every question with its answer; a cached lint result is reused only when the
same questions still get the same answers, so adding ``apps/.env`` or
deleting a module re-checks exactly the images whose rules looked at it.
"""

from __future__ import annotations

import fnmatch
import json
import os
import posixpath
from pathlib import Path
from typing import Any

from dockbuild.inputs.dockerignore import DockerIgnore


class ContextIndex:
    """One build context folder: its .dockerignore and the paths it would send."""

    def __init__(self, root: Path, folder: str, sent: frozenset[str] | None = None) -> None:
        self.root = root
        self.folder = folder  # relative to the repository root, "." for the root
        self.path = root / folder
        shown = ".dockerignore" if folder == "." else f"{folder}/.dockerignore"
        self.ignore = DockerIgnore.read(self.path, shown)
        self.sent = self.ignore.walk(self.path) if sent is None else sent
        self._under: set[str] | None = None

    def listing(self) -> dict[str, list[str]]:
        """Return the entries of every folder the walk entered (to notice changes cheaply)."""
        folders = [".", *sorted(p for p in self.sent if (self.path / p).is_dir())]
        # os.listdir, not Path.iterdir: names only, no Path objects (hundreds of folders)
        return {folder: sorted(os.listdir(self.path / folder)) for folder in folders}  # noqa: PTH208

    def unchanged(self, listing: dict[str, list[str]], ignore_text: str | None) -> bool:
        """Return True when the context would send the same paths as when ``listing`` was taken.

        Entries that appeared or vanished count only when .dockerignore keeps
        them, so a new ``.cache`` or ``reports`` folder changes nothing.
        """
        current = self.ignore.text if self.ignore.exists else None
        if current != ignore_text:
            return False
        for folder, names in listing.items():
            try:
                now = os.listdir(self.path / folder)  # noqa: PTH208
            except OSError:
                return False
            if len(now) == len(names) and sorted(now) == names:
                continue
            for name in set(now).symmetric_difference(names):
                path = name if folder == "." else f"{folder}/{name}"
                if not self.ignore.excluded(path):
                    return False
        return True

    def has(self, path: str) -> bool:
        """Return True when the context sends ``path`` or anything under it."""
        path = _clean(path)
        if path in {"", "."}:
            return True
        if path in self.sent:
            return True
        if self._under is None:
            self._under = {posixpath.dirname(p) for p in self.sent}
            for parent in list(self._under):
                while parent:
                    parent = posixpath.dirname(parent)
                    self._under.add(parent)
        return path in self._under

    def exists(self, path: str) -> bool:
        """Return True when ``path`` exists in the folder, sent or not."""
        return (self.path / _clean(path)).exists()

    def matching(self, pattern: str) -> list[str]:
        """Return sent paths matching a COPY source with wildcards."""
        pattern = _clean(pattern)
        depth = pattern.count("/")
        return sorted(
            p for p in self.sent if p.count("/") == depth and fnmatch.fnmatchcase(p, pattern)
        )


class ContextView:
    """Answers rules' questions about one context and records them for the cache."""

    def __init__(self, index: ContextIndex) -> None:
        self.index = index
        self.asked: list[tuple[str, str, Any]] = []

    def _note(self, what: str, arg: str, answer: Any) -> Any:
        self.asked.append((what, arg, answer))
        return answer

    def sent(self, path: str) -> bool:
        """Return True when the context sends ``path`` (or something under it)."""
        return bool(self._note("sent", path, self.index.has(path)))

    def exists(self, path: str) -> bool:
        """Return True when ``path`` exists in the context folder, sent or not."""
        return bool(self._note("exists", path, self.index.exists(path)))

    def excluded_by(self, path: str) -> tuple[int, str] | None:
        """Return (line, pattern) of the .dockerignore rule that leaves ``path`` out, or None."""
        rule = self.index.ignore.decide(_clean(path))
        answer = None if rule is None else [rule.line, rule.pattern]
        self._note("excluded_by", path, answer)
        return None if answer is None else (answer[0], answer[1])

    def matching(self, pattern: str) -> list[str]:
        """Return the sent paths a wildcard COPY source matches."""
        return list(self._note("matching", pattern, self.index.matching(pattern)))

    def files(self) -> list[str]:
        """Return every sent path (context-wide rules read all of them)."""
        return list(self._note("files", "", sorted(self.index.sent)))

    @property
    def ignore_file(self) -> DockerIgnore:
        """Return the context's .dockerignore."""
        self._note("ignore_text", "", self.index.ignore.text if self.index.ignore.exists else None)
        return self.index.ignore

    def still_true(self, asked: list[list[Any]]) -> bool:
        """Return True when every recorded question gets the same answer now."""
        replay = ContextView(self.index)
        for what, arg, answer in asked:
            if what == "ignore_text":
                now: Any = self.index.ignore.text if self.index.ignore.exists else None
            else:
                now = getattr(replay, what)(arg) if arg or what != "files" else replay.files()
            if json.loads(json.dumps(now)) != answer:
                return False
        return True


def _clean(path: str) -> str:
    cleaned = posixpath.normpath(path.strip().lstrip("/")) if path.strip() else "."
    return "" if cleaned == "." else cleaned
