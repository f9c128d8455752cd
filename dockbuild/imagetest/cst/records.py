"""The records of a container-structure-test file, mirroring the tool's Go structs (v2)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from dockbuild.errors import Location

_VARIABLE = re.compile(r"\$\{(PYTHON|PLATFORM|ARCH)\}")

#: What the real tool's validation says, as (English, Korean): the test fails with it.
Problem = tuple[str, str]
NO_NAME: Problem = ("Please provide a valid name for every test", "모든 테스트에 `name` 필요")
EMPTY_COMMAND: Problem = ("remove all empty setup and teardown commands",
                          "빈 `setup`/`teardown` 명령은 지울 것")
EMPTY_ENV: Problem = ("Please provide non-empty keys and values for all specified env vars",
                      "`envVars`의 키와 값은 비어 있으면 안 됨")


def no_command(name: str) -> Problem:
    """The real tool's words for a command test without a command."""
    return (f"Please provide a valid command to run for test {name}",
            f"테스트 `{name}`: 실행할 `command` 없음")


def no_path(what: str) -> Problem:
    """The real tool's words for a file test without a path."""
    return f"Please provide a valid file path for test {what}", f"`{what}`: 파일 `path` 없음"


@dataclasses.dataclass(frozen=True, slots=True)
class Variant:
    """The cell a file is read for: its ``${PYTHON}`` and ``${PLATFORM}``."""

    python: str = "3.11"
    platform: str = "linux/amd64"

    def expand(self, text: str) -> str:
        """Replace ``${PYTHON}``, ``${PLATFORM}`` and ``${ARCH}`` in ``text``."""
        values = {"PYTHON": self.python, "PLATFORM": self.platform,
                  "ARCH": self.platform.rsplit("/", 1)[-1]}
        return _VARIABLE.sub(lambda m: values[m.group(1)], text)


@dataclasses.dataclass(frozen=True, slots=True)
class EnvVar:
    """``key``/``value`` (and for metadata ``isRegex``): an environment variable or a label."""

    key: str
    value: str
    is_regex: bool = False


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CommandTest:
    """Run ``command args`` in a container (entrypoint replaced) and match its output."""

    name: str
    command: str
    args: tuple[str, ...] = ()
    setup: tuple[tuple[str, ...], ...] = ()
    teardown: tuple[tuple[str, ...], ...] = ()
    env_vars: tuple[EnvVar, ...] = ()
    expected_output: tuple[str, ...] = ()
    excluded_output: tuple[str, ...] = ()
    expected_error: tuple[str, ...] = ()
    excluded_error: tuple[str, ...] = ()
    exit_code: int = 0
    skip_under_emulation: bool = False
    #: What the real tool's validation finds (no name, no command, an empty setup
    #: command, an env var without a value): the test fails with these, unrun.
    invalid: tuple[Problem, ...] = ()
    where: Location


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class FileExistenceTest:
    """A path exists (or not), with a mode string, owner and executability."""

    name: str
    path: str
    should_exist: bool = True
    permissions: str | None = None
    uid: int | None = None
    gid: int | None = None
    is_executable_by: str | None = None
    skip_under_emulation: bool = False
    invalid: tuple[Problem, ...] = ()
    where: Location


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class FileContentTest:
    """A file's contents match (and do not match) regular expressions."""

    name: str
    path: str
    expected_contents: tuple[str, ...] = ()
    excluded_contents: tuple[str, ...] = ()
    skip_under_emulation: bool = False
    invalid: tuple[Problem, ...] = ()
    where: Location


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MetadataTest:
    """The image config: env, labels, ports, entrypoint, cmd, workdir, user, volumes."""

    env_vars: tuple[EnvVar, ...] = ()
    unbound_env_vars: tuple[EnvVar, ...] = ()
    labels: tuple[EnvVar, ...] = ()
    exposed_ports: tuple[str, ...] = ()
    unexposed_ports: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    workdir: str | None = None
    user: str | None = None
    volumes: tuple[str, ...] = ()
    unmounted_volumes: tuple[str, ...] = ()
    where: Location


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LicenseTest:
    """One ``licenseTests`` entry: Debian copyright files and/or listed files."""

    debian: bool = False
    files: tuple[str, ...] = ()
    name: str = "License Test"
    where: Location


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    """``containerRunOptions``: how the command-test containers start."""

    user: str | None = None
    privileged: bool = False
    allocate_tty: bool = False
    env_vars: tuple[str, ...] = ()
    env_file: str | None = None
    capabilities: tuple[str, ...] = ()
    bind_mounts: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class StructureTests:
    """One whole file."""

    path: Path
    schema_version: str
    global_env_vars: tuple[EnvVar, ...] = ()
    command_tests: tuple[CommandTest, ...] = ()
    file_existence_tests: tuple[FileExistenceTest, ...] = ()
    file_content_tests: tuple[FileContentTest, ...] = ()
    metadata_test: MetadataTest | None = None
    license_tests: tuple[LicenseTest, ...] = ()
    run_options: RunOptions = RunOptions()
