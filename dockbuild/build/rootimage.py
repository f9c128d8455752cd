"""The root Python image the base starts from: present, pulled, or built from Debian packages.

When ``python:X-slim`` is neither on the engine nor pullable, an equivalent is
made offline: debootstrap (bookworm for 3.11, trixie for 3.13) with python3,
pip, venv and ``python`` on PATH, no EXTERNALLY-MANAGED marker, then a
``FROM scratch`` build with the right ``--platform``. The rootfs tar is cached
under .cache/rootfs and the image carries its recipe hash as a label: it is
rebuilt only when the recipe changes or when asked.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockbuild import proc
from dockbuild.build import aptsources
from dockbuild.engine import client, images, tags
from dockbuild.errors import EnvironmentProblem

log = logging.getLogger("dockbuild")

SUITES = {"3.11": "bookworm", "3.13": "trixie"}
PACKAGES = ("python3", "python3-pip", "python3-venv", "python-is-python3", "passwd")
RECIPE_LABEL = "dockbuild.root-recipe"
DOCKERFILE = """\
FROM scratch
ADD rootfs.tar /
COPY apt.conf.d/ /etc/apt/apt.conf.d/
ENV LANG=C.UTF-8
CMD ["python3"]
"""
#: apt settings of the official Debian images: a later `apt-get install` in a child
#: image leaves no .deb in /var/cache/apt/archives (python:X-slim behaves the same).
_CLEAN = ('"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb'
          ' /var/cache/apt/*.bin || true"')
APT_CONFIG = {
    "docker-clean": (f"DPkg::Post-Invoke {{ {_CLEAN}; }};\n"
                     f"APT::Update::Post-Invoke {{ {_CLEAN}; }};\n"
                     'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'),
    "docker-no-languages": 'Acquire::Languages "none";\n',
}
#: Files removed from the tree before it is packed (globs relative to the tree).
CLEANUP = ("usr/lib/python3*/EXTERNALLY-MANAGED", "var/lib/apt/lists/*", "var/cache/apt/*.bin",
           "var/cache/apt/archives/*.deb", "var/log/*.log", "var/log/apt/*")
RECIPE_VERSION = 1
#: Releases whose python3-pip ships no RECORD, so `pip install --upgrade pip` cannot
#: replace it ("uninstall-no-record-file"); a RECORD is written for it, as ensurepip would.
RECORD_FIXUP_SUITES = ("trixie",)
SITE = "usr/lib/python3/dist-packages"


@dataclasses.dataclass(frozen=True, slots=True)
class RootImage:
    """The image the base's ``PYTHON_IMAGE`` names, and how it was obtained."""

    ref: str
    image_id: str
    how: str  # "present", "cached", "pulled" or "built"


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


def recipe(python: str, platform: str) -> dict[str, object]:
    """Return everything that decides the root image's content: the tree and what is added."""
    return {**tree_recipe(python, platform), "dockerfile": DOCKERFILE, "apt": APT_CONFIG}


def _digest(data: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def recipe_hash(python: str, platform: str) -> str:
    """Return the sha256 of the recipe (the label a cached root image must carry)."""
    return _digest(recipe(python, platform))


def local_ref(project: str, python: str, platform: str) -> str:
    """Return the tag of the Debian-built root image, e.g. ``academy-python:3.11-amd64``."""
    return f"{project}-python:{python}-{arch_of(platform)}"


def _usable(info: dict[str, Any] | None, platform: str) -> bool:
    return info is not None and info.get("Architecture") == arch_of(platform)


def find(root_ref: str, project: str, python: str, platform: str,
         inspect: Callable[[str], dict[str, Any] | None] = images.inspect,
         ) -> RootImage | None:
    """Return the root image without building or pulling, or None."""
    info = inspect(root_ref)
    if info is not None and _usable(info, platform):
        return RootImage(root_ref, str(info["Id"]), "present")
    ref = local_ref(project, python, platform)
    info = inspect(ref)
    if info is not None and _usable(info, platform) and \
            images.labels(info).get(RECIPE_LABEL) == recipe_hash(python, platform):
        return RootImage(ref, str(info["Id"]), "cached")
    return None


def resolve(root: Path, root_ref: str, project: str, python: str, platform: str, *,
            inspect: Callable[[str], dict[str, Any] | None] = images.inspect,
            rebuild: bool = False, say: Callable[[str], None] = print) -> RootImage:
    """Return the root image, pulling it or building it from Debian packages when needed."""
    from dockbuild.build import builder

    if not rebuild:
        found = find(root_ref, project, python, platform, inspect=inspect)
        if found is not None:
            return found
    with client.borrow(timeout=client.BUILD_TIMEOUT_S) as api:  # closed on every way out
        if not rebuild and images.try_pull(api, root_ref, platform):
            info = inspect(root_ref)
            if _usable(info, platform):
                assert info is not None
                return RootImage(root_ref, str(info["Id"]), "pulled")
        ref = local_ref(project, python, platform)
        say(f"{root_ref} ({platform}) is not on the engine and cannot be pulled: building {ref}"
            f" from Debian {suite_for(python)} packages instead")
        tar = rootfs_tar(root, python, platform, rebuild=rebuild, say=say)
        started = time.monotonic()
        context = _context(tar)
        try:
            image_id = builder.Build().run(builder.Request(
                context=context, dockerfile="Dockerfile", platform=platform,
                labels={RECIPE_LABEL: recipe_hash(python, platform)})).image_id
        finally:
            shutil.rmtree(context, ignore_errors=True)
        tags.point(image_id, ref, api=api)
        say(f"built {ref} from {tar.name} in {time.monotonic() - started:.0f} s"
            " (cached: rebuilt only when its recipe changes or with --rebuild-root)")
        return RootImage(ref, image_id, "built")


def cache_dir(root: Path, python: str, platform: str) -> Path:
    """Return the folder caching one recipe's rootfs tar."""
    key = _digest(tree_recipe(python, platform))[:12]  # a new apt setting reuses the tree
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
            return tar
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
            partial.replace(tar)  # only a complete tar is ever seen as the cache
        finally:
            _remove_tree(tree)
        say(f"debootstrap {suite} ({arch}) done in {time.monotonic() - started:.0f} s")
        return tar


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


def _context(tar: Path) -> Path:
    """Write the build context (Dockerfile, apt settings, rootfs.tar) next to the cached tar."""
    context = tar.with_name("context")
    shutil.rmtree(context, ignore_errors=True)
    (context / "apt.conf.d").mkdir(parents=True)
    (context / "Dockerfile").write_text(DOCKERFILE)
    for name, text in APT_CONFIG.items():
        (context / "apt.conf.d" / name).write_text(text)
    os.link(tar, context / "rootfs.tar")  # same folder: no copy of a few hundred MB
    return context


def _remove_tree(tree: Path) -> None:
    """Remove a debootstrap tree, unmounting anything a failed run left mounted in it."""
    if not tree.exists():
        return
    prefix = str(tree.resolve()) + "/"
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for point in sorted((m for m in mounts if m.startswith(prefix)), reverse=True):
        proc.run(["umount", "-l", point], check=False)
    shutil.rmtree(tree)
