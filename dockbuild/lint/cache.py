"""Lint results cached under .cache/lint/, keyed by content, config and tool versions.

Three kinds of entries: hadolint's findings per file content; the policy
records of one image (with the build-context questions its rules asked);
and the last whole run, which a second ``inv lint`` with nothing changed
replays without parsing anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from dockbuild import fsio

CACHE_DIR = Path(".cache/lint")
FORMAT = "2"  # bump when the entries' shape changes


def digest(*parts: str | bytes) -> str:
    """Return a sha256 over the parts, each one delimited."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


# The code that shapes lint's records: the inputs and lint packages, and the
# top-level modules they use. Whole packages, so a new or renamed module counts.
LINT_PACKAGES = ("inputs", "lint")
LINT_MODULES = ("errors.py", "evidence.py", "junit.py")


def code_fingerprint() -> str:
    """Return an identity of the lint code and the libraries that shape its answers."""
    package = Path(__file__).parents[1]
    paths = [package / name for name in LINT_MODULES]
    for sub in LINT_PACKAGES:
        paths += sorted((package / sub).rglob("*.py"))
    stamps = [FORMAT]
    for path in paths:
        stat = path.stat()
        stamps.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    for module in ("dockerfile", "bashlex", "docker"):
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec else None
        if origin:
            stat = Path(origin).stat()
            stamps.append(f"{module}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*stamps)


class LintCache:
    """JSON entries in folders under ``root/.cache/lint``; a disabled cache stores nothing."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.folder = root / CACHE_DIR
        self.enabled = enabled

    def get(self, kind: str, key: str) -> Any:
        """Return the entry, or None when missing, unreadable or the cache is off."""
        if not self.enabled:
            return None
        try:
            entry = json.loads((self.folder / kind / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        return entry if not isinstance(entry, dict) or entry.get("format") == FORMAT else None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store an entry atomically (a concurrent reader sees the old or the new one)."""
        if not self.enabled:
            return
        if isinstance(value, dict):
            value = {**value, "format": FORMAT}
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            fsio.write_json(self.folder / kind / f"{key}.json", value, separators=(",", ":"))
