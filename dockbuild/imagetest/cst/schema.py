"""Read a container-structure-test file (schemaVersion 2.0.0) strictly, every error at file:line.

The records mirror the Go structs of container-structure-test's ``pkg/types/v2``
so that files written for that tool run here unchanged. Two additions, both
ignored by the original tool (its YAML decoder drops unknown keys):
``${PYTHON}``, ``${PLATFORM}`` and ``${ARCH}`` expand to the variant under test,
and ``skipUnderEmulation: true`` on a test skips it when the image's platform is
emulated.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dockbuild.errors import ConfigError
from dockbuild.imagetest.cst.records import (
    CommandTest,
    EnvVar,
    FileContentTest,
    FileExistenceTest,
    MetadataTest,
    RunOptions,
    StructureTests,
    Variant,
)
from dockbuild.inputs.yamlnodes import NodeReader, compose

SCHEMA_VERSIONS = ("2.0.0",)
EXECUTABLE_BY = ("owner", "group", "other", "any")


def load(path: Path, *, shown_as: Path | None = None,
         variant: Variant | None = None) -> StructureTests:
    """Parse and validate one file; ``shown_as`` is the name errors use (default ``path``)."""
    shown = shown_as or path
    node = compose(path, shown, ConfigError)
    _expand(node, variant or Variant())
    return _Reader(NodeReader(shown, ConfigError), shown).read(node)


def _expand(node: yaml.Node, variant: Variant) -> None:
    """Expand the variant's variables in every scalar, keeping lines and tags."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            node.value = variant.expand(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _expand(item, variant)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            _expand(value, variant)


