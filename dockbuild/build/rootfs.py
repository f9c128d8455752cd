"""The Debian tree a root image is made of: debootstrapped once, kept as a sealed tar.

debootstrap (bookworm for 3.11, trixie for 3.13) with python3, pip, venv and
``python`` on PATH, no EXTERNALLY-MANAGED marker, packed into
.cache/rootfs/<suite>-<arch>-<recipe>/rootfs.tar. Its sha256 is recorded when
it is made and checked before each use: a truncated or replaced tar is made
again, never built into an image.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from dockbuild import fsio, proc
from dockbuild.build import aptsources
from dockbuild.errors import EnvironmentProblem

log = logging.getLogger("dockbuild")

SUITES = {"3.11": "bookworm", "3.13": "trixie"}
PACKAGES = ("python3", "python3-pip", "python3-venv", "python-is-python3", "passwd")
#: Beside the tar: its sha256, written when it was made, checked before every use.
DIGEST = "rootfs.tar.sha256"
#: Files removed from the tree before it is packed (globs relative to the tree).
CLEANUP = ("usr/lib/python3*/EXTERNALLY-MANAGED", "var/lib/apt/lists/*", "var/cache/apt/*.bin",
           "var/cache/apt/archives/*.deb", "var/log/*.log", "var/log/apt/*")
RECIPE_VERSION = 1
#: Releases whose python3-pip ships no RECORD, so `pip install --upgrade pip` cannot
#: replace it ("uninstall-no-record-file"); a RECORD is written for it, as ensurepip would.
RECORD_FIXUP_SUITES = ("trixie",)
SITE = "usr/lib/python3/dist-packages"


def arch_of(platform: str) -> str:
    """Return the Debian/Docker architecture of ``linux/<arch>``."""
    return platform.split("/", 1)[1]


def suite_for(python: str) -> str:
    """Return the Debian release whose python3 is ``python``."""
    try:
        return SUITES[python]
    except KeyError:
        msg = f"no Debian release ships Python {python} as python3"
        raise EnvironmentProblem(msg, hint=f"use one of {', '.join(SUITES)}") from None


def tree_recipe(python: str, platform: str) -> dict[str, object]:
    """Return everything that decides the debootstrapped tree (not the mirror)."""
    suite = suite_for(python)
    result: dict[str, object] = {
        "version": RECIPE_VERSION, "suite": suite, "arch": arch_of(platform),
        "variant": "minbase", "packages": list(PACKAGES), "cleanup": list(CLEANUP)}
    if suite in RECORD_FIXUP_SUITES:
        result["fixups"] = ["write-missing-RECORD of package files, not scripts"]
    return result


def digest(data: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def cache_dir(root: Path, python: str, platform: str) -> Path:
    """Return the folder caching one recipe's rootfs tar."""
    key = digest(tree_recipe(python, platform))[:12]  # a new apt setting reuses the tree
    return root / ".cache" / "rootfs" / f"{suite_for(python)}-{arch_of(platform)}-{key}"


