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
        msg = f"error: {exc}"
        raise Exit(msg, code=exc.exit_code) from None


@task(help=ROOT_HELP)
def check_manifest(c: Context, root: str | None = None) -> None:
    """Validate docker/services.yaml (the SSOT) and print its build order."""
    _call(commands.check_manifest, root)


@task(help=ROOT_HELP)
def engine_up(c: Context, root: str | None = None) -> None:
    """Make sure a Docker engine answers; as root on Debian, install and start one."""
    _call(commands.engine_up, root)


@task(help={
    **ROOT_HELP,
    "format": "text (default), json, sarif or junit",
    "output": "write the report to this file instead of stdout",
    "no_cache": "lint everything again, ignoring and not writing .cache/lint",
})
def lint(c: Context, root: str | None = None, format: str = "text",
         output: str | None = None, no_cache: bool = False) -> None:
    """Hadolint plus the alignment policy on every Dockerfile the manifest names."""
    _call(commands.lint, root, fmt=format, output=output, no_cache=no_cache)


@task(help={**ROOT_HELP, "check": "fail when docs/rules.md is out of date instead of writing it"})
def docs(c: Context, root: str | None = None, check: bool = False) -> None:
    """Write docs/rules.md from the lint rules' docstrings."""
    _call(commands.docs, root, check=check)


BUILD_HELP = {
    **ROOT_HELP,
    "platform": "linux/amd64 or linux/arm64 (arm64 builds under QEMU; default: the manifest's)",
    "python": "Python version of the images, e.g. 3.13 (default: the manifest's)",
    "service": "only this service (repeatable; default: all)",
    "no_cache": "rebuild even images whose inputs did not change, without the engine's cache",
    "rebuild_root": "rebuild the root Python image made from Debian packages",
}


@task(help=ROOT_HELP)
def doctor(c: Context, root: str | None = None) -> None:
    """Say what a build needs that is missing (engine, QEMU, disk, tools), and the fix."""
    _call(commands.doctor, root)


@task(help={k: v for k, v in BUILD_HELP.items() if k != "service"})
def build_base(c: Context, root: str | None = None, platform: str | None = None,
               python: str | None = None, no_cache: bool = False,
               rebuild_root: bool = False) -> None:
    """Resolve the root Python image (pull, or build it from Debian packages) and build the base."""
    _call(commands.build_base, root, python=python, platform=platform, no_cache=no_cache,
          rebuild_root=rebuild_root)


@task(iterable=["service"], help={k: v for k, v in BUILD_HELP.items() if k != "rebuild_root"})
def build_services(c: Context, root: str | None = None,
                   platform: str | None = None, python: str | None = None,
                   service: list[str] | None = None, no_cache: bool = False) -> None:
    """Build the services FROM the base, in parallel, skipping those whose inputs did not change."""
    _call(commands.build_services, root, python=python, platform=platform,
          services=service or (), no_cache=no_cache)


@task(iterable=["service"], help={
    **BUILD_HELP,
    "cache_from": "registry HOST:PORT whose pushed images seed this engine: same inputs are"
                  " reused as they are, changed ones reuse their unchanged layers",
})
def build(c: Context, root: str | None = None, platform: str | None = None,
          python: str | None = None, service: list[str] | None = None, no_cache: bool = False,
          rebuild_root: bool = False, cache_from: str | None = None) -> None:
    """build-base then build-services: every image of one variant, unchanged ones skipped."""
    _call(commands.build, root, python=python, platform=platform, services=service or (),
          no_cache=no_cache, rebuild_root=rebuild_root, cache_from=cache_from)


@task(iterable=["service"], help={
    **ROOT_HELP,
    "registry": "HOST:PORT of the registry (plain HTTP on 127.0.0.1, HTTPS elsewhere)",
    "python": "Python variant to push, e.g. 3.13 (default: the manifest's)",
    "platform": "only this platform (default: every platform of the manifest)",
    "service": "only this service and its parents (repeatable; default: all)",
})
def push(c: Context, registry: str, root: str | None = None,
         python: str | None = None, platform: str | None = None,
         service: list[str] | None = None) -> None:
    """Push the variant tags and a multi-platform manifest list per image to a registry."""
    _call(commands.push, root, registry=registry, python=python, platform=platform,
          services=service or ())


@task(iterable=["service"], help={
    **ROOT_HELP,
    "config": "one container-structure-test file to run (with --image)",
    "image": "the image --config runs against, e.g. academy-api:py3.11-amd64",
    "format": "text (default), json or junit",
    "output": "write the results to this file; stdout gets the failures only",
    "service": "only this image (repeatable; default: base and every service)",
    "python": "Python variant, e.g. 3.13 (default: the manifest's)",
    "platform": "linux/amd64 or linux/arm64 (default: the manifest's)",
    "no_smoke": "skip the smoke tests (they never run under emulation)",
})
def image_test(c: Context, root: str | None = None, config: str | None = None,
               image: str | None = None, format: str = "text", output: str | None = None,
               service: list[str] | None = None, python: str | None = None,
               platform: str | None = None, no_smoke: bool = False) -> None:
    """Structure, manifest and smoke tests of built images; passing ones move :latest."""
    _call(commands.image_test, root, config=config, image=image, fmt=format, output=output,
          services=service or (), python=python, platform=platform, smoke=not no_smoke)


REPORT_HELP = {
    **ROOT_HELP,
    "lang": "ko, en or all (default: the manifest's lang)",
    "baseline": "git ref that section 5 compares CMD, ports and constants against"
                " (default: the merge base with main)",
    "python": "only this Python variant in the image matrix (default: all)",
    "platform": "only this platform variant in the image matrix (default: all)",
}


@task(help={**REPORT_HELP, "output": "folder for the report files (default: reports)"})
def report(c: Context, root: str | None = None, lang: str | None = None,
           baseline: str | None = None, output: str = "reports", python: str | None = None,
           platform: str | None = None) -> None:
    """Write the alignment report (ko/en Markdown, JSON, JUnit, SARIF) from evidence."""
    _call(commands.report, root, lang=lang, baseline=baseline, output=output, python=python,
          platform=platform)


@task(iterable=["service"], help={**REPORT_HELP, "service": "only this service (repeatable)"})
def verify(c: Context, root: str | None = None, python: str | None = None,
           platform: str | None = None, service: list[str] | None = None,
           baseline: str | None = None, lang: str | None = None) -> None:
    """lint, build, image-test, report; exit 0 only when everything holds."""
    _call(commands.verify, root, python=python, platform=platform, services=service or (),
          baseline=baseline, lang=lang)
