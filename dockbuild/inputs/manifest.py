"""docker/services.yaml, the single source of truth, read strictly into frozen typed records.

Nothing else in the repository names a port, a command, a user or a platform:
the Dockerfiles and the built images are checked against what is read here.
The records themselves live in inputs/manifest_records.py; import them from here.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dockbuild.errors import ManifestError
from dockbuild.inputs.manifest_file import MANIFEST, find_root
from dockbuild.inputs.manifest_records import (
    Base,
    Command,
    Image,
    Manifest,
    Smoke,
    User,
    Variants,
)
from dockbuild.inputs.yamlnodes import NodeReader, compose

__all__ = ["MANIFEST", "Base", "Command", "Image", "Manifest", "Smoke", "User", "Variants",
           "find_root", "load"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PLATFORM = re.compile(r"^linux/(amd64|arm64)$")
_PYTHON = re.compile(r"^3\.\d{1,2}$")
_JOB_KINDS = ("video", "messaging", "ai")
_LANGS = ("ko", "en")


def load(root: Path) -> Manifest:
    """Read and validate ``root/docker/services.yaml``."""
    path = root / MANIFEST
    node = compose(path, MANIFEST, ManifestError)
    return _ManifestReader(root, NodeReader(MANIFEST, ManifestError)).read(node)


class _ManifestReader:
    """Validate the node tree strictly and build the records."""

    def __init__(self, root: Path, reader: NodeReader) -> None:
        self.root = root
        self.r = reader

    def read(self, node: yaml.Node) -> Manifest:
        top = self.r.mapping(
            node,
            "the manifest",
            required=("project", "base", "services", "variants"),
            optional=("lang",),
        )
        project = self._name(top["project"], "project")
        lang = self.r.optional(top, "lang", lambda n: self._choice(n, "lang", _LANGS), "ko")
        variants = self._variants(top["variants"])
        base = self._base(top["base"], project)
        services = self._services(top["services"], project, base)
        manifest = Manifest(
            root=self.root,
            path=MANIFEST,
            project=project,
            lang=lang,
            base=base,
            services=services,
            variants=variants,
        )
        manifest.build_order()  # cycles and unknown parents are manifest errors
        return manifest

    def _name(self, node: yaml.Node, what: str) -> str:
        value = self.r.string(node, what)
        if not _NAME.match(value):
            msg = f"{what} {value!r} must be lower-case letters, digits and dashes"
            raise self.r.fail(node, msg)
        return value

    def _choice(self, node: yaml.Node, what: str, choices: tuple[str, ...]) -> str:
        value = self.r.string(node, what)
        if value not in choices:
            msg = f"{what} must be one of {', '.join(choices)}, not {value!r}"
            raise self.r.fail(node, msg)
        return value

    def _variants(self, node: yaml.Node) -> Variants:
        items = self.r.mapping(node, "variants", required=("python", "platforms"),
                               optional=("default",))
        python = self.r.strings(items["python"], "variants.python")
        for item, value in zip(items["python"].value, python, strict=True):
            if not _PYTHON.match(value):
                msg = f"Python version {value!r} must look like \"3.11\""
                raise self.r.fail(item, msg)
        platforms = self.r.strings(items["platforms"], "variants.platforms")
        for item, value in zip(items["platforms"].value, platforms, strict=True):
            if not _PLATFORM.match(value):
                msg = f"platform {value!r} is not supported"
                raise self.r.fail(item, msg, hint="use linux/amd64 or linux/arm64")
        if not python or not platforms:
            msg = "variants needs at least one python version and one platform"
            raise self.r.fail(node, msg)
        default_python, default_platform = python[0], platforms[0]
        if "default" in items:
            default = self.r.mapping(items["default"], "variants.default",
                                     optional=("python", "platform"))
            if "python" in default:
                default_python = self._choice(default["python"], "variants.default.python", python)
            if "platform" in default:
                default_platform = self._choice(
                    default["platform"], "variants.default.platform", platforms
                )
        return Variants(python=python, platforms=platforms, default_python=default_python,
                        default_platform=default_platform,
                        lines={key: value.start_mark.line + 1 for key, value in items.items()})

    _COMMON = ("dockerfile", "context", "cmd", "ports", "apt", "copies", "requirements",
               "size_budget_mb", "smoke", "secrets", "forbidden_packages")

    def _image_fields(self, name: str, items: dict[str, yaml.Node], what: str) -> dict[str, object]:
        dockerfile = self._file(items["dockerfile"], f"{what}.dockerfile")
        context = self.r.optional(items, "context", lambda n: self._dir(n, f"{what}.context"),
                                  Path())
        requirements = self.r.optional(
            items, "requirements", lambda n: self._file(n, f"{what}.requirements"), None
        )
        ports = self.r.optional(items, "ports", lambda n: self._ports(n, f"{what}.ports"), ())
        copies = self.r.optional(items, "copies", lambda n: self.r.strings(n, f"{what}.copies"), ())
        for item, source in zip(items.get("copies", yaml.SequenceNode("", [])).value, copies,
                                strict=True):
            if not (self.root / context / source).exists():
                msg = f"{what}.copies names {source!r}, which does not exist in the build context"
                raise self.r.fail(item, msg)
        return {
            "name": name,
            "dockerfile": dockerfile,
            "context": context,
            "cmd": self._cmd(items["cmd"], f"{what}.cmd"),
            "ports": ports,
            "apt": self.r.optional(items, "apt", lambda n: self.r.strings(n, f"{what}.apt"), ()),
            "copies": copies,
            "requirements": requirements,
            "size_budget_mb": self.r.optional(
                items, "size_budget_mb",
                lambda n: self.r.integer(n, f"{what}.size_budget_mb", low=1, high=100_000), None,
            ),
            "smoke": self.r.optional(items, "smoke", lambda n: self._smoke(n, what, ports), None),
            "secrets": self.r.optional(items, "secrets",
                                       lambda n: self._secrets(n, f"{what}.secrets"), ()),
            "forbidden_packages": self.r.optional(
                items, "forbidden_packages",
                lambda n: self.r.strings(n, f"{what}.forbidden_packages"), ()),
            "lines": {key: node.start_mark.line + 1 for key, node in items.items()},
        }

    def _secrets(self, node: yaml.Node, what: str) -> tuple[tuple[str, str], ...]:
        """Read ``{id: ENV_VAR}``: each build secret and the variable that holds its value."""
        items = self.r.mapping(node, what, any_keys=True)
        result = []
        for ident, value in items.items():
            env = self.r.string(value, f"{what}.{ident}")
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", ident):
                raise self.r.fail(value, f"{what}: {ident!r} is not a secret id ([A-Za-z0-9_.-])")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
                msg = f"{what}.{ident} must name an environment variable, not {env!r}"
                raise self.r.fail(value, msg, hint="the value is read from that variable at"
                                  " build time and never written anywhere")
            result.append((ident, env))
        return tuple(result)

    def _base(self, node: yaml.Node, project: str) -> Base:
        items = self.r.mapping(
            node, "base",
            required=("name", "dockerfile", "user", "workdir", "cmd"),
            optional=(*self._COMMON, "root_image"),
        )
        name = self._name(items["name"], "base.name")
        fields = self._image_fields(name, items, "base")
        workdir = self.r.string(items["workdir"], "base.workdir")
        if not workdir.startswith("/"):
            msg = f"base.workdir must be an absolute path, not {workdir!r}"
            raise self.r.fail(items["workdir"], msg)
        root_image = self.r.optional(
            items, "root_image", lambda n: self.r.string(n, "base.root_image"),
            "python:${PYTHON}-slim")
        return Base(
            **fields,  # type: ignore[arg-type]
            image=name,
            parent=None,
            user=self._user(items["user"]),
            workdir=workdir,
            root_image=root_image,
            where=self.r.where(node),
        )

    def _user(self, node: yaml.Node) -> User:
        items = self.r.mapping(node, "base.user", required=("name", "uid", "gid"))
        name = self.r.string(items["name"], "base.user.name")
        uid = self.r.integer(items["uid"], "base.user.uid", low=0, high=2**31 - 1)
        gid = self.r.integer(items["gid"], "base.user.gid", low=0, high=2**31 - 1)
        if uid == 0:
            msg = "base.user.uid is 0 (root); images must run as a non-root user"
            raise self.r.fail(items["uid"], msg, hint="use 1000")
        return User(name=name, uid=uid, gid=gid)

    def _services(self, node: yaml.Node, project: str, base: Base) -> dict[str, Image]:
        entries = self.r.mapping(node, "services", any_keys=True)
        if not entries:
            msg = "services is empty"
            raise self.r.fail(node, msg)
        services: dict[str, Image] = {}
        for key_node, value_node in node.value:
            name = self._name(key_node, "service name")
            if name == base.name:
                msg = f"service {name!r} has the same name as the base image"
                raise self.r.fail(key_node, msg)
            what = f"services.{name}"
            items = self.r.mapping(value_node, what, required=("dockerfile", "cmd"),
                                   optional=(*self._COMMON, "parent"))
            parent = self.r.optional(
                items, "parent", lambda n, w=what: self.r.string(n, f"{w}.parent"), base.name)
            image = name if name.startswith(f"{project}-") else f"{project}-{name}"
            services[name] = Image(
                **self._image_fields(name, items, what),  # type: ignore[arg-type]
                image=image,
                parent=parent,
                where=self.r.where(key_node),
            )
        return services

    def _file(self, node: yaml.Node, what: str) -> Path:
        value = Path(self.r.string(node, what))
        if value.is_absolute() or ".." in value.parts:
            msg = f"{what} must be a path inside the repository, not {str(value)!r}"
            raise self.r.fail(node, msg)
        if not (self.root / value).is_file():
            msg = f"{what} names {str(value)!r}, which does not exist"
            raise self.r.fail(node, msg, hint="fix the path or add the file")
        return value

    def _dir(self, node: yaml.Node, what: str) -> Path:
        value = Path(self.r.string(node, what))
        if value.is_absolute() or ".." in value.parts or not (self.root / value).is_dir():
            msg = f"{what} must be a folder inside the repository, not {str(value)!r}"
            raise self.r.fail(node, msg)
        return value

    def _ports(self, node: yaml.Node, what: str) -> tuple[int, ...]:
        ports: list[int] = []
        for item in self.r.sequence(node, what):
            port = self.r.integer(item, f"a port in {what}", low=1, high=65535)
            if port in ports:
                msg = f"port {port} appears twice in {what}"
                raise self.r.fail(item, msg)
            ports.append(port)
        return tuple(ports)

    def _cmd(self, node: yaml.Node, what: str) -> Command:
        if isinstance(node, yaml.SequenceNode):
            argv = self.r.strings(node, what, unique=False)
            if not argv:
                msg = f"{what} must not be empty"
                raise self.r.fail(node, msg)
            return argv
        return self.r.string(node, what)

    def _smoke(self, node: yaml.Node, what: str, ports: tuple[int, ...]) -> Smoke:
        items = self.r.mapping(node, f"{what}.smoke", optional=("http", "job"))
        if len(items) != 1:
            msg = f"{what}.smoke needs exactly one of http or job"
            raise self.r.fail(node, msg)
        if "job" in items:
            return Smoke(job=self._choice(items["job"], f"{what}.smoke.job", _JOB_KINDS))
        http = self.r.mapping(items["http"], f"{what}.smoke.http", required=("port",),
                              optional=("path",))
        port = self.r.integer(http["port"], f"{what}.smoke.http.port", low=1, high=65535)
        if port not in ports:
            msg = f"{what}.smoke.http.port {port} is not one of the service's ports {list(ports)}"
            raise self.r.fail(http["port"], msg)
        path = self.r.optional(http, "path", lambda n: self.r.string(n, f"{what}.smoke.http.path"),
                               "/healthz")
        return Smoke(http_port=port, http_path=path)