def rootfs_tar(root: Path, python: str, platform: str, *, rebuild: bool = False,
               say: Callable[[str], None] = print) -> Path:
    """Return the cached rootfs tar, running debootstrap first when it is missing."""
    folder = cache_dir(root, python, platform)
    folder.mkdir(parents=True, exist_ok=True)
    tar = folder / "rootfs.tar"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two builds never debootstrap into one folder
        if tar.is_file() and not rebuild:
            problem = tar_problem(tar)
            if problem is None:
                return tar
            say(f"{shown(tar, root)} {problem}: making it again")
        if proc.which("debootstrap") is None:
            msg = "debootstrap is needed to build the root image offline but is not installed"
            raise EnvironmentProblem(msg, hint="apt-get install debootstrap")
        tree = folder / "tree"
        _remove_tree(tree)
        suite, arch = suite_for(python), arch_of(platform)
        mirror = aptsources.debian_mirror()
        say(f"debootstrap {suite} ({arch}) from {mirror}: about 1 min native, 3-6 min emulated")
        started = time.monotonic()
        try:
            proc.run(["debootstrap", "--variant=minbase", f"--arch={arch}",
                      f"--include={','.join(PACKAGES)}", "--components=main",
                      suite, str(tree), mirror], timeout=3600)
            for pattern in CLEANUP:
                for path in tree.glob(pattern):
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
            if suite in RECORD_FIXUP_SUITES:
                write_missing_records(tree)
            partial = folder / "rootfs.tar.part"
            proc.run(["tar", "--numeric-owner", "--xattrs", "-C", str(tree), "-cf",
                      str(partial), "."], timeout=1200)
            _seal(partial)
            partial.with_name(DIGEST).replace(tar.with_name(DIGEST))
            partial.replace(tar)  # only a complete tar is ever seen as the cache
        finally:
            _remove_tree(tree)
        say(f"debootstrap {suite} ({arch}) done in {time.monotonic() - started:.0f} s")
        return tar


def _seal(tar: Path) -> None:
    """Record a complete tar's sha256 beside it (what every later use checks)."""
    tar.with_name(DIGEST).write_text(fsio.sha256(tar) + "\n")


def recorded_digest(root: Path, python: str, platform: str) -> str:
    """Return the sha256 recorded for the cached tar ("" when none is recorded)."""
    try:
        return (cache_dir(root, python, platform) / DIGEST).read_text().strip()
    except OSError:
        return ""


def tar_problem(tar: Path) -> str | None:
    """Return what is wrong with a cached tar (truncated, replaced), or None when it is sound.

    A tar made before digests were recorded is listed through once (a
    truncated one fails) and then sealed.
    """
    recorded = tar.with_name(DIGEST)
    if recorded.is_file():
        if fsio.sha256(tar) == recorded.read_text().strip():
            return None
        return "does not match the sha256 recorded when it was made"
    listed = proc.run(["tar", "-tf", str(tar)], check=False, timeout=600)
    if listed.returncode != 0:
        return "is not a complete tar archive"
    _seal(tar)
    return None


def forget_tar(root: Path, python: str, platform: str) -> None:
    """Remove the cached tar and its digest (the next build makes it again)."""
    folder = cache_dir(root, python, platform)
    for name in ("rootfs.tar", DIGEST):
        (folder / name).unlink(missing_ok=True)


def shown(path: Path, root: Path) -> str:
    """Return ``path`` relative to the repository when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def write_missing_records(tree: Path) -> list[str]:
    """Give every Debian-installed distribution without a RECORD one, so pip can upgrade it.

    Console scripts stay out of it: the upgrade installs its own in /usr/local/bin,
    and the shell running `pip install --upgrade pip && pip install ...` has
    already hashed /usr/bin/pip, which keeps working with the new package.
    """
    site = tree / SITE
    written = []
    for info in sorted(site.glob("*.dist-info")):
        if (info / "RECORD").exists() or not (info / "top_level.txt").is_file():
            continue
        files = [path for name in (info / "top_level.txt").read_text().split()
                 for path in sorted((site / name).rglob("*")) if not path.is_dir()]
        files += sorted(path for path in info.iterdir() if path.is_file())
        lines = [f"{os.path.relpath(path, site)},," for path in files]
        lines.append(f"{info.name}/RECORD,,")
        (info / "RECORD").write_text("\n".join(lines) + "\n")
        written.append(info.name)
    return written


def _remove_tree(tree: Path) -> None:
    """Remove a debootstrap tree, unmounting anything a failed run left mounted in it."""
    if not tree.exists():
        return
    prefix = str(tree.resolve()) + "/"
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for point in sorted((m for m in mounts if m.startswith(prefix)), reverse=True):
        proc.run(["umount", "-l", point], check=False)
    shutil.rmtree(tree)
