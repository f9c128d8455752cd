"""The root Python image the base starts from: present, pulled, or built from Debian packages.

When ``python:X-slim`` is neither on the engine nor pullable, an equivalent is
made offline: the Debian tree of build/rootfs.py, then a ``FROM scratch``
build with the right ``--platform``. The image carries its recipe hash and
its tar's sha256 as labels: it is rebuilt only when either changes or when
asked. It is tagged only after ``python3 --version`` ran in it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockbuild.build import rootfs
from dockbuild.build.rootfs import arch_of, suite_for
from dockbuild.engine import client, images, tags
from dockbuild.errors import EnvironmentProblem

log = logging.getLogger("dockbuild")

RECIPE_LABEL = "dockbuild.root-recipe"
#: The sha256 of the rootfs tar the image was made from (recorded beside the tar).
ROOTFS_LABEL = "dockbuild.rootfs-sha256"
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


@dataclasses.dataclass(frozen=True, slots=True)
class RootImage:
    """The image the base's ``PYTHON_IMAGE`` names, and how it was obtained."""

    ref: str
    image_id: str
    how: str  # "present", "cached", "pulled" or "built"


def recipe(python: str, platform: str) -> dict[str, object]:
    """Return everything that decides the root image's content: the tree and what is added."""
    return {**rootfs.tree_recipe(python, platform), "dockerfile": DOCKERFILE, "apt": APT_CONFIG}


def recipe_hash(python: str, platform: str) -> str:
    """Return the sha256 of the recipe (the label a cached root image must carry)."""
    return rootfs.digest(recipe(python, platform))


def local_ref(project: str, python: str, platform: str) -> str:
    """Return the tag of the Debian-built root image, e.g. ``academy-python:3.11-amd64``."""
    return f"{project}-python:{python}-{arch_of(platform)}"


def _usable(info: dict[str, Any] | None, platform: str) -> bool:
    return info is not None and info.get("Architecture") == arch_of(platform)


def find(root: Path, root_ref: str, project: str, python: str, platform: str,
         inspect: Callable[[str], dict[str, Any] | None] = images.inspect,
         ) -> RootImage | None:
    """Return the root image without building or pulling, or None.

    A Debian-made one counts only when its labels name this recipe and the
    rootfs tar kept now: one made from another (or a damaged) tar, or by a
    version that did not run python3 in it before tagging, is made again.
    """
    info = inspect(root_ref)
    if info is not None and _usable(info, platform):
        return RootImage(root_ref, str(info["Id"]), "present")
    ref = local_ref(project, python, platform)
    info = inspect(ref)
    labels = images.labels(info) if info is not None else {}
    if info is not None and _usable(info, platform) and \
            labels.get(RECIPE_LABEL) == recipe_hash(python, platform) and \
            _made_from_sound_tar(labels.get(ROOTFS_LABEL), root, python, platform):
        return RootImage(ref, str(info["Id"]), "cached")
    return None


def _made_from_sound_tar(label: str | None, root: Path, python: str, platform: str) -> bool:
    """Return True when the image was checked (it has the label) and its tar is the one kept.

    With no tar kept (a cleaned cache) the checked image stands on its own.
    """
    recorded = rootfs.recorded_digest(root, python, platform)
    return bool(label) and (not recorded or label == recorded)


def resolve(root: Path, root_ref: str, project: str, python: str, platform: str, *,
            inspect: Callable[[str], dict[str, Any] | None] = images.inspect,
            rebuild: bool = False, say: Callable[[str], None] = print) -> RootImage:
    """Return the root image, pulling it or building it from Debian packages when needed."""
    from dockbuild.build import builder

    if not rebuild:
        found = find(root, root_ref, project, python, platform, inspect=inspect)
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
        started = time.monotonic()
        for attempt in (1, 2):
            tar = rootfs.rootfs_tar(root, python, platform, rebuild=rebuild, say=say)
            context = _context(tar)
            try:
                image_id = builder.Build().run(builder.Request(
                    context=context, dockerfile="Dockerfile", platform=platform,
                    labels={RECIPE_LABEL: recipe_hash(python, platform),
                            ROOTFS_LABEL: rootfs.recorded_digest(root, python, platform)})).image_id
            finally:
                shutil.rmtree(context, ignore_errors=True)
            problem = python_problem(api, image_id, platform)
            if problem is None:
                break
            images.remove_quietly(api, image_id)
            rootfs.forget_tar(root, python, platform)
            made_from = rootfs.shown(tar, root)
            msg = f"the root image made from {made_from} does not run python3: {problem}"
            if attempt == 2:
                raise EnvironmentProblem(msg, hint="run `inv doctor`; the tar was removed")
            say(f"{msg}; not tagged, making the tar again")
            rebuild = True
        tags.point(image_id, ref, api=api)
        say(f"built {ref} from {tar.name} in {time.monotonic() - started:.0f} s"
            " (cached: rebuilt only when its recipe changes or with --rebuild-root)")
        return RootImage(ref, image_id, "built")


def python_problem(api: Any, image_id: str, platform: str) -> str | None:
    """Return why ``python3 --version`` fails in the image, or None when it prints a version."""
    container = None
    try:
        container = api.create_container(image_id, command=["python3", "--version"],
                                         platform=platform, labels={ROOTFS_LABEL: "check"})
        api.start(container["Id"])
        code = api.wait(container["Id"], timeout=300).get("StatusCode")
        output = api.logs(container["Id"]).decode("utf-8", "replace").strip()
    except Exception as exc:  # the engine refuses to start it: /bin/sh or python3 is missing
        text = str(getattr(exc, "explanation", None) or exc).splitlines()[0]
        return text.rpartition("unable to start container process: ")[2].rstrip(": ")[:200]
    finally:
        if container is not None:
            images.remove_container_quietly(api, container["Id"])
    if code != 0 or not output.startswith("Python 3"):
        return f"exit {code}: {output.splitlines()[-1][:200] if output else 'no output'}"
    return None


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


