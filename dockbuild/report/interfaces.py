"""What each image promises the outside world, read from one tree: manifest and Dockerfiles.

The same reading serves both sides of a comparison: the working files now, and
a baseline's files at a git revision (read through gitinfo.show). The manifest
is read leniently, so a baseline written by an older schema still compares; the
Dockerfiles go through the parser and stage model lint uses, so a service's
USER and WORKDIR are what it inherits from the base, cited at the base's line.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from dockbuild.errors import DockbuildError
from dockbuild.evidence import Span
from dockbuild.inputs.dockerfile import parse
from dockbuild.inputs.manifest import MANIFEST
from dockbuild.lint.stages import Setting, State, analyse

#: Reads one file of the tree by its path from the root; None when it is absent.
Reader = Callable[[str], "str | None"]


@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    """One outward fact of an image, where it was read, and whether the parent image set it."""

    name: str
    value: str
    where: str = ""
    inherited: bool = False


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Interface:
    """The outward facts of one image: command, ports, constants, the Dockerfile's final state."""

    name: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        """Return the field called ``name``, or None when this side has none."""
        return next((f for f in self.fields if f.name == name), None)

    def value(self, name: str) -> str:
        """Return the text of field ``name`` ("-" when absent)."""
        found = self.field(name)
        return found.value if found else "-"

    @property
    def cmd(self) -> str:
        """Return the manifest's command as one shell-quoted line."""
        return self.value("cmd")

    @property
    def entry(self) -> str:
        """Return what the command starts (module, WSGI app or program)."""
        return self.value("entry")

    @property
    def ports(self) -> str:
        """Return the manifest's ports as text ("-" when none)."""
        return self.value("ports")

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (results.json and the verified state keep it)."""
        return {"name": self.name, "fields": [dataclasses.asdict(f) for f in self.fields]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Interface:
        """Read back :meth:`to_dict`; raise KeyError/TypeError on another shape."""
        return cls(name=str(data["name"]), fields=tuple(
            Field(str(f["name"]), str(f["value"]), str(f.get("where", "")),
                  bool(f.get("inherited", False))) for f in data["fields"]))


def command_text(cmd: Any) -> str:
    """Return a command (exec-form list or shell string) as one shell-quoted line."""
    if cmd is None:
        return "-"
    return cmd if isinstance(cmd, str) else shlex.join(str(part) for part in cmd)


def entry_point(cmd: Any) -> str:
    """Return what a command starts: the module of ``python -m``, a WSGI app, or the program."""
    argv = shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd or ()]
    if not argv:
        return "-"
    if "-m" in argv[:-1]:
        return argv[argv.index("-m") + 1]
    if Path(argv[0]).name == "gunicorn":
        apps = [arg for arg in argv[1:] if ":" in arg and not arg.startswith("-")
                and not arg[0].isdigit()]
        if apps:
            return apps[-1]
    return argv[0]


def of_files(root: Path) -> dict[str, Interface]:
    """Return every image's interface as the working files say it."""

    def read(path: str) -> str | None:
        try:
            return (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return of_tree(read)


def of_tree(read: Reader) -> dict[str, Interface]:
    """Return every image's interface from one tree; raise ValueError when no manifest reads."""
    text = read(MANIFEST.as_posix())
    if text is None:
        msg = f"{MANIFEST} does not exist there"
        raise ValueError(msg)
    try:
        data, node = yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        msg = f"{MANIFEST} does not parse: {exc}"
        raise ValueError(msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("base"), dict):
        msg = f"{MANIFEST} holds no base"
        raise ValueError(msg)
    return _TreeReader(read, data, node).all()


class _TreeReader:
    """Read the images of one manifest and their Dockerfiles, parents first."""

    def __init__(self, read: Reader, data: dict[str, Any], node: yaml.Node) -> None:
        self.read = read
        self.node = node
        base = data["base"]
        self.base_name = str(base.get("name", "base"))
        project = str(data.get("project", ""))
        self.images: dict[str, tuple[dict[str, Any], str, str | None]] = {
            self.base_name: (base, self.base_name, None)}
        for name, service in (data.get("services") or {}).items():
            if isinstance(service, dict):
                image = name if name.startswith(f"{project}-") else f"{project}-{name}"
                parent = str(service.get("parent", self.base_name))
                self.images[str(name)] = (service, image, parent)
        self.finals: dict[str, State | None] = {}

    def all(self) -> dict[str, Interface]:
        return {name: self._interface(name) for name in self.images}

    def _line(self, *keys: str) -> str:
        """Return ``docker/services.yaml:N`` of the key path, or the file alone."""
        node: yaml.Node | None = self.node
        for key in keys:
            values = node.value if isinstance(node, yaml.MappingNode) else []
            node = next((v for k, v in values if k.value == key), None)
            if node is None:
                return MANIFEST.as_posix()
        return f"{MANIFEST.as_posix()}:{node.start_mark.line + 1}"

    def _interface(self, name: str) -> Interface:
        data, _, parent = self.images[name]
        own = ("base",) if parent is None else ("services", name)
        base = self.images[self.base_name][0]
        user = base.get("user") if isinstance(base.get("user"), dict) else {}
        account = f"{user.get('name', '?')} ({user.get('uid', '?')}:{user.get('gid', '?')})"
        inherited = parent is not None
        fields = [
            Field("cmd", command_text(data.get("cmd")), self._line(*own, "cmd")),
            Field("entry", entry_point(data.get("cmd")), self._line(*own, "cmd")),
            Field("ports", ", ".join(str(p) for p in data.get("ports") or ()) or "-",
                  self._line(*own, "ports")),
            Field("user", account, self._line("base", "user"), inherited),
            Field("workdir", str(base.get("workdir", "-")), self._line("base", "workdir"),
                  inherited),
            Field("apt", " ".join(str(p) for p in data.get("apt") or ()) or "-",
                  self._line(*own, "apt")),
        ]
        fields += self._dockerfile_fields(name)
        return Interface(name=name, fields=tuple(fields))

    def _final(self, name: str) -> State | None:
        """Return the image's state after its Dockerfile's last instruction (None: unreadable)."""
        if name not in self.finals:
            self.finals[name] = None  # a parent cycle reads as unknown, not as a recursion
            data, _, parent = self.images[name]
            parents: dict[str, State] = {}
            if parent in self.images:
                start = self._final(parent)
                parents[self.images[parent][1]] = start or State(origin=parent, known=False)
            path = str(data.get("dockerfile", ""))
            text = self.read(path) if path else None
            try:
                analysis = analyse(parse(text, path), parents) if text is not None else None
            except DockbuildError:
                analysis = None
            final = analysis.final if analysis else None
            self.finals[name] = final.final if final else None
        return self.finals[name]

    def _dockerfile_fields(self, name: str) -> list[Field]:
        state = self._final(name)
        if state is None:
            return []
        own = str(self.images[name][0].get("dockerfile", ""))

        def field(key: str, setting: Setting | None, value: str) -> Field:
            span = setting.span if setting else None
            return Field(key, value, _where(span), bool(span and span.file != own))

        expose = state.expose
        return [
            field("CMD", state.cmd, _setting_text(state.cmd)),
            field("ENTRYPOINT", state.entrypoint, _setting_text(state.entrypoint)),
            field("EXPOSE", expose[0] if expose else None,
                  ", ".join(s.value for s in expose) or "-"),
            field("USER", state.user, state.user_name),
            field("WORKDIR", state.workdir, state.workdir_path),
        ]


def _setting_text(setting: Setting | None) -> str:
    if setting is None:
        return "-"
    return command_text(list(setting.parts)) if setting.parts else setting.value


def _where(span: Span | None) -> str:
    return f"{span.file}:{span.line}" if span else ""
