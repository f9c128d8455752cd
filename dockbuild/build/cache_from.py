"""``inv build --cache-from HOST:PORT``: seed an engine with what another engine pushed.

Before planning, the Debian-made root image is pulled (and tagged as the
build expects it) when the engine lacks it, so no debootstrap runs; each image
of the variant is pulled as ``HOST/academy-<name>:py3.11-amd64``. A pulled
image whose input hash equals the one computed here is reused as it is; any
other build names the pulled image as a ``cache_from`` source, so its
unchanged steps are taken from the registry's layers ("Using cache").
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
    have_root = rootimage.find(root_ref, manifest.project, python, platform, inspect=inspect)
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

