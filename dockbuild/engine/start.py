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
    """Install or upgrade to an engine with BuildKit, enable emulation, start dockerd, wait."""
    from dockbuild.engine import install

    if install.needs_buildkit_engine():  # none, or Debian 12's 20.10 left stopped
        install.install_engine()
    else:
        missing = install.missing_emulation()
        if missing:
            install.apt_install(missing)
        install.use_containerd_store()
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


def ensure_buildx() -> str:
    """Return buildx's version, adding the plugin (as root on Debian) when it is missing.

    Raises:
        EngineUnavailable: no buildx and none can be installed here; the hint says how.
    """
    from dockbuild.engine import buildx

    version = buildx.version()
    if version is not None:
        return version
    if _is_debian_root():
        from dockbuild.engine import install

        install.install_buildx()
        version = buildx.version()
        if version is not None:
            return version
    msg = "the docker CLI has no buildx plugin (`docker buildx version` fails)"
    raise EngineUnavailable(msg, hint="install docker-buildx (Debian 13's package, or Docker's"
                            " docker-buildx-plugin), or run `inv engine-up` as root on Debian")


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
