"""Python dependencies without network inside the build: a wheelhouse made on the host.

``pip download --only-binary=:all:`` for the target platform and Python fills
.cache/wheels/py<X>-<arch>. It reaches the builds as the named build context
``wheels`` (each Dockerfile declares an empty ``FROM scratch AS wheels`` stage
that it replaces), bind-mounted read-only at /wheels in the pip RUNs; the build
arguments PIP_NO_INDEX/PIP_FIND_LINKS point pip there. No port, no host
network, no machine-local address in any layer, and no wheel in any image.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from dockbuild import proc
from dockbuild.errors import CommandFailed, EnvironmentProblem

log = logging.getLogger("dockbuild")

#: glibc of each Debian release the root images come from: the newest manylinux they run.
GLIBC = {"bookworm": 36, "trixie": 41}
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}


def machine_of(platform: str) -> str:
    """Return the wheel machine name (``x86_64``, ``aarch64``) of ``linux/<arch>``."""
    return MACHINES[platform.split("/", 1)[1]]


def platform_tags(platform: str, suite: str) -> list[str]:
    """Return the wheel platform tags a target runs, newest first."""
    machine = machine_of(platform)
    tags = [f"manylinux_2_{minor}_{machine}" for minor in range(GLIBC[suite], 16, -1)]
    return [*tags, f"manylinux2014_{machine}", "linux_" + machine]


def folder_name(python: str, platform: str) -> str:
    """Return the wheelhouse folder of one target, e.g. ``py3.11-x86_64``."""
    return f"py{python}-{machine_of(platform)}"


def _stamp(python: str, platform: str, suite: str, requirements: Sequence[Path]) -> str:
    total = hashlib.sha256(f"{python} {platform} {suite} 1\n".encode())
    for path in requirements:
        total.update(path.name.encode() + b"\0" + path.read_bytes() + b"\n")
    return total.hexdigest()


def prepare(cache: Path, python: str, platform: str, suite: str,
            requirements: Sequence[Path]) -> Path:
    """Download every wheel the requirements need for the target, once per content.

    Raises:
        EnvironmentProblem: a requirement has no binary wheel for the target, or
            PyPI cannot be reached; the message names pip's last lines.
    """
    folder = cache / folder_name(python, platform)
    stamp = _stamp(python, platform, suite, requirements)
    if (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp:
        return folder
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if folder.is_dir():  # reuse what an earlier run downloaded
        for wheel in folder.glob("*.whl"):
            shutil.copy2(wheel, partial / wheel.name)
    argv = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
            *(arg for tag in platform_tags(platform, suite) for arg in ("--platform", tag)),
            "-d", str(partial), "pip"]
    for path in requirements:
        argv += ["-r", str(path)]
    try:
        proc.run(argv, timeout=1800)
    except CommandFailed as exc:
        shutil.rmtree(partial, ignore_errors=True)
        last = exc.message.strip().splitlines()[-1]
        msg = f"no wheelhouse for Python {python} on {platform}: {last}"
        raise EnvironmentProblem(
            msg, hint="every requirement needs a binary wheel for that target (or reach PyPI)"
        ) from None
    (partial / ".stamp").write_text(stamp)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)  # the cache only ever holds a complete wheelhouse
    return folder


#: The named build context (and the empty stage it replaces) that carries the wheels.
CONTEXT = "wheels"
#: Where the pip RUNs bind-mount it (inside the build container only).
MOUNT_POINT = "/wheels"


def build_args() -> dict[str, str]:
    """Return the transport-only build arguments that point pip at the mounted wheelhouse."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": MOUNT_POINT}
