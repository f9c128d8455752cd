"""Defaults a user sets once in the environment, each checked: exit 2 naming the variable.

``DOCKBUILD_PYTHON`` and ``DOCKBUILD_PLATFORM`` pick the variant when
``--python``/``--platform`` are not given (before the manifest's
``variants.default``); ``DOCKBUILD_JOBS`` is ``--jobs``'s default (parallel
service builds; the machine's cores otherwise).
"""

from __future__ import annotations

import os

from dockbuild.errors import InputError

PYTHON_ENV = "DOCKBUILD_PYTHON"
PLATFORM_ENV = "DOCKBUILD_PLATFORM"
JOBS_ENV = "DOCKBUILD_JOBS"


def from_env(name: str) -> str | None:
    """Return the variable's value, None when unset or empty."""
    return os.environ.get(name, "").strip() or None


def jobs(given: str | int | None) -> int | None:
    """Return ``--jobs`` (else DOCKBUILD_JOBS) as a whole number >= 1, None when neither is set."""
    source, value = ("--jobs", given) if given not in (None, "") else (JOBS_ENV, from_env(JOBS_ENV))
    if value is None:
        return None
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if number < 1:
        msg = f"{source}={value!r} is not a number of parallel builds"
        raise InputError(msg, hint="use a whole number of 1 or more, e.g. 2")
    return number
