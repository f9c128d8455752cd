"""Read a container-structure-test file as the real tool does, every error at file:line.

The records mirror the Go structs of container-structure-test's ``pkg/types/v2``
so that files written for that tool run here unchanged. Strict where it is
strict (go-yaml's ``UnmarshalStrict``: an unknown or duplicate key refuses the
file, exit 2), lenient where it is lenient (leniency.py: merge keys, nulls, JSON
key case; schemaVersion 1.0.0; any exitCode, permissions or isExecutableBy
text, which can only fail their test). What the real tool's ``Validate`` finds
(no name, no command, an empty setup command, an empty env var) fails that one
test, as there. Regexes are checked when they run (regex.py: RE2).

Two additions of ours, which the real tool refuses (unknown keys):
``${PYTHON}``, ``${PLATFORM}`` and ``${ARCH}`` expand to the variant under test,
and ``skipUnderEmulation: true`` on a test skips it when the image's platform is
emulated.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dockbuild.errors import ConfigError
from dockbuild.imagetest.cst import expand, leniency, records
from dockbuild.imagetest.cst.records import (
    CommandTest,
    EnvVar,
    FileContentTest,
    FileExistenceTest,
    LicenseTest,
    MetadataTest,
    RunOptions,
    StructureTests,
    Variant,
)
from dockbuild.inputs.yamlnodes import NodeReader, compose

SCHEMA_VERSIONS = ("2.0.0", "1.0.0")
_GO_INT = (-(2**63), 2**63 - 1)


def load(path: Path, *, shown_as: Path | None = None,
         variant: Variant | None = None) -> StructureTests:
    """Parse and validate one file; ``shown_as`` is the name errors use (default ``path``)."""
    shown = shown_as or path
    node = leniency.normalise(compose(path, shown, ConfigError))
    expand.in_strings(node, (variant or Variant()).expand)
    reader = _Reader(NodeReader(shown, ConfigError), shown, json=path.suffix.lower() == ".json")
    return reader.read(node)


class _Reader:
    """Node tree -> records; every complaint names file:line."""

    def __init__(self, reader: NodeReader, shown: Path, *, json: bool = False) -> None:
        self.r = reader
        self.shown = shown
        self.json = json
        self.version = SCHEMA_VERSIONS[0]

    def _mapping(self, node: yaml.Node, what: str, *, required: tuple[str, ...] = (),
                 optional: tuple[str, ...] = ()) -> dict[str, yaml.Node]:
        if self.json:  # Go's encoding/json: keys in any case, unknown keys ignored
            leniency.fold_keys(node, (*required, *optional))
        return self.r.mapping(node, what, required=required, optional=optional)

    def read(self, node: yaml.Node) -> StructureTests:
        top = self._mapping(
            node, "the structure-test file",
            optional=("schemaVersion", "globalEnvVars", "commandTests", "fileExistenceTests",
                      "fileContentTests", "metadataTest", "licenseTests", "containerRunOptions"),
        )
        if "schemaVersion" not in top:
            msg = "schemaVersion is missing"
            raise self.r.fail(node, msg, hint='add schemaVersion: "2.0.0" at the top')
        version = self._text(top["schemaVersion"], "schemaVersion")
        if version not in SCHEMA_VERSIONS:
            msg = f"unknown schemaVersion {version!r}"
            raise self.r.fail(top["schemaVersion"], msg, hint='use "2.0.0"')
        self.version = version
        return StructureTests(
            path=self.shown,
            schema_version=version,
            global_env_vars=self._list(top, "globalEnvVars", self._env_var),
            command_tests=self._list(top, "commandTests", self._command),
            file_existence_tests=self._list(top, "fileExistenceTests", self._existence),
            file_content_tests=self._list(top, "fileContentTests", self._content),
            metadata_test=self.r.optional(top, "metadataTest", self._metadata, None),
            license_tests=self._list(top, "licenseTests", self._license),
            run_options=self.r.optional(top, "containerRunOptions", self._run_options,
                                        RunOptions()),
        )

    # -- scalars ------------------------------------------------------------
    def _text(self, node: yaml.Node, what: str) -> str:
        """Return a scalar as Go's YAML decoder gives a string field: numbers become text."""
        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            return str(node.value)
        return self.r.string(node, what)

    def _texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        return tuple(self._text(item, f"an item of {what}") for item in self.r.sequence(node, what))

    def _optional_texts(self, items: dict[str, yaml.Node], key: str,
                        what: str) -> tuple[str, ...]:
        return self.r.optional(items, key, lambda n: self._texts(n, f"{what}.{key}"), ())

    def _list(self, top: dict[str, yaml.Node], key: str, read: object) -> tuple:
        if key not in top:
            return ()
        return tuple(read(item, f"{key}[{i}]")  # type: ignore[operator]
                     for i, item in enumerate(self.r.sequence(top[key], key)))

    def _name(self, items: dict[str, yaml.Node], invalid: list[records.Problem]) -> str:
        name = self._text(items["name"], "name") if "name" in items else ""
        if not name:
            invalid.append(records.NO_NAME)
        return name

    def _skip(self, items: dict[str, yaml.Node], what: str) -> bool:
        return self.r.optional(items, "skipUnderEmulation",
                               lambda n: self.r.boolean(n, f"{what}.skipUnderEmulation"), False)

    # -- records ------------------------------------------------------------
    def _env_var(self, node: yaml.Node, what: str) -> EnvVar:
        items = self._mapping(node, what, required=("key",), optional=("value", "isRegex"))
        key = self._text(items["key"], f"{what}.key")
        value = self.r.optional(items, "value", lambda n: self._text(n, f"{what}.value"), "")
        is_regex = self.r.optional(items, "isRegex",
                                   lambda n: self.r.boolean(n, f"{what}.isRegex"), False)
        return EnvVar(key, value, is_regex)

    def _command(self, node: yaml.Node, what: str) -> CommandTest:
        items = self._mapping(node, what, optional=(
            "name", "setup", "teardown", "envVars", "command", "args", "expectedOutput",
            "excludedOutput", "expectedError", "excludedError", "exitCode", "skipUnderEmulation"))
        invalid: list[records.Problem] = []
        name = self._name(items, invalid)
        what = f"command test {name!r}"
        command, args = self._argv(items, what)
        if not command:
            invalid.append(records.no_command(name))
        regexes = {key: self._optional_texts(items, key, what) for key in (
            "expectedOutput", "excludedOutput", "expectedError", "excludedError")}
        setup = self.r.optional(items, "setup", lambda n: self._commands(n, f"{what}.setup"), ())
        teardown = self.r.optional(items, "teardown",
                                   lambda n: self._commands(n, f"{what}.teardown"), ())
        env_vars = self._list(items, "envVars", self._env_var)
        if any(not argv for argv in (*setup, *teardown)):
            invalid.append(records.EMPTY_COMMAND)
        if any(not var.key or not var.value for var in env_vars):
            invalid.append(records.EMPTY_ENV)
        return CommandTest(
            name=name,
            command=command,
            args=args,
            setup=setup,
            teardown=teardown,
            env_vars=env_vars,
            expected_output=regexes["expectedOutput"],
            excluded_output=regexes["excludedOutput"],
            expected_error=regexes["expectedError"],
            excluded_error=regexes["excludedError"],
            exit_code=self.r.optional(items, "exitCode", lambda n: self.r.integer(
                n, f"{what}.exitCode", low=_GO_INT[0], high=_GO_INT[1]), 0),
            skip_under_emulation=self._skip(items, what),
            invalid=tuple(invalid),
            where=self.r.where(node),
        )

    def _argv(self, items: dict[str, yaml.Node], what: str) -> tuple[str, tuple[str, ...]]:
        """The command and its args; schemaVersion 1.0.0 writes both as one list."""
        if "command" not in items:
            return "", ()
        node = items["command"]
        if self.version == "1.0.0" and isinstance(node, yaml.SequenceNode):
            words = self._texts(node, f"{what}.command")
            return (words[0], words[1:]) if words else ("", ())
        args = self.r.optional(items, "args", lambda n: self._texts(n, f"{what}.args"), ())
        return self._text(node, f"{what}.command"), args

    def _commands(self, node: yaml.Node, what: str) -> tuple[tuple[str, ...], ...]:
        return tuple(self._texts(item, f"an item of {what}")
                     for item in self.r.sequence(node, what))

    def _existence(self, node: yaml.Node, what: str) -> FileExistenceTest:
        items = self._mapping(node, what, optional=(
            "name", "path", "shouldExist", "permissions", "uid", "gid", "isExecutableBy",
            "skipUnderEmulation"))
        invalid: list[records.Problem] = []
        name = self._name(items, invalid)
        what = f"file existence test {name!r}"
        path = self._path(items, what, invalid)
        # Any text: the real tool compares it with Go's mode string, so "644" can only fail.
        permissions = self.r.optional(items, "permissions",
                                      lambda n: self._text(n, f"{what}.permissions"), None)
        executable_by = self.r.optional(  # an unknown value fails the test when it runs
            items, "isExecutableBy", lambda n: self._text(n, f"{what}.isExecutableBy"), None)
        owner = {key: self.r.optional(items, key, lambda n, k=key: self.r.integer(
            n, f"{what}.{k}", low=-1, high=2**32 - 1), -1) for key in ("uid", "gid")}
        return FileExistenceTest(
            name=name,
            path=path,
            should_exist=self.r.optional(items, "shouldExist",
                                         lambda n: self.r.boolean(n, f"{what}.shouldExist"), True),
            permissions=permissions,
            uid=None if owner["uid"] == -1 else owner["uid"],
            gid=None if owner["gid"] == -1 else owner["gid"],
            is_executable_by=executable_by,
            skip_under_emulation=self._skip(items, what),
            invalid=tuple(invalid),
            where=self.r.where(node),
        )

    def _path(self, items: dict[str, yaml.Node], what: str, invalid: list[records.Problem]) -> str:
        path = self._text(items["path"], f"{what}.path") if "path" in items else ""
        if not path:
            invalid.append(records.no_path(what))
        # container-structure-test resolves a relative path from the filesystem root too
        return path if path.startswith("/") else f"/{path}"

    def _content(self, node: yaml.Node, what: str) -> FileContentTest:
        items = self._mapping(node, what, optional=(
            "name", "path", "expectedContents", "excludedContents", "skipUnderEmulation"))
        invalid: list[records.Problem] = []
        name = self._name(items, invalid)
        what = f"file content test {name!r}"
        return FileContentTest(
            name=name,
            path=self._path(items, what, invalid),
            expected_contents=self._optional_texts(items, "expectedContents", what),
            excluded_contents=self._optional_texts(items, "excludedContents", what),
            skip_under_emulation=self._skip(items, what),
            invalid=tuple(invalid),
            where=self.r.where(node),
        )

    def _license(self, node: yaml.Node, what: str) -> LicenseTest:
        items = self._mapping(node, what, optional=("debian", "files"))
        debian = self.r.optional(items, "debian", lambda n: self.r.boolean(n, f"{what}.debian"),
                                 False)
        return LicenseTest(debian=debian, files=self._optional_texts(items, "files", what),
                           where=self.r.where(node))

    def _metadata(self, node: yaml.Node) -> MetadataTest | None:
        what = "metadataTest"
        items = self._mapping(node, what, optional=(
            "envVars", "unboundEnvVars", "labels", "exposedPorts", "unexposedPorts", "entrypoint",
            "cmd", "workdir", "user", "volumes", "unmountedVolumes"))

        def texts(key: str) -> tuple[str, ...]:
            return self.r.optional(items, key, lambda n: self._texts(n, f"{what}.{key}"), ())

        def argv(key: str) -> tuple[str, ...] | None:
            return self._texts(items[key], f"{what}.{key}") if key in items else None

        if not items:  # the real tool neither runs nor reports an empty metadataTest
            return None
        return MetadataTest(
            env_vars=self._list(items, "envVars", self._env_var),
            unbound_env_vars=self._list(items, "unboundEnvVars", self._env_var),
            labels=self._list(items, "labels", self._env_var),
            exposed_ports=texts("exposedPorts"),
            unexposed_ports=texts("unexposedPorts"),
            entrypoint=argv("entrypoint"),
            cmd=argv("cmd"),
            workdir=self.r.optional(items, "workdir", lambda n: self._text(n, f"{what}.workdir"),
                                    None),
            user=self.r.optional(items, "user", lambda n: self._text(n, f"{what}.user"), None),
            volumes=texts("volumes"),
            unmounted_volumes=texts("unmountedVolumes"),
            where=self.r.where(node),
        )

    def _run_options(self, node: yaml.Node) -> RunOptions:
        what = "containerRunOptions"
        items = self._mapping(node, what, optional=(
            "user", "privileged", "allocateTty", "envVars", "envFile", "capabilities",
            "bindMounts"))

        def flag(key: str) -> bool:
            return self.r.optional(items, key, lambda n: self.r.boolean(n, f"{what}.{key}"), False)

        def texts(key: str) -> tuple[str, ...]:
            return self.r.optional(items, key, lambda n: self._texts(n, f"{what}.{key}"), ())

        return RunOptions(
            user=self.r.optional(items, "user", lambda n: self._text(n, f"{what}.user"), None),
            privileged=flag("privileged"),
            allocate_tty=flag("allocateTty"),
            env_vars=texts("envVars"),
            env_file=self.r.optional(items, "envFile", lambda n: self._text(n, f"{what}.envFile"),
                                     None),
            capabilities=texts("capabilities"),
            bind_mounts=texts("bindMounts"),
        )
