"""CI entry points (`nox -l`). Each session: a clean venv, then one call into the tasks."""

from __future__ import annotations

import sys

import nox

from dockbuild.errors import DockbuildError
from dockbuild.inputs.variants import image_cells

nox.needs_version = ">=2025.2.9"
nox.options.sessions = ["tests", "lint"]
nox.options.default_venv_backend = "venv"
DEV_REQUIREMENTS = "requirements/dev.txt"

try:
    CELLS = image_cells()
except DockbuildError as exc:  # a bad manifest is one line, not a traceback
    print(f"error: {exc}", file=sys.stderr)
    raise SystemExit(2) from None


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite. Tests needing an outside tool skip without it and fail in CI instead."""
    session.install("-r", DEV_REQUIREMENTS)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """`inv lint` inside a clean venv."""
    session.install("-r", DEV_REQUIREMENTS)
    session.run("inv", "lint", *session.posargs)


@nox.session(default=False)
@nox.parametrize(
    ("python_version", "platform"),
    CELLS,
    ids=[f"python='{python}', platform='{platform}'" for python, platform in CELLS],
)
def images(session: nox.Session, python_version: str, platform: str) -> None:
    """The verify pipeline for one python x platform cell (needs a Docker engine)."""
    session.install("-r", DEV_REQUIREMENTS)
    session.run("inv", "verify", "--python", python_version, "--platform", platform,
                *session.posargs)