class _Reader:
    """Node tree -> records; every complaint names file:line."""

    def __init__(self, reader: NodeReader, shown: Path) -> None:
        self.r = reader
        self.shown = shown

    def read(self, node: yaml.Node) -> StructureTests:
        top = self.r.mapping(
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
        return StructureTests(
            path=self.shown,
            schema_version=version,
            global_env_vars=self._list(top, "globalEnvVars", self._env_var),
            command_tests=self._list(top, "commandTests", self._command),
            file_existence_tests=self._list(top, "fileExistenceTests", self._existence),
            file_content_tests=self._list(top, "fileContentTests", self._content),
            metadata_test=self.r.optional(top, "metadataTest", self._metadata, None),
            license_tests=len(self.r.optional(
                top, "licenseTests", lambda n: self.r.sequence(n, "licenseTests"), [])),
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

    def _regexes(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        values = self._texts(node, what)
        for item, value in zip(node.value, values, strict=True):
            self._check_regex(item, value, what)
        return values

    def _optional_regexes(self, items: dict[str, yaml.Node], key: str,
                          what: str) -> tuple[str, ...]:
        return self.r.optional(items, key, lambda n: self._regexes(n, f"{what}.{key}"), ())

    def _check_regex(self, node: yaml.Node, value: str, what: str) -> None:
        try:
            re.compile(value)
        except re.error as exc:
            msg = f"{what}: {value!r} is not a valid regular expression ({exc})"
            raise self.r.fail(node, msg) from None

    def _list(self, top: dict[str, yaml.Node], key: str, read: object) -> tuple:
        if key not in top or _is_null(top[key]):
            return ()
        return tuple(read(item, f"{key}[{i}]")  # type: ignore[operator]
                     for i, item in enumerate(self.r.sequence(top[key], key)))

    def _name(self, items: dict[str, yaml.Node], node: yaml.Node, what: str) -> str:
        if "name" not in items:
            msg = f"{what} has no name"
            raise self.r.fail(node, msg)
        return self._text(items["name"], f"{what}.name")

    def _skip(self, items: dict[str, yaml.Node], what: str) -> bool:
        return self.r.optional(items, "skipUnderEmulation",
                               lambda n: self.r.boolean(n, f"{what}.skipUnderEmulation"), False)

    # -- records ------------------------------------------------------------
    def _env_var(self, node: yaml.Node, what: str) -> EnvVar:
        items = self.r.mapping(node, what, required=("key",),
                               optional=("value", "isRegex"))
        key = self._text(items["key"], f"{what}.key")
        value = self.r.optional(items, "value", lambda n: self._text(n, f"{what}.value"), "")
        is_regex = self.r.optional(items, "isRegex",
                                   lambda n: self.r.boolean(n, f"{what}.isRegex"), False)
        if is_regex:
            self._check_regex(items.get("value", node), value, what)
        return EnvVar(key, value, is_regex)

    def _command(self, node: yaml.Node, what: str) -> CommandTest:
        items = self.r.mapping(node, what, optional=(
            "name", "setup", "teardown", "envVars", "command", "args", "expectedOutput",
            "excludedOutput", "expectedError", "excludedError", "exitCode", "skipUnderEmulation"))
        name = self._name(items, node, what)
        what = f"command test {name!r}"
        if "command" not in items:
            msg = f"{what} has no command"
            raise self.r.fail(node, msg)
        regexes = {
            key: self.r.optional(items, key, lambda n, k=key: self._regexes(n, f"{what}.{k}"), ())
            for key in ("expectedOutput", "excludedOutput", "expectedError", "excludedError")
        }
        return CommandTest(
            name=name,
            command=self._text(items["command"], f"{what}.command"),
            args=self.r.optional(items, "args", lambda n: self._texts(n, f"{what}.args"), ()),
            setup=self.r.optional(items, "setup", lambda n: self._commands(n, f"{what}.setup"), ()),
            teardown=self.r.optional(items, "teardown",
                                     lambda n: self._commands(n, f"{what}.teardown"), ()),
            env_vars=self._list(items, "envVars", self._env_var),
            expected_output=regexes["expectedOutput"],
            excluded_output=regexes["excludedOutput"],
            expected_error=regexes["expectedError"],
            excluded_error=regexes["excludedError"],
            exit_code=self.r.optional(items, "exitCode",
                                      lambda n: self.r.integer(n, f"{what}.exitCode", low=-1,
                                                               high=255), 0),
            skip_under_emulation=self._skip(items, what),
            where=self.r.where(node),
        )

    def _commands(self, node: yaml.Node, what: str) -> tuple[tuple[str, ...], ...]:
        commands = []
        for item in self.r.sequence(node, what):
            argv = self._texts(item, f"an item of {what}")
            if not argv:
                msg = f"{what} holds an empty command"
                raise self.r.fail(item, msg)
            commands.append(argv)
        return tuple(commands)

    def _existence(self, node: yaml.Node, what: str) -> FileExistenceTest:
        items = self.r.mapping(node, what, optional=(
            "name", "path", "shouldExist", "permissions", "uid", "gid", "isExecutableBy",
            "skipUnderEmulation"))
        name = self._name(items, node, what)
        what = f"file existence test {name!r}"
        path = self._path(items, node, what)
        permissions = self.r.optional(items, "permissions",
                                      lambda n: self._text(n, f"{what}.permissions"), None)
        if permissions is not None and not re.fullmatch(r"[-dalTLDpSugct?]+[-rwx]{9}", permissions):
            msg = f"{what}.permissions {permissions!r} is not a Go file mode string"
            hint = 'write it as Go prints it: "-rwxr-xr-x", "drwxr-xr-x", "urwxr-xr-x"'
            raise self.r.fail(items["permissions"], msg, hint=hint)
        executable_by = self.r.optional(
            items, "isExecutableBy", lambda n: self._text(n, f"{what}.isExecutableBy"), None)
        if executable_by is not None and executable_by not in EXECUTABLE_BY:
            msg = f"{what}.isExecutableBy must be one of {', '.join(EXECUTABLE_BY)}"
            raise self.r.fail(items["isExecutableBy"], msg)
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
            where=self.r.where(node),
        )

    def _path(self, items: dict[str, yaml.Node], node: yaml.Node, what: str) -> str:
        if "path" not in items:
            msg = f"{what} has no path"
            raise self.r.fail(node, msg)
        path = self._text(items["path"], f"{what}.path")
        # container-structure-test resolves a relative path from the filesystem root too
        return path if path.startswith("/") else f"/{path}"

    def _content(self, node: yaml.Node, what: str) -> FileContentTest:
        items = self.r.mapping(node, what, optional=(
            "name", "path", "expectedContents", "excludedContents", "skipUnderEmulation"))
        name = self._name(items, node, what)
        what = f"file content test {name!r}"
        return FileContentTest(
            name=name,
            path=self._path(items, node, what),
            expected_contents=self._optional_regexes(items, "expectedContents", what),
            excluded_contents=self._optional_regexes(items, "excludedContents", what),
            skip_under_emulation=self._skip(items, what),
            where=self.r.where(node),
        )

    def _metadata(self, node: yaml.Node) -> MetadataTest:
        what = "metadataTest"
        items = self.r.mapping(node, what, optional=(
            "envVars", "unboundEnvVars", "labels", "exposedPorts", "unexposedPorts", "entrypoint",
            "cmd", "workdir", "user", "volumes", "unmountedVolumes"))

        def texts(key: str) -> tuple[str, ...]:
            return self.r.optional(items, key, lambda n: self._texts(n, f"{what}.{key}"), ())

        def argv(key: str) -> tuple[str, ...] | None:
            if key not in items or _is_null(items[key]):
                return None
            return self._texts(items[key], f"{what}.{key}")

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
        items = self.r.mapping(node, what, optional=(
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


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
