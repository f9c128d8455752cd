"""Every error a user can see, and the place it points at. Anything else escaping is a bug."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

#: Set by ./dev: how the user reaches the tasks, so hints name the command they type.
VIA_ENV = "DOCKBUILD_VIA"


def typed(text: str) -> str:
    """Return ``text`` with its `inv ...` commands as the user types them (`./dev inv ...`)."""
    via = os.environ.get(VIA_ENV, "").strip()
    return text.replace("`inv ", f"`{via} inv ") if via else text


@dataclasses.dataclass(frozen=True, slots=True)
class Location:
    """A place in a file the user can open: ``docker/api/Dockerfile:12``."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class DockbuildError(Exception):
    """Base class. ``str(error)`` is the whole message shown to the user.

    Exit codes are three: 0 all good, 1 checks failed, 2 unusable input or
    environment. Each subclass says which of the last two it is.
    """

    exit_code = 1

    def __init__(self, message: str, *, where: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return typed(f"{text} (hint: {self.hint})" if self.hint else text)


class InputError(DockbuildError):
    """An input file cannot be used as it is: the user must edit it."""

    exit_code = 2


class ManifestError(InputError):
    """docker/services.yaml is invalid."""


class DockerfileSyntaxError(InputError):
    """A Dockerfile cannot be parsed."""


class ConfigError(InputError):
    """A configuration file other than the manifest is invalid."""


class EnvironmentProblem(DockbuildError):
    """Something outside the repository is missing: an engine, a tool, disk space."""

    exit_code = 2


class EngineUnavailable(EnvironmentProblem):
    """No Docker engine answers, and none could be started."""


class ChecksFailed(DockbuildError):
    """Checks ran and some failed: lint errors, failed builds or image tests."""

    exit_code = 1


class BuildFailed(ChecksFailed):
    """One image did not build; ``tail`` holds the last lines of the engine's log."""

    def __init__(self, message: str, tail: list[str]) -> None:
        super().__init__(message)
        self.tail = tail


class CommandFailed(DockbuildError):
    """An external program exited non-zero; carries the tail of its output."""

    exit_code = 1

    def __init__(self, argv: list[str], returncode: int, output: str) -> None:
        tail = "\n".join(output.strip().splitlines()[-15:])
        message = f"`{' '.join(argv)}` exited with {returncode}"
        super().__init__(f"{message}\n{tail}" if tail else message)
        self.argv = argv
        self.returncode = returncode
        self.output = output


def outside_venv(exc: ModuleNotFoundError) -> EnvironmentProblem | None:
    """Return the one-line error for a library the project's venv has and this Python lacks.

    None when the missing module is the package's own (a bug, shown as one).
    """
    top = (exc.name or "").split(".")[0]
    if not top or top == "dockbuild":
        return None
    msg = f"this Python ({sys.executable}) lacks {top!r}, which dockbuild needs"
    return EnvironmentProblem(msg, hint="run it through ./dev (`./dev inv --list`), which makes"
                                        " and uses the project's .venv")
