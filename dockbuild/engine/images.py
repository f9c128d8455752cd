"""The engine's images as dockbuild asks about them: inspect, labels, pull; space and clean-up.

Inspecting goes over raw HTTP first (no SDK import); the SDK only when the
engine is remote over TLS/ssh, or when an engine must be started.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import shutil
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from dockbuild.engine import client, rawapi
from dockbuild.errors import EnvironmentProblem

log = logging.getLogger("dockbuild")

#: Free space a cold build of all five images needs (layers ~3 GB, plus headroom).
MIN_FREE_GB = 6.0
#: Extra space for debootstrap, the rootfs tar and the root image.
ROOT_FREE_GB = 1.5
CLEANUP_WAIT_S = 60.0  # the engine removes a cancelled build's container; slow when loaded


def min_free_gb() -> float:
    """Return the free space required before a build starts (DOCKBUILD_MIN_FREE_GB overrides).

    Raises:
        EnvironmentProblem: the variable is not a finite number of GB >= 0 (exit 2);
            ``nan`` or ``-5`` would otherwise switch the disk check off unseen.
    """
    text = os.environ.get("DOCKBUILD_MIN_FREE_GB", "").strip()
    if not text:
        return MIN_FREE_GB
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        msg = f"DOCKBUILD_MIN_FREE_GB={text!r} is not a number of gigabytes"
        raise EnvironmentProblem(msg, hint=f"set a number >= 0 (default {MIN_FREE_GB:g}),"
                                 " or unset it")
    return value


def inspect(ref: str, *, api: Any = None, timeout: float = rawapi.TIMEOUT_S,
            sdk: bool = True) -> dict[str, Any] | None:
    """Return the engine's JSON for image ``ref``, or None when it has none.

    Raw HTTP first; when that cannot reach the engine (TLS, ssh), the SDK
    asks: through ``api`` when the caller holds a client, else a short-lived one.

    Raises:
        rawapi.Unreachable: raw HTTP cannot reach the engine and ``sdk`` is False.
        EngineUnavailable: no engine answers the SDK either (exit 2).
    """
    try:
        return rawapi.inspect_image(ref, timeout=timeout)
    except rawapi.Unreachable:
        if not sdk:
            raise
    from docker.errors import ImageNotFound

    with client.borrow(api) as sdk:
        try:
            return dict(sdk.inspect_image(ref))
        except ImageNotFound:
            return None


def inspect_many(refs: Sequence[str]) -> dict[str, dict[str, Any] | None]:
    """Return :func:`inspect` of each ref over raw HTTP, asked in parallel (no SDK)."""
    return rawapi.inspect_images(refs) if refs else {}


_SIZES: list[tuple[float, dict[str, int]]] = []  # (when, sizes): the last list asked for


def unpacked_sizes(*, api: Any = None, sdk: bool = True, max_age_s: float = 0.0,
                   reference: str | None = None) -> dict[str, int] | None:
    """Return every image's unpacked size by id, as ``docker images`` shows it (one request).

    On the containerd store inspect's ``Size`` is the compressed content; the
    list's is the unpacked one on both stores, but the engine walks the snapshots
    of every image it lists (~10 ms each): a list younger than ``max_age_s`` is
    reused, and ``reference`` lists only the images that tag names (the engine
    filters before the walk). None when raw HTTP fails and ``sdk`` is False.
    """
    if reference is None and _SIZES and time.monotonic() - _SIZES[-1][0] < max_age_s:
        return _SIZES[-1][1]
    path = "/images/json"
    if reference is not None:
        path += "?filters=" + urllib.parse.quote(json.dumps({"reference": [reference]}))
    try:
        status, body = rawapi.get_json(path)
        entries = body if status == 200 and isinstance(body, list) else []
    except rawapi.Unreachable:
        if not sdk:
            return None
        with client.borrow(api) as held:
            entries = list(held.images(name=reference))
    sizes = {str(e.get("Id")): int(e["Size"]) for e in entries if isinstance(e.get("Size"), int)}
    if reference is None:
        _SIZES[:] = [(time.monotonic(), sizes)]
    return sizes


def size_bytes(info: dict[str, Any], *, api: Any = None, sdk: bool = True,
               sizes: dict[str, int] | None = None, max_age_s: float = 0.0) -> int:
    """Return one image's unpacked size (``sizes``: an :func:`unpacked_sizes` already fetched)."""
    known = sizes if sizes is not None else unpacked_sizes(api=api, sdk=sdk, max_age_s=max_age_s)
    return (known or {}).get(str(info.get("Id", "")), int(info.get("Size", 0)))


