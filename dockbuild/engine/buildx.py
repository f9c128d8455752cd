"""What the docker CLI's buildx plugin and its builder can do, asked once per process.

Builds go through ``docker buildx`` (BuildKit); the docker SDK only drives the
legacy builder, so it stays for inspecting, running and testing images.
The builder is ``DOCKBUILD_BUILDER`` when set (a ``docker buildx create``
builder, for example on a docker context pointing at another engine), else
buildx's current one: the engine that DOCKER_HOST or the docker context names.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re

from dockbuild import proc
from dockbuild.errors import CommandFailed, EnvironmentProblem

BUILDER_ENV = "DOCKBUILD_BUILDER"


def builder_name() -> str | None:
    """Return the buildx builder named by DOCKBUILD_BUILDER, or None for buildx's current one."""
    return os.environ.get(BUILDER_ENV) or None


def builder_args() -> list[str]:
    """Return ``--builder NAME`` when a builder is named, else nothing."""
    name = builder_name()
    return ["--builder", name] if name else []


def version() -> str | None:
    """Return buildx's version (``0.13.1``), or None when the plugin is missing."""
    if proc.which("docker") is None:
        return None
    try:
        result = proc.run(["docker", "buildx", "version"], timeout=30, check=False)
    except EnvironmentProblem:
        return None
    match = re.search(r"\bv?(\d+\.\d+\.\d+)", result.stdout)
    return match.group(1) if result.returncode == 0 and match else None


@dataclasses.dataclass(frozen=True, slots=True)
class BuilderInfo:
    """One buildx builder as ``docker buildx inspect`` describes it."""

    name: str
    driver: str
    endpoint: str
    buildkit: str  # BuildKit's version, e.g. ``0.13.2``; "" when unknown
    platforms: tuple[str, ...]


def parse_inspect(text: str) -> BuilderInfo:
    """Read ``docker buildx inspect`` output (its format is stable across 0.10-0.20)."""
    def field(name: str) -> str:
        match = re.search(rf"^\s*{name}:\s*(.*?)\s*$", text, re.M)
        return match.group(1) if match else ""

    buildkit = re.sub(r"^v", "", field("BuildKit version") or field("Buildkit"))
    platforms = tuple(p.strip().rstrip("*") for p in field("Platforms").split(",") if p.strip())
    return BuilderInfo(field("Name"), field("Driver"), field("Endpoint"),
                       buildkit.split("+", 1)[0].split("-", 1)[0], platforms)


def inspect() -> BuilderInfo:
    """Return the builder every build goes to (bootstrapped, so BuildKit's version is known).

    Asked once per builder and engine: DOCKBUILD_BUILDER and DOCKER_HOST pick them.

    Raises:
        EnvironmentProblem: buildx is missing or the builder does not answer.
    """
    return _inspect(builder_name(), os.environ.get("DOCKER_HOST", ""))


@functools.cache
def _inspect(name: str | None, docker_host: str) -> BuilderInfo:
    del docker_host  # part of the cache key only: buildx reads it from the environment
    try:
        result = proc.run(["docker", "buildx", "inspect", "--bootstrap",
                           *(["--builder", name] if name else [])], timeout=120)
    except CommandFailed as exc:
        last = (exc.message.strip().splitlines() or ["buildx failed"])[-1]
        msg = f"the buildx builder does not answer: {last}"
        raise EnvironmentProblem(
            msg, hint="run `inv engine-up` (or `docker buildx ls` to see the builders;"
            f" {BUILDER_ENV} names one)") from None
    return parse_inspect(result.stdout)


@dataclasses.dataclass(frozen=True, slots=True)
class BuildKit:
    """The BuildKit that runs the builds, and how its version was learnt."""

    version: tuple[int, int]
    source: str  # "builder" (buildx inspect) or "dockerd <version>" (its built-in BuildKit)

    @property
    def text(self) -> str:
        """Return e.g. ``BuildKit 0.13 (built into dockerd 26.1.5)``."""
        where = "the builder" if self.source == "builder" else f"built into {self.source}"
        return f"BuildKit {self.version[0]}.{self.version[1]} ({where})"


def buildkit(engine_version: str) -> BuildKit | None:
    """Return the builder's BuildKit; a docker-driver builder's is the engine's built-in one.

    Debian's dockerd reports ``v0.0.0+unknown`` for its BuildKit, so the engine's
    release decides then (see :data:`dockbuild.inputs.features.ENGINE_BUILDKIT`).
    """
    from dockbuild.engine.install import version_tuple
    from dockbuild.inputs import features

    info = inspect()
    reported = version_tuple(info.buildkit)
    if reported > (0, 0):
        return BuildKit(reported, "builder")
    found = features.engine_buildkit(version_tuple(engine_version))
    return BuildKit(found, f"dockerd {engine_version}") if found else None


def imagetools_create(target: str, sources: list[str]) -> None:
    """Join ``sources`` (each an index or manifest in a registry) into one index at ``target``.

    buildx keeps each source's platforms and its provenance attestations.

    Raises:
        ChecksFailed: buildx or the registry refused; the message is buildx's last line.
    """
    from dockbuild.errors import ChecksFailed

    try:
        proc.run(["docker", "buildx", "imagetools", "create", *builder_args(), "--progress=plain",
                  "-t", target, *sources], timeout=600)
    except CommandFailed as exc:
        last = (exc.message.strip().splitlines() or ["imagetools create failed"])[-1]
        msg = f"could not create the index {target}: {last}"
        raise ChecksFailed(msg) from None


def require_same_engine() -> None:
    """Refuse a named docker-driver builder whose engine is not the one images are tagged on.

    A docker-driver builder leaves its images in its own engine; tagging,
    skips and tests ask the engine DOCKER_HOST names. (Other drivers ``--load``
    into that engine, so they may be anywhere.)

    Raises:
        EnvironmentProblem: the two engines differ; the hint says which DOCKER_HOST to set.
    """
    name = builder_name()
    info = inspect()
    if name is None or info.driver != "docker":
        return
    result = proc.run(["docker", "context", "inspect", info.endpoint, "--format",
                       "{{.Endpoints.docker.Host}}"], timeout=30, check=False)
    builder_host = result.stdout.strip()
    here = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    if result.returncode == 0 and builder_host and builder_host != here:
        msg = (f"builder {name} (docker driver) builds into the engine at {builder_host},"
               f" but images are tagged and tested on {here}")
        raise EnvironmentProblem(msg, hint=f"set DOCKER_HOST={builder_host} too, or use a"
                                 " docker-container/remote builder (it --loads the images here)")
