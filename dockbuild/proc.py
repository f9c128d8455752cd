"""The only module that starts processes: argument lists, echoed, typed errors."""

from __future__ import annotations

import logging
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from dockbuild.errors import CommandFailed, EnvironmentProblem

log = logging.getLogger("dockbuild")


def which(program: str) -> str | None:
    """Return the full path of ``program`` on PATH, or None."""
    return shutil.which(program)


def run(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    input_text: str | None = None,
    timeout: float | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a program to completion and capture its output.

    Raises:
        EnvironmentProblem: the program is not installed.
        CommandFailed: it exited non-zero (when ``check``) or timed out.
    """
    argv = list(argv)
    log.debug("+ %s", shlex.join(argv))
    try:
        result = subprocess.run(
            argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        msg = f"{argv[0]} is not installed or not on PATH"
        raise EnvironmentProblem(msg) from None
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or "") + (exc.stderr or "")
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        raise CommandFailed(argv, -1, f"timed out after {timeout} s\n{output}") from None
    if check and result.returncode != 0:
        raise CommandFailed(argv, result.returncode, result.stdout + result.stderr)
    return result


def start_detached(argv: Sequence[str], *, log_file: Path) -> subprocess.Popen[bytes]:
    """Start a long-lived daemon in its own session, its output appended to ``log_file``."""
    argv = list(argv)
    log.debug("+ %s >>%s 2>&1 &", shlex.join(argv), log_file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as sink:
        try:
            return subprocess.Popen(
                argv, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        except FileNotFoundError:
            msg = f"{argv[0]} is not installed or not on PATH"
            raise EnvironmentProblem(msg) from None