def storage_driver() -> str:
    """Return how the engine stores images: ``io.containerd.snapshotter.v1`` (the containerd
    image store) or the classic driver's name (``overlay2``); "" when it cannot be asked."""
    try:
        status, body = rawapi.get_json("/info", timeout=5)
    except rawapi.Unreachable:
        return ""
    if status != 200 or not isinstance(body, dict):
        return ""
    pairs = dict(tuple(pair) for pair in body.get("DriverStatus") or [] if len(pair) == 2)
    return str(pairs.get("driver-type") or body.get("Driver") or "")


def require(ref: str, *, api: Any = None) -> dict[str, Any]:
    """Return the engine's JSON for image ``ref``; exit 2 with the fix when it has none."""
    info = inspect(ref, api=api)
    if info is None:
        msg = f"{ref} is not on the engine"
        raise EnvironmentProblem(msg, hint="build it first (`inv build`)")
    return info


def labels(info: dict[str, Any] | None) -> dict[str, str]:
    """Return an image's labels from its inspect JSON (empty when it has none or is absent)."""
    return ((info or {}).get("Config") or {}).get("Labels") or {}


def try_pull(api: Any, ref: str, platform: str) -> bool:
    """Pull ``ref`` for ``platform``; return False (fast) when no registry answers."""
    from docker.errors import DockerException

    repository, _, name = ref.rpartition(":")
    try:
        api.pull(repository, tag=name, platform=platform)
    except (DockerException, OSError) as exc:
        log.info("pull of %s failed: %s", ref, str(exc).splitlines()[0][:200])
        return False
    return True


def remove_quietly(api: Any, image_id: str) -> None:
    """Remove an image nobody may use (a failed check); log when the engine refuses."""
    from docker.errors import DockerException

    try:
        api.remove_image(image_id, force=True, noprune=False)
    except (DockerException, OSError) as exc:
        log.info("could not remove %s: %s", image_id[:19], str(exc).splitlines()[0][:200])


def remove_container_quietly(api: Any, container_id: str) -> None:
    """Remove a container and its volumes; log when it is gone already or the engine refuses."""
    from docker.errors import DockerException

    try:
        api.remove_container(container_id, force=True, v=True)
    except (DockerException, OSError) as exc:
        log.info("could not remove container %s: %s", container_id[:12], str(exc)[:200])


class Engine:
    """Cheap questions to the engine, starting it (through engine.start) when none answers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ensured = False
        self._sizes: dict[str, int] | None = None
        self._known: dict[str, dict[str, Any] | None] = {}  # see batch()

    def ensure(self) -> None:
        """Make sure an engine answers (exit 2 with the fix otherwise)."""
        if not self._ensured:
            from dockbuild.engine import start as engine

            engine.ensure_engine(self.root / ".cache")
            self._ensured = True

    def answers(self) -> bool:
        """Return True when the engine answers now (a failed build may have lost it)."""
        try:
            with client.borrow(timeout=5) as api:
                api.ping()
        except Exception:  # EngineUnavailable, a reset connection, a timeout: it is gone
            return False
        return True

    @contextlib.contextmanager
    def batch(self, refs: Iterable[str]) -> Iterator[None]:
        """Ask about every ref at once; inside the block each answer serves one inspect of it.

        An answer is used once and dropped when the block ends, so a question asked
        again (after a build moved a tag) goes to the engine. Without raw HTTP the
        block asks nothing ahead: each inspect asks as before.
        """
        wanted = [ref for ref in dict.fromkeys(refs) if ref not in self._known]
        with contextlib.suppress(rawapi.Unreachable):  # then each inspect asks on its own
            self._known.update(inspect_many(wanted))
        try:
            yield
        finally:
            for ref in wanted:
                self._known.pop(ref, None)

    def inspect(self, ref: str) -> dict[str, Any] | None:
        """Return the engine's JSON for image ``ref`` (None if absent), starting an engine first."""
        if ref in self._known:
            return self._known.pop(ref)
        if not self._ensured:
            try:
                return inspect(ref, sdk=False)
            except rawapi.Unreachable:
                self.ensure()  # starts a local engine, or says how to get one (exit 2)
        return inspect(ref)

    def size_mb(self, info: dict[str, Any], *, ref: str | None = None,
                known: dict[str, float] | None = None) -> float:
        """Return an image's unpacked size in MB: from ``known`` (sizes by id measured at
        build time: the no-op path lists nothing), by listing ``ref`` alone (the tag a build
        just moved to it), else from one list of every image per run."""
        image_id = str(info.get("Id", ""))
        if known and ref is None and image_id in known:
            return known[image_id]
        if ref is not None:
            return size_bytes(info, sizes=unpacked_sizes(reference=ref)) / 1e6
        if self._sizes is None:
            self._sizes = unpacked_sizes()
        return size_bytes(info, sizes=self._sizes) / 1e6

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

