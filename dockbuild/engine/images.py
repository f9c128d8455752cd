"""The engine as the build sees it: inspect images cheaply, check space, clean-up after Ctrl-C.

Raw HTTP first (no SDK import); the SDK only when the engine is remote over
TLS/ssh, or when an engine must be started.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockbuild.build import rootimage
from dockbuild.engine import rawapi
from dockbuild.errors import EnvironmentProblem
from dockbuild.inputs.manifest import Manifest

#: Free space a cold build of all five images needs (layers ~3 GB, plus headroom).
MIN_FREE_GB = 6.0
#: Extra space for debootstrap, the rootfs tar and the root image.
ROOT_FREE_GB = 1.5
CLEANUP_WAIT_S = 20.0


def min_free_gb() -> float:
    """Return the free space required before a build starts (DOCKBUILD_MIN_FREE_GB overrides)."""
    return float(os.environ.get("DOCKBUILD_MIN_FREE_GB", MIN_FREE_GB))


class Engine:
    """Cheap questions to the engine, starting it (through engine.start) when none answers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._raw = True
        self._ensured = False

    def ensure(self) -> None:
        """Make sure an engine answers (exit 2 with the fix otherwise)."""
        if not self._ensured:
            from dockbuild.engine import start as engine

            engine.ensure_engine(self.root / ".cache")
            self._ensured = True

    def inspect(self, ref: str) -> dict[str, Any] | None:
        """Return the engine's JSON for image ``ref``, or None when it has none."""
        if self._raw:
            try:
                return rawapi.inspect_image(ref)
            except rawapi.Unreachable:
                self.ensure()  # starts a local engine, or says how to get one (exit 2)
            try:
                return rawapi.inspect_image(ref)
            except rawapi.Unreachable:
                self._raw = False  # a remote engine over TLS or ssh: the SDK speaks that
        from docker.errors import ImageNotFound

        from dockbuild.build import builder

        api = builder.client(timeout=30)
        try:
            return dict(api.inspect_image(ref))
        except ImageNotFound:
            return None
        finally:
            api.close()

    def find_root(self, root_ref: str, project: str, python: str,
                  platform: str) -> rootimage.RootImage | None:
        """Return the root image when it is ready without pulling or building."""
        return rootimage.find(root_ref, project, python, platform, inspect=self.inspect)

    def resolve_root(self, manifest: Manifest, python: str, platform: str, *, rebuild: bool,
                     say: Callable[[str], None]) -> rootimage.RootImage:
        """Return the root image, pulling it or building it from Debian packages."""
        from dockbuild.build import builder

        return rootimage.resolve(builder.client, self.root,
                                 manifest.base.root_image_for(python), manifest.project,
                                 python, platform, rebuild=rebuild, say=say)

    def require_space(self, *, with_root: bool) -> None:
        """Fail before starting when the engine's disk or the cache's disk is nearly full."""
        need = min_free_gb() + (ROOT_FREE_GB if with_root else 0.0)
        places = [self.root]
        docker_root = self.docker_root()
        if docker_root is not None:
            places.insert(0, docker_root)
        for place in places:
            free = shutil.disk_usage(place).free / 1e9
            if free < need:
                msg = f"only {free:.1f} GB free on {place}; a build needs about {need:.0f} GB"
                raise EnvironmentProblem(
                    msg, hint="free space (`docker system prune`, `docker image prune`) and retry"
                )

    def docker_root(self) -> Path | None:
        """Return the engine's data folder when it is on this machine, else None."""
        if os.environ.get("DOCKER_HOST", "unix://").split(":", 1)[0] != "unix":
            return None
        try:
            _status, info = rawapi.get_json("/info")
        except rawapi.Unreachable:
            return None
        path = Path((info or {}).get("DockerRootDir", "/var/lib/docker"))
        return path if path.is_dir() else None

    def container_ids(self) -> set[str]:
        """Return the ids of every container the engine has (running or not)."""
        try:
            _status, body = rawapi.get_json("/containers/json?all=1")
        except rawapi.Unreachable:
            return set()
        return {item["Id"] for item in body or []}

    def wait_for_cleanup(self, before: set[str], *, say: Callable[[str], None]) -> None:
        """After Ctrl-C, wait until the engine removed the build containers it was running."""
        deadline = time.monotonic() + CLEANUP_WAIT_S
        left = self.container_ids() - before
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = self.container_ids() - before
        if left:
            say(f"containers created during the build are still there: {' '.join(sorted(left))}"
                " (remove them with `docker rm -f` once you know they are build leftovers)")
        else:
            say("no build container left on the engine")

