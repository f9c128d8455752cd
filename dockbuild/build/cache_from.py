"""``inv build --cache-from/--cache-to HOST:PORT``: share work between engines via a registry.

Two things come from the registry. Before planning, the Debian-made root image
is pulled (and tagged as the build expects it) when the engine lacks it, so no
debootstrap runs, and each image of the variant is pulled as
``HOST/academy-<name>:py3.11-amd64``: a pulled image whose input hash equals
the one computed here is reused as it is. Every other build imports BuildKit's
registry cache ``HOST/academy-<name>:buildcache-py3.11-amd64`` (written by
``--cache-to``, mode=max: the builder stages' steps too), so its unchanged
steps come from the registry (``CACHED``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from dockbuild.build import rootimage
from dockbuild.build.plan import BuildStep
from dockbuild.engine import images, registry, tags
from dockbuild.inputs.manifest import Manifest

log = logging.getLogger("dockbuild")


def cache_ref(host: str, step: BuildStep) -> str:
    """Return where another engine pushed the image ``step`` builds (pure)."""
    return str(registry.reference(host, step.tag))


def cache_image(host: str, step: BuildStep) -> str:
    """Return the registry cache of the image ``step`` builds (pure)."""
    image, _, variant = step.tag.partition(":")
    return str(registry.reference(host, f"{image}:buildcache-{variant}"))


def import_args(host: str | None, step: BuildStep) -> list[str]:
    """Return buildx's ``--cache-from`` values for one step; none without a registry (pure)."""
    return [f"type=registry,ref={cache_image(host, step)}"] if host else []


def export_args(host: str | None, step: BuildStep) -> list[str]:
    """Return buildx's ``--cache-to`` values for one step: every step's result (pure)."""
    return [f"type=registry,ref={cache_image(host, step)},mode=max"] if host else []


def seed(host: str, manifest: Manifest, python: str, platform: str,
         steps: Iterable[BuildStep], *, inspect: Callable[[str], Any],
         say: Callable[[str], None] = print) -> dict[str, str]:
    """Pull the root image and every step's image from ``host``; return step name -> pulled ref.

    Raises:
        EnvironmentProblem: the registry does not answer (exit 2).
    """
    from dockbuild.engine import client

    registry.check(host)
    root_ref = manifest.base.root_image_for(python)
    # asking first also starts a local engine when none answers
    have_root = rootimage.find(manifest.root, root_ref, manifest.project, python, platform,
                               inspect=inspect)
    api = client.api()
    pulled: dict[str, str] = {}
    try:
        if have_root is None:
            local = rootimage.local_ref(manifest.project, python, platform)
            remote = str(registry.reference(host, local))
            if images.try_pull(api, remote, platform):
                tags.point(str(images.require(remote, api=api)["Id"]), local, api=api)
                api.remove_image(remote, noprune=True)
                say(f"root image {local} pulled from {host}")
        for step in steps:
            ref = cache_ref(host, step)
            if images.try_pull(api, ref, platform):
                pulled[step.name] = ref
                say(f"cache: {ref} pulled")
            else:
                say(f"cache: {host} has no {step.tag}; {step.name} builds without it")
    finally:
        api.close()
    return pulled

