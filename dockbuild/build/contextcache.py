"""The build context's walk and each Dockerfile's COPY sources, kept between runs.

On 500 services, walking the context through .dockerignore's matcher and
parsing every Dockerfile cost more than all the rest of a no-op build. Both
are kept in ``.cache/build/context.json``: the walk is reused while the
.dockerignore says the same and every folder the walk entered lists the same
names (a file added, removed or renamed, or a file that became a folder,
anywhere the walk went, walks again); a Dockerfile's COPY sources are kept by
the sha256 of its bytes. The files an image reads are still hashed from their
content, read now: the input hash stays the truth.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockbuild import fsio
from dockbuild.build import context
from dockbuild.inputs.buildcontext import ContextIndex, copy_sources
from dockbuild.inputs.dockerfile import decode, parse
from dockbuild.inputs.dockerignore import DockerIgnore

FORMAT = 1  # bump when the file's shape changes
Sources = list[tuple[str, ...] | None]


def path(root: Path) -> Path:
    """Return the file that keeps the repository root context's walk and COPY sources."""
    return root / ".cache" / "build" / "context.json"


def _load(root: Path) -> dict[str, Any]:
    try:
        stored = json.loads(path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(stored, dict) and stored.get("format") == FORMAT and \
        isinstance(stored.get("sent"), list) and isinstance(stored.get("listed"), dict) and \
        isinstance(stored.get("copies"), dict)
    return stored if ok else {}


def _same_listings(root: Path, listed: dict[str, Any], ignore: DockerIgnore) -> bool:
    """Return True when every folder the walk entered lists what it did, but for entries
    the walk skips (a new ``reports`` or ``.cache`` changes nothing)."""
    top = str(root)
    for folder, names in listed.items():
        if not isinstance(names, list):
            return False
        try:
            now = DockerIgnore.listing(f"{top}/{folder}")
        except OSError:  # gone, or no longer a folder
            return False
        if now == names:
            continue
        for name in set(now).symmetric_difference(names):
            rel = name.rstrip("/") if folder == "." else f"{folder}/{name.rstrip('/')}"
            if not ignore.skipped(rel, is_dir=name.endswith("/")):
                return False
    return True


def _sources(value: Any) -> Sources | None:
    """Return stored COPY sources, None when the entry has another shape."""
    if not isinstance(value, list):
        return None
    out: Sources = []
    for item in value:
        if item is None:
            out.append(None)
        elif isinstance(item, list) and all(isinstance(s, str) for s in item):
            out.append(tuple(item))
        else:
            return None
    return out


class ContextCache:
    """The root context's index (walked, or reused) and the COPY sources of Dockerfiles."""

    def __init__(self, root: Path) -> None:
        self.root = root
        stored = _load(root)
        ignore = DockerIgnore.read(root)
        self.ignore_text = ignore.text if ignore.exists else None
        reuse = bool(stored) and stored.get("ignore") == self.ignore_text and \
            _same_listings(root, stored["listed"], ignore)
        if reuse:
            self.sent = frozenset(str(p) for p in stored["sent"])
            self.listed: dict[str, list[str]] = stored["listed"]
        else:
            self.sent, self.listed = ignore.walk_listed(root)
        self.index = ContextIndex(root, ".", self.sent)
        self.kept: dict[str, Any] = stored.get("copies", {}) if stored else {}
        self.used: dict[str, Sources] = {}
        self.changed = not reuse

    def files_for(self, dockerfile: Path) -> list[str]:
        """Return the sorted context paths one image's build reads (as context.files_for)."""
        shown = dockerfile.as_posix()
        raw = (self.root / shown).read_bytes()
        key = hashlib.sha256(raw).hexdigest()
        sources = self.used.get(key) or _sources(self.kept.get(key))
        if sources is None:  # parse errors propagate, and nothing is kept for them
            sources = copy_sources(parse(decode(raw, shown), shown))
            self.changed = True
        self.used[key] = sources
        return self.index.files_from(shown, sources)

    def save(self) -> None:
        """Write the walk and the COPY sources this run used, when anything differs."""
        if not self.changed and set(self.used) == set(self.kept):
            return
        fsio.write_json(path(self.root), {
            "format": FORMAT, "ignore": self.ignore_text, "listed": self.listed,
            "sent": sorted(self.sent),
            "copies": {key: [None if s is None else list(s) for s in sources]
                       for key, sources in self.used.items()}})


def inputs(root: Path, dockerfiles: Sequence[Path]) -> list[tuple[list[str], dict[str, str]]]:
    """Return each Dockerfile's context paths and their hash entries (context.entries)."""
    cache = ContextCache(root)
    found = []
    for dockerfile in dockerfiles:
        files = cache.files_for(dockerfile)
        found.append((files, context.entries(root, files)))
    cache.save()
    return found
