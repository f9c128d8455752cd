"""Image names, tags and labels (``academy-<name>:py3.11-amd64``, ``:latest``); moving a tag.

A build tags only its variant (``py<python>-<arch>``), and only after it
succeeded. ``:latest`` belongs to the default variant and moves only through
:func:`promote`, which the image tests call once every test of that image id
passed in the same run (imagetest.promotion decides).
"""

from __future__ import annotations

from typing import Any

from dockbuild.engine import client, images
from dockbuild.inputs import manifest as manifest_mod

INPUTS_LABEL = "dockbuild.inputs"
OCI = "org.opencontainers.image"


def variant(python: str, platform: str) -> str:
    """Return the variant name of a target, e.g. ``py3.11-amd64``."""
    return f"py{python}-{platform.split('/', 1)[1]}"


def variant_tag(image: str, python: str, platform: str) -> str:
    """Return the tag a successful build gets, e.g. ``academy-api:py3.11-amd64``."""
    return f"{image}:{variant(python, platform)}"


def latest_tag(image: str) -> str:
    """Return the moving tag of the default variant."""
    return f"{image}:latest"


def is_default(variants: manifest_mod.Variants, python: str, platform: str) -> bool:
    """Return True for the manifest's default variant (the one ``:latest`` follows)."""
    return python == variants.default_python and platform == variants.default_platform


def labels(*, inputs: str, revision: str, created: str, source: str, version: str,
           title: str) -> dict[str, str]:
    """Return the labels a built image carries: OCI ones plus its input hash."""
    return {
        f"{OCI}.revision": revision,
        f"{OCI}.created": created,
        f"{OCI}.source": source,
        f"{OCI}.version": version,
        f"{OCI}.title": title,
        INPUTS_LABEL: inputs,
    }


def point(image_id: str, ref: str, *, api: Any = None) -> None:
    """Point ``ref`` (``repo:tag``) at ``image_id``, through ``api`` or a short-lived client."""
    repository, _, name = ref.rpartition(":")
    with client.borrow(api) as sdk:
        sdk.tag(image_id, repository, name, force=True)


def promote(manifest: manifest_mod.Manifest, name: str, python: str, platform: str,
            api: Any = None, *, image_id: str) -> str | None:
    """Move ``:latest`` to ``image_id``, the variant image that just passed its tests.

    Return the tag moved, or None when nothing moved: only the default variant
    owns ``:latest``, and the variant tag must still point at ``image_id`` (an
    image rebuilt while it was tested has no evidence of its own yet).
    """
    if not is_default(manifest.variants, python, platform):
        return None
    image = manifest.get(name).image
    current = images.inspect(variant_tag(image, python, platform), api=api)
    if not image_id or current is None or str(current.get("Id")) != image_id:
        return None
    point(image_id, latest_tag(image), api=api)
    return latest_tag(image)

