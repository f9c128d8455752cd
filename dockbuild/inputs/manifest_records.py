"""The manifest's records: frozen, typed, each able to say which line declared it.

Pure data and the parent-first order of the images; reading and validating
docker/services.yaml is inputs/manifest.py's work.
"""

from __future__ import annotations

import dataclasses
import graphlib
from collections.abc import Iterator
from pathlib import Path

from dockbuild.errors import Location, ManifestError

#: A CMD: a list is Docker's exec form, a string its shell form.
Command = tuple[str, ...] | str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """The non-root account images run as."""

    name: str
    uid: int
    gid: int

    @property
    def home(self) -> str:
        """Return the account's home directory."""
        return f"/home/{self.name}"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Smoke:
    """How a smoke test proves a service works: an HTTP probe or one queue job."""

    http_port: int | None = None
    http_path: str = "/healthz"
    job: str | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    """What base and services share: a Dockerfile, a command and what it must hold."""

    name: str
    image: str
    dockerfile: Path
    context: Path
    parent: str | None
    cmd: Command
    ports: tuple[int, ...]
    apt: tuple[str, ...]
    copies: tuple[str, ...]
    requirements: Path | None
    size_budget_mb: int | None
    smoke: Smoke | None
    where: Location
    lines: dict[str, int] = dataclasses.field(default_factory=dict, hash=False, compare=False)
    secrets: tuple[tuple[str, str], ...] = ()  # (secret id, environment variable) for the build
    #: Packages (Debian or Python, by name) that must not be in the image nor in any built on it.
    forbidden_packages: tuple[str, ...] = ()

    def line_of(self, key: str) -> int | None:
        """Return the manifest line that sets ``key`` for this image, when it is set."""
        return self.lines.get(key)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Base(Image):
    """The image every service inherits: user, workdir and the application's code."""

    user: User
    workdir: str
    root_image: str

    def root_image_for(self, python: str) -> str:
        """Return the root Python image reference for a Python version."""
        return self.root_image.replace("${PYTHON}", python)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Variants:
    """The Python versions and platforms every image is built for."""

    python: tuple[str, ...]
    platforms: tuple[str, ...]
    default_python: str
    default_platform: str
    lines: dict[str, int] = dataclasses.field(default_factory=dict, hash=False, compare=False)

    def line_of(self, key: str) -> int | None:
        """Return the manifest line that sets ``variants.<key>``, to point errors at it."""
        return self.lines.get(key)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """The whole manifest, plus where it was read from."""

    root: Path
    path: Path
    project: str
    lang: str
    base: Base
    services: dict[str, Image]
    variants: Variants

    def images(self) -> Iterator[Image]:
        """Yield the base, then every service in manifest order."""
        yield self.base
        yield from self.services.values()

    def get(self, name: str) -> Image:
        """Return the image called ``name`` (base or service)."""
        if name == self.base.name:
            return self.base
        found = self.services.get(name)  # keyed by name: no walk over 500 services
        if found is not None and found.name == name:
            return found
        for image in self.images():
            if image.name == name:
                return image
        msg = f"no image called {name!r} in the manifest"
        hint = f"known: {', '.join(self.names())}"
        raise ManifestError(msg, where=Location(self.path), hint=hint)

    def names(self) -> list[str]:
        """Return every image name, base first."""
        return [image.name for image in self.images()]

    def build_order(self) -> list[str]:
        """Return image names so that each comes after its parent."""
        return _order(self)

    def build_waves(self) -> list[list[str]]:
        """Return the build order as waves: each wave's images build in parallel."""
        depth: dict[str, int] = {}
        for name in self.build_order():
            parent = self.get(name).parent
            depth[name] = 0 if parent is None else depth[parent] + 1
        waves: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
        for name in self.build_order():
            waves[depth[name]].append(name)
        return waves


def _order(manifest: Manifest) -> list[str]:
    """Sort images parent-first; unknown parents and cycles point at the declaration."""
    known = set(manifest.names())
    graph: dict[str, set[str]] = {manifest.base.name: set()}
    for service in manifest.services.values():
        assert service.parent is not None
        if service.parent not in known:
            msg = f"service {service.name!r} names an unknown parent {service.parent!r}"
            where = Location(manifest.path, service.line_of("parent") or service.where.line)
            raise ManifestError(msg, where=where, hint=f"known images: {', '.join(sorted(known))}")
        graph[service.name] = {service.parent}
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        cycle = exc.args[1]
        first = manifest.get(cycle[0])
        msg = f"images depend on each other in a cycle: {' -> '.join(cycle)}"
        where = Location(manifest.path, first.line_of("parent") or first.where.line)
        hint = "one of them must use the base as parent"
        raise ManifestError(msg, where=where, hint=hint) from None
