"""An image's build context: the files it can COPY after .dockerignore, their hash, their tar.

Only what the Dockerfile's COPY/ADD instructions name is sent (plus the
Dockerfile): the engine cannot see anything else, so a change to another
service's files neither resends nor rebuilds this one. When a source uses a
variable the whole context is sent. .dockerignore is decided by docker-py's own
PatternMatcher (through dockbuild.inputs.dockerignore, which lint uses too); a unit
test checks the file list against docker-py's.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import dockerfile as dockerfile_parser

from dockbuild.errors import DockerfileSyntaxError, Location
from dockbuild.inputs.dockerignore import DockerIgnore, sdk_build

_WILDCARD = re.compile(r"[*?\[]")


def read_dockerignore(root: Path) -> DockerIgnore:
    """Read ``root/.dockerignore`` with the SDK's matcher (none: nothing is excluded)."""
    return DockerIgnore.read(root)


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


def _walk(root: Path, top: str, ignore: DockerIgnore) -> Iterator[str]:
    """Yield context paths (files, links and folders) at and under ``top``, after .dockerignore."""
    start = root / top if top != "." else root
    if not start.exists() and not start.is_symlink():
        return
    if top != "." and not ignore.excluded(top):
        yield top
    if start.is_symlink() or not start.is_dir():
        return
    reincludes = [rule.pattern[1:].strip().strip("/") for rule in ignore.rules if rule.negated]
    for folder, dirs, files in os.walk(start):
        rel_folder = os.path.relpath(folder, root)
        prefix = "" if rel_folder == "." else rel_folder + "/"
        kept = []
        for name in sorted(dirs):
            rel = prefix + name
            if ignore.excluded(rel) and not any(r.startswith(rel) for r in reincludes):
                continue  # docker-py prunes it too: nothing below is sent
            kept.append(name)
            if not ignore.excluded(rel):
                yield rel
        dirs[:] = kept
        for name in sorted(files):
            rel = prefix + name
            if not ignore.excluded(rel):
                yield rel


def files_for(root: Path, dockerfile: Path, ignore: DockerIgnore | None = None) -> list[str]:
    """Return the sorted context paths one image's build reads, Dockerfile included."""
    ignore = read_dockerignore(root) if ignore is None else ignore
    sources = copy_sources(root, dockerfile)
    chosen: set[str] = set()
    if sources is None:
        chosen.update(_walk(root, ".", ignore))
    else:
        for source in sources:
            if _WILDCARD.search(source):
                head = source[: _WILDCARD.search(source).start()].rpartition("/")[0] or "."
                matches = sdk_build().fnmatch  # the SDK's (Go-like) glob
                chosen.update(p for p in _walk(root, head, ignore)
                              if any(matches("/".join(p.split("/")[:n]), source)
                                     for n in range(1, p.count("/") + 2)))
            else:
                chosen.update(_walk(root, source, ignore))
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
