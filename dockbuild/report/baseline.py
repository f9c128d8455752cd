"""What each image promises the outside world, now and at a baseline, and what changed.

The report's section 5 ("CMD·진입점·상수 ... 변경 여부") compares the command,
ports, entry point and constants (user, uid, workdir) of every image against a
baseline: the manifest at a git ref, or the previous report's results.json.
Read leniently: a baseline written by an older manifest schema still compares.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from dockbuild import gitinfo
from dockbuild.errors import InputError
from dockbuild.inputs.manifest import MANIFEST, Manifest


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Interface:
    """The outward facts of one image."""

    name: str
    cmd: str
    entry: str
    ports: tuple[int, ...]
    constants: tuple[tuple[str, str], ...] = ()

    def fields(self) -> dict[str, str]:
        """Return every compared field as text, in report order."""
        return {
            "cmd": self.cmd,
            "entry": self.entry,
            "ports": ", ".join(map(str, self.ports)) or "-",
            **dict(self.constants),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (results.json keeps it as the next baseline)."""
        return {"name": self.name, "cmd": self.cmd, "entry": self.entry,
                "ports": list(self.ports), "constants": dict(self.constants)}


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """One field of one image that differs from the baseline."""

    image: str
    field: str
    old: str
    new: str


@dataclasses.dataclass(frozen=True, slots=True)
class Baseline:
    """Where the comparison values came from, and the values (None: no baseline could be read)."""

    label: str
    interfaces: dict[str, Interface] | None
    problem: str = ""


def command_text(cmd: tuple[str, ...] | list[str] | str) -> str:
    """Return a command as one shell-quoted line."""
    return cmd if isinstance(cmd, str) else shlex.join(cmd)


def entry_point(cmd: tuple[str, ...] | list[str] | str) -> str:
    """Return what a command starts: the module of ``python -m``, a WSGI app, or the program."""
    argv = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
    if not argv:
        return ""
    if "-m" in argv[:-1]:
        return argv[argv.index("-m") + 1]
    if Path(argv[0]).name == "gunicorn":
        apps = [arg for arg in argv[1:] if ":" in arg and not arg.startswith("-")
                and not arg[0].isdigit() and not arg.startswith("python:")]
        if apps:
            return apps[-1]
    return argv[0]


def _constants(user: Mapping[str, Any] | None, workdir: Any) -> tuple[tuple[str, str], ...]:
    user = user or {}
    return (("user", f"{user.get('name', '?')} ({user.get('uid', '?')}:{user.get('gid', '?')})"),
            ("workdir", str(workdir)))


def of_manifest(manifest: Manifest) -> dict[str, Interface]:
    """Return the interfaces the current manifest declares."""
    user = manifest.base.user
    constants = _constants({"name": user.name, "uid": user.uid, "gid": user.gid},
                           manifest.base.workdir)
    return {image.name: _interface(image.name, image.cmd, image.ports, constants)
            for image in manifest.images()}


def _interface(name: str, cmd: Any, ports: Any,
               constants: tuple[tuple[str, str], ...]) -> Interface:
    cmd = cmd if isinstance(cmd, str) else tuple(str(part) for part in cmd or ())
    return Interface(name=name, cmd=command_text(cmd), entry=entry_point(cmd),
                     ports=tuple(int(p) for p in ports or ()), constants=constants)


def of_manifest_data(data: Any) -> dict[str, Interface]:
    """Return the interfaces of a manifest read as plain YAML data (a baseline's)."""
    if not isinstance(data, dict) or not isinstance(data.get("base"), dict):
        msg = "not a manifest with a base"
        raise ValueError(msg)
    base = data["base"]
    constants = _constants(base.get("user"), base.get("workdir"))
    interfaces = {str(base.get("name")): _interface(str(base.get("name")), base.get("cmd"),
                                                     base.get("ports"), constants)}
    for name, service in (data.get("services") or {}).items():
        if isinstance(service, dict):
            interfaces[str(name)] = _interface(str(name), service.get("cmd"),
                                               service.get("ports"), constants)
    return interfaces


def default_ref(root: Path) -> str | None:
    """Return the merge base of HEAD with main (or HEAD itself), or None outside git."""
    return gitinfo.merge_base(root, "main") or gitinfo.head(root)


def at_ref(root: Path, ref: str) -> Baseline:
    """Read the manifest as it was at git ``ref``."""
    label = f"git {ref[:12]}"
    if not gitinfo.is_commit(root, ref):
        msg = f"--baseline {ref!r} is not a commit of this repository"
        raise InputError(msg, hint="give a branch, tag or commit, e.g. --baseline main")
    text = gitinfo.show(root, ref, MANIFEST)
    if text is None:
        return Baseline(label, None, f"{MANIFEST} did not exist at {ref[:12]}")
    try:
        return Baseline(label, of_manifest_data(yaml.safe_load(text)))
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        return Baseline(label, None, f"{MANIFEST} at {ref[:12]} could not be read: {exc}")


def from_results(path: Path) -> Baseline:
    """Read the interfaces a previous report recorded in its results.json."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        interfaces = {
            item["name"]: Interface(name=item["name"], cmd=item["cmd"], entry=item["entry"],
                                    ports=tuple(item["ports"]),
                                    constants=tuple(item.get("constants", {}).items()))
            for item in data["interfaces"]
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Baseline(f"previous report {path.name}", None, f"unreadable: {exc}")
    return Baseline(f"previous report ({data.get('generated', 'unknown time')})", interfaces)


def compare(now: Mapping[str, Interface], then: Mapping[str, Interface]) -> list[Change]:
    """Return every field that differs, images added or removed included."""
    changes: list[Change] = []
    for name, current in now.items():
        old = then.get(name)
        if old is None:
            changes.append(Change(name, "image", "(absent)", "added"))
            continue
        old_fields = old.fields()
        for field, value in current.fields().items():
            if old_fields.get(field, "-") != value:
                changes.append(Change(name, field, old_fields.get(field, "-"), value))
    changes += [Change(name, "image", "present", "(removed)") for name in then if name not in now]
    return changes
