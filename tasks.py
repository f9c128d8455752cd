"""Developer entry points (`inv --list`). Each task is one call into dockbuild.commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from dockbuild import commands
from dockbuild.errors import DockbuildError

ROOT_HELP = {"root": "repository to work on (default: found from the current directory)"}


def _call(verb: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Turn our errors into a clean exit: one message on stderr, the right code, no traceback."""
    try:
        return verb(*args, **kwargs)
    except DockbuildError as exc:
        raise Exit(f"error: {exc}", code=exc.exit_code) from None


@task(help=ROOT_HELP)
def check_manifest(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Validate docker/services.yaml (the SSOT) and print its build order."""
    _call(commands.check_manifest, root)


@task(help=ROOT_HELP)
def engine_up(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Make sure a Docker engine answers; as root on Debian, install and start one."""
    _call(commands.engine_up, root)


@task(help=ROOT_HELP)
def lint(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Hadolint plus the alignment policy on every Dockerfile (not implemented yet: issue 3)."""
    _call(commands.not_built_yet, "lint")


@task(help=ROOT_HELP)
def build_base(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Build the root Python image and academy-base (not implemented yet: issue 4)."""
    _call(commands.not_built_yet, "build-base")


@task(help=ROOT_HELP)
def build_services(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Build every service FROM the base, in parallel (not implemented yet: issue 4)."""
    _call(commands.not_built_yet, "build-services")


@task(help=ROOT_HELP)
def build(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """build-base then build-services (not implemented yet: issue 4)."""
    _call(commands.not_built_yet, "build")


@task(help=ROOT_HELP)
def image_test(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Structure and smoke tests of the built images (not implemented yet: issue 5)."""
    _call(commands.not_built_yet, "image-test")


@task(help=ROOT_HELP)
def report(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """Write the alignment report from evidence (not implemented yet: issue 6)."""
    _call(commands.not_built_yet, "report")


@task(help=ROOT_HELP)
def verify(c: Context, root: str | None = None) -> None:  # noqa: ARG001
    """lint, build, image-test and report (not implemented yet: issue 6)."""
    _call(commands.not_built_yet, "verify")
