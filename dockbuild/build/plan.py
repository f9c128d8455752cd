"""What to build, in which order, and the hash that says whether it must be built (pure)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from dockbuild.engine import tags
from dockbuild.errors import InputError, Location
from dockbuild.inputs.manifest import Manifest

#: The build argument through which each kind of image receives its parent.
PARENT_ARG_BASE = "PYTHON_IMAGE"
PARENT_ARG_SERVICE = "BASE_IMAGE"
HASH_VERSION = 2  # 2: built by BuildKit (cache mounts, the wheelhouse as a context)
#: Build arguments that only carry the wheelhouse's address: never part of an input hash.
TRANSPORT_ARGS = ("PIP_NO_INDEX", "PIP_FIND_LINKS")


@dataclasses.dataclass(frozen=True, slots=True)
class BuildStep:
    """One image of one variant: what to build and what it builds FROM."""

    name: str
    image: str
    dockerfile: Path
    parent: str | None  # another step's name; None: the root Python image
    python: str
    platform: str
    tag: str

    @property
    def parent_arg(self) -> str:
        """Return the build argument that carries the parent image reference."""
        return PARENT_ARG_BASE if self.parent is None else PARENT_ARG_SERVICE

    @property
    def variant(self) -> str:
        """Return the variant name, e.g. ``py3.11-amd64``."""
        return tags.variant(self.python, self.platform)


def plan(manifest: Manifest, python: str, platform: str, *,
         services: Sequence[str] | None = None, base: bool = True,
         include_services: bool = True) -> list[BuildStep]:
    """Return the steps to build, parents first.

    ``services`` narrows the services (their parents come along when they are
    services too); ``base`` and ``include_services`` pick the two halves.
    """
    wanted = set(manifest.services) if services is None or not services else set(services)
    unknown = sorted(wanted - set(manifest.services))
    if unknown:
        msg = f"no service called {', '.join(unknown)} in the manifest"
        raise InputError(msg, where=Location(manifest.path),
                         hint=f"known: {', '.join(manifest.services)}")
    for name in list(wanted):  # a service built FROM another service needs that one too
        parent = manifest.services[name].parent
        while parent in manifest.services and parent not in wanted:
            wanted.add(parent)
            parent = manifest.services[parent].parent
    steps = []
    for name in manifest.build_order():
        image = manifest.get(name)
        if name == manifest.base.name:
            if not base:
                continue
        elif not include_services or name not in wanted:
            continue
        steps.append(BuildStep(
            name=name, image=image.image, dockerfile=image.dockerfile,
            parent=image.parent, python=python, platform=platform,
            tag=tags.variant_tag(image.image, python, platform),
        ))
    return steps


def longest_first(manifest: Manifest, steps: Sequence[BuildStep]) -> list[BuildStep]:
    """Return the steps parents first, and among equals those with apt packages first.

    apt-get installs dominate build time, so starting them first keeps both cores
    busy until the end instead of leaving one long build alone at the tail.
    """
    def depth(step: BuildStep) -> int:
        level, parent = 0, step.parent
        while parent is not None:
            level, parent = level + 1, manifest.get(parent).parent
        return level

    return sorted(steps, key=lambda step: (depth(step), -len(manifest.get(step.name).apt)))


def hashed_args(buildargs: Mapping[str, str]) -> dict[str, str]:
    """Return the build arguments that decide the image (transport-only ones removed)."""
    return {key: value for key, value in sorted(buildargs.items()) if key not in TRANSPORT_ARGS}


def input_hash(*, files_digest: str, buildargs: Mapping[str, str], parent_id: str,
               platform: str, python: str) -> str:
    """Return the sha256 of everything an image's content depends on.

    The files digest covers the Dockerfile and every context file the build
    reads after .dockerignore; the parent id covers everything upstream.
    """
    record = {"v": HASH_VERSION, "files": files_digest, "args": hashed_args(buildargs),
              "parent": parent_id, "platform": platform, "python": python}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def requirement_files(manifest: Manifest) -> list[Path]:
    """Return every requirements file the images install, base first, without repeats."""
    seen: list[Path] = []
    for image in manifest.images():
        if image.requirements is not None and image.requirements not in seen:
            seen.append(image.requirements)
    return seen
