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
import json
import logging
import shutil
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from dockbuild import fsio, proc
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


#: Each wheel's sha256, written when the folder is complete: what every later build checks.
HASHES = ".hashes.json"


def prepare(cache: Path, python: str, platform: str, suite: str,
            requirements: Sequence[Path], say: Callable[[str], None] = log.info) -> Path:
    """Return the target's wheelhouse, downloading what is missing or damaged.

    A folder whose stamp matches is still checked wheel by wheel against the
    hashes recorded when it was made: a deleted, truncated or replaced wheel
    is fetched again (``say`` tells which), never handed to a build.

    Raises:
        EnvironmentProblem: a requirement has no binary wheel for the target, or
            PyPI cannot be reached; the message names pip's last lines.
    """
    folder = cache / folder_name(python, platform)
    stamp = _stamp(python, platform, suite, requirements)
    current = (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp
    damage = check(folder) if current else None
    if current and not damage:
        return folder
    if damage:
        say(f"wheelhouse {folder.name}: {'; '.join(damage)}; fetching what is missing or damaged")
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for wheel in _sound_wheels(folder):  # reuse what an earlier run downloaded intact
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
    hashes = {wheel.name: fsio.sha256(wheel) for wheel in sorted(partial.glob("*.whl"))}
    (partial / HASHES).write_text(json.dumps(hashes, indent=1, sort_keys=True))
    (partial / ".stamp").write_text(stamp)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)  # the cache only ever holds a complete wheelhouse
    if damage:
        say(f"wheelhouse {folder.name}: repaired ({len(hashes)} wheels verified)")
    return folder


def check(folder: Path) -> list[str]:
    """Return what is wrong with a complete wheelhouse against its recorded hashes ([] = sound)."""
    try:
        recorded = json.loads((folder / HASHES).read_text())
        if not isinstance(recorded, dict):
            raise TypeError
    except (OSError, ValueError, TypeError):
        return [f"{HASHES} is missing or unreadable"]
    present = {wheel.name: wheel for wheel in folder.glob("*.whl")}
    missing = sorted(set(recorded) - set(present))
    damaged = sorted(name for name, wheel in present.items()
                     if name in recorded and fsio.sha256(wheel) != recorded[name])
    extra = sorted(set(present) - set(recorded))
    return ([f"{name} is missing" for name in missing]
            + [f"{name} does not match its recorded sha256" for name in damaged]
            + [f"{name} was not downloaded here" for name in extra])


def _sound_wheels(folder: Path) -> list[Path]:
    """Return the wheels worth keeping: those matching their hash, else those that unzip."""
    try:
        recorded = json.loads((folder / HASHES).read_text())
    except (OSError, ValueError):
        recorded = None
    sound = []
    for wheel in sorted(folder.glob("*.whl")) if folder.is_dir() else []:
        if isinstance(recorded, dict) and wheel.name in recorded:
            keep = fsio.sha256(wheel) == recorded[wheel.name]
        else:
            keep = _unzips(wheel)
        if keep:
            sound.append(wheel)
    return sound


def _unzips(wheel: Path) -> bool:
    try:
        with zipfile.ZipFile(wheel) as archive:
            return archive.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


#: The named build context (and the empty stage it replaces) that carries the wheels.
CONTEXT = "wheels"
#: Where the pip RUNs bind-mount it (inside the build container only).
MOUNT_POINT = "/wheels"


def build_args() -> dict[str, str]:
    """Return the transport-only build arguments that point pip at the mounted wheelhouse."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": MOUNT_POINT}
