"""Install an engine that has BuildKit: Debian 13's docker.io and docker-buildx on Debian 12.

Debian 12 ships dockerd 20.10 (BuildKit 0.8: no heredocs, no multi-platform
images) and no buildx plugin. Debian 13 (trixie), on the same mirror, has
docker.io 26.1 and docker-buildx 0.13, and both install on Debian 12 with
trixie pinned at priority 100: apt takes only what is asked for from trixie
and keeps Debian 12's containerd and runc. The engine runs with the containerd
image store, the one that keeps multi-platform images.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from dockbuild import proc
from dockbuild.errors import CommandFailed, EngineUnavailable

SOURCES = Path("/etc/apt/sources.list.d/dockbuild-trixie.sources")
PIN = Path("/etc/apt/preferences.d/dockbuild-trixie")
DAEMON_JSON = Path("/etc/docker/daemon.json")
DEBIAN_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
#: What a BuildKit engine needs from trixie; everything else stays Debian 12's.
TRIXIE_PACKAGES = ("docker.io/trixie", "docker-buildx/trixie")
#: arm64 emulation: each package and the program that shows it is installed.
EMULATION_PACKAGES = (("qemu-user-static", "qemu-aarch64-static"),
                      ("binfmt-support", "update-binfmts"))
#: The oldest dockerd whose built-in BuildKit builds heredocs and multi-platform images.
MIN_ENGINE = (23, 0)


def version_tuple(text: str) -> tuple[int, int]:
    """Return (major, minor) of a version such as ``26.1.5+dfsg1``; (0, 0) when unreadable."""
    match = re.match(r"v?(\d+)\.(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def installed_dockerd() -> str | None:
    """Return the version of the installed docker.io package, or None."""
    result = proc.run(["dpkg-query", "-W", "-f=${Status} ${Version}", "docker.io"], check=False)
    words = result.stdout.split()
    return words[-1] if result.returncode == 0 and "installed" in words else None


def _mirror() -> str:
    """Return the Debian mirror this machine already uses (so trixie comes from the same)."""
    if DEBIAN_SOURCES.is_file():
        match = re.search(r"^URIs:\s*(\S+/debian)\s*$", DEBIAN_SOURCES.read_text(), re.M)
        if match:
            return match.group(1)
    return DEFAULT_MIRROR


def add_trixie() -> None:
    """Add trixie to apt's sources at priority 100: only what is named comes from it."""
    SOURCES.write_text(
        "# Added by dockbuild: Debian 13's docker.io and docker-buildx (BuildKit).\n"
        f"Types: deb\nURIs: {_mirror()}\nSuites: trixie\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
    PIN.write_text("# Added by dockbuild: nothing comes from trixie unless asked for.\n"
                   "Package: *\nPin: release n=trixie\nPin-Priority: 100\n")


def use_containerd_store() -> bool:
    """Turn the containerd image store on in daemon.json; return True when it changed."""
    config: dict[str, object] = {}
    if DAEMON_JSON.is_file() and DAEMON_JSON.read_text().strip():
        try:
            config = json.loads(DAEMON_JSON.read_text())
        except json.JSONDecodeError as exc:
            msg = f"{DAEMON_JSON}:{exc.lineno}: not JSON ({exc.msg})"
            raise EngineUnavailable(msg, hint=f"fix {DAEMON_JSON} by hand, then rerun") from None
    features = config.setdefault("features", {})
    if not isinstance(features, dict):
        msg = f"{DAEMON_JSON}: \"features\" is not an object"
        raise EngineUnavailable(msg, hint=f"fix {DAEMON_JSON} by hand, then rerun")
    if features.get("containerd-snapshotter") is True:
        return False
    features["containerd-snapshotter"] = True
    DAEMON_JSON.parent.mkdir(parents=True, exist_ok=True)
    DAEMON_JSON.write_text(json.dumps(config, indent=2) + "\n")
    return True


def apt_install(packages: list[str] | tuple[str, ...]) -> None:
    """``apt-get install`` with a one-line error naming the packages."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        proc.run(["apt-get", "update", "-qq"], env=env, timeout=600)
        proc.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                 env=env, timeout=1800)
    except CommandFailed as exc:
        lines = exc.message.strip().splitlines() or ["apt-get failed"]
        msg = f"could not install {', '.join(packages)}: {lines[-1]}"
        raise EngineUnavailable(msg, hint=f"apt-get install {' '.join(packages)}") from None


def needs_buildkit_engine() -> bool:
    """Return True when no dockerd, or one older than :data:`MIN_ENGINE`, is installed."""
    installed = installed_dockerd()
    return installed is None or version_tuple(installed) < MIN_ENGINE


def missing_emulation() -> list[str]:
    """Return the arm64 emulation packages that are not installed."""
    return [pkg for pkg, program in EMULATION_PACKAGES if proc.which(program) is None]


def install_engine(*, emulation: bool = True) -> None:
    """Install (or upgrade to) trixie's engine and buildx, and QEMU for arm64."""
    add_trixie()
    wanted = list(TRIXIE_PACKAGES)
    if emulation:
        wanted += missing_emulation()
    apt_install(wanted)
    use_containerd_store()


def install_buildx() -> None:
    """Add the buildx plugin next to an engine that answers without it."""
    add_trixie()
    apt_install(["docker-buildx/trixie"])
