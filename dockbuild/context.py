"""An image's build context: the files it can COPY after .dockerignore, their hash, their tar.

Only what the Dockerfile's COPY/ADD instructions name is sent (plus the
Dockerfile): the engine cannot see anything else, so a change to another
service's files neither resends nor rebuilds this one. When a source uses a
variable the whole context is sent. .dockerignore follows docker-py's matcher
(the Docker CLI's rules: ``*`` stays in one folder, ``**`` crosses folders, a
pattern that matches a folder excludes what is inside, ``!`` re-includes, the
last match wins); a unit test checks the file list against docker-py's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import dockerfile as dockerfile_parser

from dockbuild.errors import DockerfileSyntaxError, Location

_WILDCARD = re.compile(r"[*?\[]")


@dataclasses.dataclass(frozen=True, slots=True)
class Pattern:
    """One .dockerignore line, compiled."""

    text: str
    exclusion: bool
    regex: re.Pattern[str]
    depth: int


def _translate(pattern: str) -> str:
    """Translate a .dockerignore glob into a regex body (docker-py's fnmatch rules)."""
    i, n, out = 0, len(pattern), ""
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                out += ".*" if i >= n else "(.*/)?"
            else:
                out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            j = i
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out += "\\["
            else:
                body = pattern[i:j].replace("\\", "\\\\")
                i = j + 1
                if body[0] == "!":
                    body = "^" + body[1:]
                elif body[0] == "^":
                    body = "\\" + body
                out += f"[{body}]"
        else:
            out += re.escape(c)
    return out + "$"


def compile_patterns(lines: Iterable[str]) -> list[Pattern]:
    """Compile .dockerignore lines (comments and blanks skipped)."""
    patterns = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        parts = [p for p in os.path.normpath(line).split("/") if p and p != "."]
        if not parts:
            continue
        text = "/".join(parts)
        patterns.append(Pattern(text, exclusion, re.compile(_translate(text)), len(parts)))
    return patterns


def read_dockerignore(root: Path) -> list[Pattern]:
    """Read ``root/.dockerignore`` (none: nothing is excluded)."""
    path = root / ".dockerignore"
    return compile_patterns(path.read_text().splitlines()) if path.is_file() else []


def is_excluded(path: str, patterns: list[Pattern]) -> bool:
    """Return True when .dockerignore leaves ``path`` (relative, ``/``-separated) out."""
    parent = path.rpartition("/")[0]
    parent_parts = parent.split("/") if parent else []
    excluded = False
    for pattern in patterns:
        hit = pattern.regex.match(path) is not None
        if not hit and parent_parts and pattern.depth <= len(parent_parts):
            hit = pattern.regex.match("/".join(parent_parts[: pattern.depth])) is not None
        if hit:
            excluded = not pattern.exclusion
    return excluded


def copy_sources(root: Path, dockerfile: Path) -> list[str] | None:
    """Return the context paths the Dockerfile's COPY/ADD read; None when it cannot tell."""
    try:
        commands = dockerfile_parser.parse_file(str(root / dockerfile))
    except dockerfile_parser.GoParseError as exc:
        raise DockerfileSyntaxError(str(exc), where=Location(dockerfile)) from None
    sources: list[str] = []
    for command in commands:
        if command.cmd.upper() not in ("COPY", "ADD"):
            continue
        if any(flag.startswith("--from") for flag in command.flags):
            continue
        for source in command.value[:-1]:
            if "$" in source or "://" in source:
                return None
            sources.append(os.path.normpath(source.lstrip("/")))
    return sources


def _walk(root: Path, top: str, patterns: list[Pattern]) -> Iterator[str]:
    """Yield context paths (files, links and folders) at and under ``top``, after .dockerignore."""
    start = root / top if top != "." else root
    if not start.exists() and not start.is_symlink():
        return
    if top != "." and not is_excluded(top, patterns):
        yield top
    if start.is_symlink() or not start.is_dir():
        return
    reincludes = [p.text for p in patterns if p.exclusion]
    for folder, dirs, files in os.walk(start):
        rel_folder = os.path.relpath(folder, root)
        prefix = "" if rel_folder == "." else rel_folder + "/"
        kept = []
        for name in sorted(dirs):
            rel = prefix + name
            if is_excluded(rel, patterns) and not any(r.startswith(rel) for r in reincludes):
                continue  # docker-py prunes it too: nothing below is sent
            kept.append(name)
            if not is_excluded(rel, patterns):
                yield rel
        dirs[:] = kept
        for name in sorted(files):
            rel = prefix + name
            if not is_excluded(rel, patterns):
                yield rel


def files_for(root: Path, dockerfile: Path, patterns: list[Pattern] | None = None) -> list[str]:
    """Return the sorted context paths one image's build reads, Dockerfile included."""
    patterns = read_dockerignore(root) if patterns is None else patterns
    sources = copy_sources(root, dockerfile)
    chosen: set[str] = set()
    if sources is None:
        chosen.update(_walk(root, ".", patterns))
    else:
        for source in sources:
            if _WILDCARD.search(source):
                head = source[: _WILDCARD.search(source).start()].rpartition("/")[0] or "."
                rx = re.compile(_translate(source))
                chosen.update(p for p in _walk(root, head, patterns)
                              if any(rx.match("/".join(p.split("/")[:n]))
                                     for n in range(1, p.count("/") + 2)))
            else:
                chosen.update(_walk(root, source, patterns))
    chosen.add(dockerfile.as_posix())
    return sorted(chosen)


def digest(root: Path, paths: Iterable[str]) -> str:
    """Return one sha256 over each path, its permission bits and its content (or link target)."""
    total = hashlib.sha256()
    for rel in paths:
        full = root / rel
        info = full.lstat()
        if stat.S_ISLNK(info.st_mode):
            body = str(full.readlink()).encode()
            kind = "l"
        elif stat.S_ISDIR(info.st_mode):
            body, kind = b"", "d"
        else:
            body, kind = hashlib.sha256(full.read_bytes()).digest(), "f"
        total.update(f"{rel}\0{kind}\0{stat.S_IMODE(info.st_mode):o}\0".encode() + body + b"\n")
    return total.hexdigest()


def write_tar(root: Path, paths: Iterable[str], out: IO[bytes]) -> None:
    """Write the context tar (owner root, real modes and times) to ``out``."""
    import tarfile  # only a real build pays for it

    with tarfile.open(fileobj=out, mode="w") as tar:
        for rel in paths:
            info = tar.gettarinfo(str(root / rel), arcname=rel)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if info.isfile():
                with (root / rel).open("rb") as body:
                    tar.addfile(info, body)
            else:
                tar.addfile(info)
