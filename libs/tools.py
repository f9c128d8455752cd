"""Run outside command-line tools (ffmpeg, tesseract) for job handlers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from libs.queue.errors import JobFailed

STDERR_TAIL = 600


def tail(text: str, limit: int = STDERR_TAIL) -> str:
    """Return the last ``limit`` characters of ``text``, stripped."""
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


def run_tool(
    args: Sequence[str | Path], *, timeout: float, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a tool as an argument list; raise JobFailed on a missing tool, timeout or error."""
    argv = [str(arg) for arg in args]
    name = argv[0]
    if shutil.which(name) is None:
        msg = f"{name} is not installed (not found on PATH)"
        raise JobFailed(msg)
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
            # Own process group: a Ctrl-C meant for the worker must not kill the
            # tool mid-job, since the worker finishes the job in hand first.
            process_group=0,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr or b""
        if isinstance(stderr, bytes):
            stderr = stderr.decode(errors="replace")
        msg = f"{name} timed out after {timeout:g} s: {tail(stderr)}".rstrip(": ")
        raise JobFailed(msg) from None
    if done.returncode != 0:
        msg = f"{name} exited with status {done.returncode}: {tail(done.stderr)}"
        raise JobFailed(msg)
    return done
