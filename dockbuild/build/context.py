"""An image's build context as its input hash sees it: one hash over the files it reads.

Which files those are is the build-context model's answer
(dockbuild.inputs.buildcontext, the one lint asks too): only what the
Dockerfile's COPY/ADD read after .dockerignore, plus the Dockerfile, so a
change to another service's files does not rebuild this one. BuildKit itself
transfers only the paths the COPYs name.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from dockbuild.inputs.buildcontext import ContextIndex
from dockbuild.inputs.dockerfile import decode, parse


def files_for(index: ContextIndex, dockerfile: Path) -> list[str]:
    """Return the sorted context paths one image's build reads, parsed as lint parses them."""
    path = dockerfile.as_posix()
    return index.files_read(parse(decode((index.root / path).read_bytes(), path), path))


def entries(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """Return what the hash sees of each path: ``kind mode value`` (sha256, link target, "")."""
    found = {}
    top = os.fspath(root)
    for rel in paths:
        full = f"{top}/{rel}"  # strings, not Paths: thousands of files on 500 images
        info = os.lstat(full)
        if stat.S_ISLNK(info.st_mode):
            kind, value = "l", os.readlink(full)  # noqa: PTH115
        elif stat.S_ISDIR(info.st_mode):
            kind, value = "d", ""
        else:
            with open(full, "rb") as handle:
                kind, value = "f", hashlib.sha256(handle.read()).hexdigest()
        found[rel] = f"{kind} {stat.S_IMODE(info.st_mode):o} {value}"
    return found


def fold(found: dict[str, str]) -> str:
    """Return one sha256 over :func:`entries` (each path, its permission bits, its content)."""
    total = hashlib.sha256()
    for rel, entry in found.items():
        kind, mode, value = entry.split(" ", 2)
        body = bytes.fromhex(value) if kind == "f" else value.encode()
        total.update(f"{rel}\0{kind}\0{mode}\0".encode() + body + b"\n")
    return total.hexdigest()


def digest(root: Path, paths: Iterable[str]) -> str:
    """Return one sha256 over each path, its permission bits and its content (or link target)."""
    return fold(entries(root, paths))
