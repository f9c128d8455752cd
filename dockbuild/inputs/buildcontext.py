"""One model of a build context: what COPY/ADD read from it, and what .dockerignore leaves.

The build hashes and sends the files an image's copies read (build/context.py);
the lint rules ask the same model whether a source is sent or exists. One walk
per context, by the docker SDK's own matcher (inputs/dockerignore.py), decides
both. A :class:`ContextView` answers rules' questions and writes down each one
with its answer; a cached lint result is reused only when the same questions
still get the same answers, so adding ``apps/.env`` or deleting a module
re-checks exactly the images whose rules looked at it.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import importlib
import json
import ntpath
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockbuild.evidence import Span
from dockbuild.inputs.dockerignore import DockerIgnore, sdk_build

if TYPE_CHECKING:  # annotations only: the replay of a lint run needs no Dockerfile parser
    from dockbuild.inputs.dockerfile import Dockerfile, Instruction

_WILDCARD = re.compile(r"[*?\[]")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@functools.lru_cache(maxsize=8192)
def normal(path: str) -> str:
    """Return a context path without ``./``, trailing slash or leading slash (``.``: the root)."""
    cleaned = posixpath.normpath(path.strip().lstrip("/")) if path.strip() else "."
    return "." if cleaned in {"", "."} else cleaned


def is_windows_path(path: str) -> bool:
    """Return True for ``C:\\...`` or ``C:/...``: absolute on Windows."""
    return bool(_DRIVE.match(path))


def join_path(base: str, path: str) -> str:
    """Return ``path`` made absolute against ``base``, normalised (Windows paths as Windows)."""
    if is_windows_path(path):
        return ntpath.normpath(path)
    if is_windows_path(base):
        return ntpath.normpath(ntpath.join(base, path))
    return posixpath.normpath(posixpath.join(base, path))


def covers(outer: str, inner: str) -> bool:
    """Return True when context path ``outer`` is ``inner`` or one of its folders."""
    outer, inner = normal(outer), normal(inner)
    return outer == "." or inner == outer or inner.startswith(outer + "/")


def is_wildcard(source: str) -> bool:
    """Return True when a COPY source is a pattern (``*``, ``?``, ``[``), not one path."""
    return _WILDCARD.search(source) is not None


@functools.cache
def _glob() -> Callable[[str, str], bool]:
    """Return the SDK's Go-like, case-sensitive glob (``*`` stops at ``/``, as COPY's does)."""
    return importlib.import_module(f"{sdk_build().__package__}.fnmatch").fnmatchcase


@dataclasses.dataclass(frozen=True, slots=True)
class Copy:
    """One COPY/ADD: the instruction, what it copies, where to, and the stage it copies from."""

    instruction: Instruction
    sources: tuple[str, ...]  # as written; URLs and heredocs left out
    dest: str
    from_stage: str | None  # ``--from=``: a stage or image, not the build context
    unset: frozenset[str] = frozenset()  # variables of the sources set nowhere (build args)
    dest_unknown: frozenset[str] = frozenset()  # variables of dest an unseen image may set

    @property
    def variable(self) -> bool:
        """Return True when a source names a build variable (known only when the build runs)."""
        return bool(self.unset) or any("$" in source for source in self.sources)

    @property
    def first(self) -> str:
        """Return the first thing copied (a source, else a heredoc or URL): it names a file."""
        return self.sources[0] if self.sources else self.instruction.args[0]


def copies(instructions: Iterable[Instruction]) -> Iterator[Copy]:
    """Yield every COPY/ADD split into sources and destination.

    A URL (``ADD https://...``) or a heredoc (``COPY <<EOF``) is not a path:
    a copy of only those has no sources.
    """
    for instruction in instructions:
        if instruction.keyword not in {"COPY", "ADD"} or len(instruction.args) < 2:
            continue
        *sources, dest = instruction.args
        inline = bool(instruction.heredocs) and not instruction.json
        kept = tuple(s for s in sources
                     if "://" not in s and not (inline and s.startswith("<<")))
        yield Copy(instruction, kept, dest, instruction.flag("from"))


def context_copies(instructions: Iterable[Instruction]) -> Iterator[Copy]:
    """Yield the COPY/ADDs that read the build context (not ``--from`` a stage or image)."""
    return (copy for copy in copies(instructions) if copy.from_stage is None)


def copy_sources(dockerfile: Dockerfile) -> list[tuple[str, ...] | None]:
    """Return each context COPY/ADD's sources, None for one naming a build variable."""
    return [None if copy.variable else copy.sources
            for copy in context_copies(dockerfile.instructions)]


class ContextIndex:
    """One build context folder: its .dockerignore and the paths it would send."""

    def __init__(self, root: Path, folder: str, sent: frozenset[str] | None = None) -> None:
        self.root = root
        self.folder = folder  # relative to the repository root, "." for the root
        self.path = root / folder
        shown = ".dockerignore" if folder == "." else f"{folder}/.dockerignore"
        self.ignore = DockerIgnore.read(self.path, shown)
        self.sent = self.ignore.walk_listed(self.path)[0] if sent is None else sent
        self._present: frozenset[str] | None = None
        self._order: list[str] | None = None  # sent, sorted: a folder's paths are one run

    @property
    def present(self) -> frozenset[str]:
        """Return the sent paths and every folder above one (a folder may be sent only in part)."""
        if self._present is None:
            folders = set()
            for path in self.sent:
                parent = posixpath.dirname(path)
                while parent and parent not in folders:
                    folders.add(parent)
                    parent = posixpath.dirname(parent)
            self._present = self.sent | folders
        return self._present

    @property
    def ignore_text(self) -> str | None:
        """Return the .dockerignore's text, None when there is none (not the same as empty)."""
        return self.ignore.text if self.ignore.exists else None

    def state(self) -> dict[str, Any]:
        """Return what :meth:`unchanged` compares: the .dockerignore and the folders walked."""
        folders = [".", *sorted(p for p in self.sent if (self.path / p).is_dir())]
        # os.listdir, not Path.iterdir: names only, no Path objects (hundreds of folders)
        listing = {folder: sorted(os.listdir(self.path / folder)) for folder in folders}  # noqa: PTH208
        return {"listing": listing, "ignore": self.ignore_text}

    def unchanged(self, state: dict[str, Any]) -> bool:
        """Return True when the context would send the same paths as when ``state`` was taken.

        Entries that appeared or vanished count only when .dockerignore keeps
        them, so a new ``.cache`` or ``reports`` folder changes nothing.
        """
        if self.ignore_text != state["ignore"]:
            return False
        for folder, names in state["listing"].items():
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
        path = normal(path)
        return path == "." or path in self.present

    def exists(self, path: str) -> bool:
        """Return True when ``path`` exists in the folder, sent or not."""
        return (self.path / normal(path)).exists()

    def matching(self, pattern: str) -> list[str]:
        """Return the sent paths (or folders holding some) a wildcard COPY source matches."""
        pattern = normal(pattern)
        depth = pattern.count("/")
        glob = _glob()
        return sorted(p for p in self.present if p.count("/") == depth and glob(p, pattern))

    def under(self, path: str) -> list[str]:
        """Return the sent paths at or under ``path`` (what copying it sends)."""
        path = normal(path)
        if self._order is None:
            self._order = sorted(self.sent)
        if path == ".":
            return list(self._order)
        order = self._order
        # "path/..." sorts between "path/" and "path0" ("0" follows "/"), with nothing else
        low, high = bisect.bisect_left(order, path + "/"), bisect.bisect_left(order, path + "0")
        return ([path] if path in self.sent else []) + order[low:high]

    def files_read(self, dockerfile: Dockerfile) -> list[str]:
        """Return the sorted context paths a build of ``dockerfile`` reads, the Dockerfile too.

        A source naming a build variable could be anything: the whole context is read.
        """
        return self.files_from(dockerfile.path, copy_sources(dockerfile))

    def files_from(self, path: str, sources: Iterable[tuple[str, ...] | None]) -> list[str]:
        """Return :meth:`files_read` from :func:`copy_sources` (kept: no parse needed)."""
        chosen = {normal(path)}
        for copied in sources:
            if copied is None:
                return sorted(chosen | self.sent)
            for source in copied:
                found = self.matching(source) if is_wildcard(source) else [source]
                chosen.update(p for match in found for p in self.under(match))
        return sorted(chosen)


#: The questions a ContextView records; a cached entry naming another is of the wrong shape.
_QUESTIONS = frozenset({"sent", "exists", "excluded_by", "matching", "files"})


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
        rule = self.index.ignore.decide(normal(path))
        answer = None if rule is None else [rule.line, rule.pattern]
        self._note("excluded_by", path, answer)
        return None if answer is None else (answer[0], answer[1])

    def exclusion(self, path: str) -> Span | None:
        """Return the .dockerignore line that leaves ``path`` out (its pattern as text), or None."""
        rule = self.excluded_by(path)
        shown = self.ignore_file.path
        return None if rule is None else Span(shown, rule[0], rule[0], rule[1])

    def matching(self, pattern: str) -> list[str]:
        """Return the sent paths a wildcard COPY source matches."""
        return list(self._note("matching", pattern, self.index.matching(pattern)))

    def files(self) -> list[str]:
        """Return every sent path (context-wide rules read all of them)."""
        return list(self._note("files", "", sorted(self.index.sent)))

    @property
    def ignore_file(self) -> DockerIgnore:
        """Return the context's .dockerignore."""
        self._note("ignore_text", "", self.index.ignore_text)
        return self.index.ignore

    def still_true(self, asked: list[list[Any]]) -> bool:
        """Return True when every recorded question gets the same answer now."""
        replay = ContextView(self.index)
        for what, arg, answer in asked:
            if what == "ignore_text":
                now: Any = self.index.ignore_text
            elif what not in _QUESTIONS:
                msg = f"not a question: {what!r}"
                raise ValueError(msg)
            else:
                now = getattr(replay, what)(arg) if arg or what != "files" else replay.files()
            if json.loads(json.dumps(now)) != answer:
                return False
        return True
