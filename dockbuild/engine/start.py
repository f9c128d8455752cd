"""Make sure a Docker engine answers: probe it, and on a Debian machine as root, start one.

Commands that need an engine (build, image-test, verify, the integration tests)
call :func:`ensure_engine`; lint and report never import this module.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from dockbuild import proc
from dockbuild.engine import client
from dockbuild.errors import CommandFailed, EngineUnavailable, EnvironmentProblem

#: Debian packages that give an engine and arm64 emulation.
ENGINE_PACKAGES = ("docker.io",)
EMULATION_PACKAGES = ("qemu-user-static", "binfmt-support")
BINFMT = Path("/proc/sys/fs/binfmt_misc")
START_TIMEOUT_S = 90.0


def engine_version() -> str | None:
    """Return the engine's version, or None when none answers (never starts one)."""
    from docker.errors import DockerException

    try:
        api = client.api(client.PROBE_TIMEOUT_S)
        try:
            return str(api.version().get("Version", "unknown"))
        finally:
            api.close()
    except (EngineUnavailable, DockerException, OSError):
        return None


def _is_local_engine() -> bool:
    host = os.environ.get("DOCKER_HOST", "")
    return host in ("", "unix:///var/run/docker.sock", "unix:///run/docker.sock")


def _is_debian_root() -> bool:
    return os.geteuid() == 0 and Path("/etc/debian_version").is_file()


def ensure_engine(state_dir: Path | None = None, *, start: bool = True) -> str:
    """Return the engine's version, starting a local dockerd first when possible.

    Args:
        state_dir: where dockerd's log goes (default: ``.cache`` in the current directory).
        start: when False, only probe.

    Raises:
        EngineUnavailable: no engine answers and none could be started; the
            message says what to start.
    """
    version = engine_version()
    if version is not None:
        return version
    host = os.environ.get("DOCKER_HOST", "the local socket")
    if not start or not _is_local_engine():
        msg = f"no Docker engine answers at {host}"
        raise EngineUnavailable(msg, hint="start the engine that DOCKER_HOST names, or unset it")
    if not _is_debian_root():
        msg = "no Docker engine answers on the local socket"
        raise EngineUnavailable(
            msg, hint="start one (for example `sudo systemctl start docker`) and retry"
        )
    state = (state_dir or Path.cwd() / ".cache").resolve()
    state.mkdir(parents=True, exist_ok=True)
    # One starter at a time: parallel sessions must not race two dockerds.
    with (state / "engine.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        version = engine_version()
        if version is not None:
            return version
        return _start_local_engine(state / "dockerd.log")


def _start_local_engine(log_file: Path) -> str:
    """Install what is missing, enable emulation, start dockerd and wait for it."""
    missing = [pkg for pkg, program in (("docker.io", "dockerd"),
                                         ("qemu-user-static", "qemu-aarch64-static"),
                                         ("binfmt-support", "update-binfmts"))
               if proc.which(program) is None]
    if missing:
        _apt_install(missing)
    enable_emulation()
    proc.start_detached(["dockerd"], log_file=log_file)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        version = engine_version()
        if version is not None:
            return version
        time.sleep(0.5)
    tail = log_file.read_text(errors="replace").strip().splitlines()[-5:]
    msg = f"dockerd did not answer within {START_TIMEOUT_S:.0f} s; last lines of {log_file}: " + (
        " | ".join(tail)
    )
    raise EngineUnavailable(msg, hint="read the log, fix the cause, then run `inv engine-up`")


def _apt_install(packages: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        proc.run(["apt-get", "update", "-qq"], env=env, timeout=600)
        proc.run(["apt-get", "install", "-y", "-qq", *packages], env=env, timeout=1200)
    except CommandFailed as exc:
        msg = f"could not install {', '.join(packages)}: {exc.message.splitlines()[-1]}"
        raise EngineUnavailable(msg, hint=f"apt-get install {' '.join(packages)}") from None


def enable_emulation() -> bool:
    """Mount binfmt_misc and register QEMU for arm64; return True when arm64 binaries run."""
    if not (BINFMT / "register").exists():
        try:
            proc.run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(BINFMT)])
        except (CommandFailed, EnvironmentProblem):
            return False
    if not (BINFMT / "qemu-aarch64").exists() and proc.which("update-binfmts"):
        proc.run(["update-binfmts", "--enable", "qemu-aarch64"], check=False)
    return (BINFMT / "qemu-aarch64").exists()
