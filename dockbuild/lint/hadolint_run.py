"""Hadolint's side of a lint run: which files need it, one background run, cached findings."""

from __future__ import annotations

from pathlib import Path

from dockbuild.lint import hadolint
from dockbuild.lint.cache import LintCache, digest
from dockbuild.lint.config import LintConfig


class HadolintStage:
    """Start hadolint on the files whose findings are not cached; hand out findings per file."""

    def __init__(self, root: Path, cache: LintCache, config: LintConfig, *, enabled: bool) -> None:
        self.root = root
        self.cache = cache
        self.config = config
        self.exe = hadolint.binary() if enabled else ""
        self.signature = hadolint.signature(self.exe) if self.exe else "-"
        self.jobs: list[hadolint.Run] = []
        self.files_run = 0

    def key(self, content: bytes) -> str:
        """Return the cache key of one file's findings: content, config, binary."""
        return digest("hadolint", self.signature, self.config.digest, content)

    def start(self, files: dict[str, bytes]) -> None:
        """Start one run over the files not started yet and not cached (in the background)."""
        if not self.exe:
            return
        started = {name for job in self.jobs for name in job.files}
        todo = [name for name, content in files.items()
                if name not in started and self._cached(self.key(content)) is None]
        self.files_run += len(todo)
        self.jobs.append(hadolint.Run(self.root, todo, self.config.path))

    def findings(self, path: str, content: bytes) -> list[hadolint.Finding]:
        """Return one file's findings, waiting for the run when it is in one."""
        key = self.key(content)
        cached = self._cached(key)
        if cached is not None:
            return cached
        for job in self.jobs:
            if path in job.files:
                found = job.result().get(path, [])
                self.cache.put("hadolint", key, found)
                return found
        return []

    def _cached(self, key: str) -> list[hadolint.Finding] | None:
        return self.cache.read("hadolint", key, _findings)

    def version(self) -> str:
        """Return hadolint's version (asked once per binary, then cached)."""
        if not self.exe:
            return "not run"
        key = digest("version", self.signature)
        known = self.cache.read("tools", key, _text)
        if known is None:
            known = hadolint.version(self.exe)
            self.cache.put("tools", key, known)
        return str(known)


def _findings(entry: object) -> list[hadolint.Finding]:
    """Return a cached findings list; raise TypeError when it is not one."""
    if not isinstance(entry, list) or not all(
            isinstance(f, dict) and isinstance(f.get("code"), str)
            and isinstance(f.get("line", 1), int) for f in entry):
        msg = "not a list of hadolint findings"
        raise TypeError(msg)
    return list(entry)


def _text(entry: object) -> str:
    if not isinstance(entry, str):
        msg = "not a version string"
        raise TypeError(msg)
    return entry
