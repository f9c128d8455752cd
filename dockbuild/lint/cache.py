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
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dockbuild import fsio
from dockbuild.errors import InputError

CACHE_DIR = Path(".cache/lint")
FORMAT = "3"  # bump when the entries' shape changes
#: What a decoder raises on an entry of the wrong shape (``5`` where a dict belongs...).
SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError, InputError)

log = logging.getLogger("dockbuild")
T = TypeVar("T")


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
    """JSON entries in folders under ``root/.cache/lint``; a disabled cache stores nothing.

    ``reads=False`` (``inv lint --no-cache``) answers every question afresh
    and still writes the answers, so it repairs whatever the cache held.
    """

    def __init__(self, root: Path, *, enabled: bool = True, reads: bool = True) -> None:
        self.folder = root / CACHE_DIR
        self.enabled = enabled
        self.reads = enabled and reads  # off: `--no-cache` checks everything, then stores it

    def _get(self, kind: str, key: str) -> Any:
        """Return the entry, or None when missing, unreadable or the cache is off."""
        if not self.reads:
            return None
        try:
            entry = json.loads((self.folder / kind / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        return entry if not isinstance(entry, dict) or entry.get("format") == FORMAT else None

    def read(self, kind: str, key: str, decode: Callable[[Any], T]) -> T | None:
        """Return ``decode(entry)``; None when missing, unreadable, off or of the wrong shape.

        An entry ``decode`` cannot read (a hand edit, a crash of another tool,
        an older format) is a miss: it is removed, so the run that follows
        rewrites it, and never stops a run.
        """
        entry = self._get(kind, key)
        if entry is None:
            return None
        try:
            return decode(entry)
        except SHAPE_ERRORS as exc:
            log.info("lint cache: %s/%s.json is unreadable (%s); checking again",
                     kind, key[:12], type(exc).__name__)
            self.forget(kind, key)
            return None

    def forget(self, kind: str, key: str) -> None:
        """Remove one entry (nothing when it is not there)."""
        with contextlib.suppress(OSError):
            (self.folder / kind / f"{key}.json").unlink(missing_ok=True)

    def put(self, kind: str, key: str, value: Any) -> str:
        """Store an entry atomically (a reader sees the old or the new one); return its digest."""
        if not self.enabled:
            return ""
        if isinstance(value, dict):
            value = {**value, "format": FORMAT}
        text = json.dumps(value, separators=(",", ":"))
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            fsio.write_text(self.folder / kind / f"{key}.json", text)
        return hashlib.sha256(text.encode()).hexdigest()

    def sealed(self, kind: str, key: str, expected: str) -> bool:
        """Return True when the entry's bytes are the ones ``put`` returned ``expected`` for.

        Costs a hash instead of a decode: the whole-run replay proves its
        records are the ones it wrote without reading them into records.
        """
        try:
            data = (self.folder / kind / f"{key}.json").read_bytes()
        except OSError:
            return False
        return bool(expected) and hashlib.sha256(data).hexdigest() == expected
