"""Small questions several rules ask of a stage: its RUN commands, apt packages, owners."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import PurePath

from dockbuild.evidence import Span
from dockbuild.inputs import shell
from dockbuild.inputs.buildcontext import normal
from dockbuild.inputs.dockerfile import Instruction, Stage
from dockbuild.inputs.manifest import User
from dockbuild.lint.rules.base import Subject


def runs(stage: Stage) -> Iterator[tuple[Instruction, tuple[shell.Command, ...]]]:
    """Yield each RUN of a stage with its simple commands."""
    for instruction in stage.body:
        if instruction.keyword == "RUN":
            yield instruction, shell.commands(instruction.script)


def apt_installs(cmds: tuple[shell.Command, ...]) -> list[shell.Command]:
    """Return the ``apt-get install`` commands."""
    return [c for c in shell.apt_calls(cmds) if c.subcommand == "install"]


def apt_packages(cmd: shell.Command) -> list[str]:
    """Return the package names an install names, without ``=version`` or ``:arch``."""
    names: list[str] = []
    skip = seen_install = False
    for word in cmd.args:
        if skip:
            skip = False
        elif word in {"-o", "-t", "-c", "--target-release"}:
            skip = True
        elif word.startswith("-"):
            continue
        elif word == "install" and not seen_install:
            seen_install = True
        else:
            names.append(word.split("=", 1)[0].split(":", 1)[0])
    return names


def stage_apt(stage: Stage) -> list[tuple[Instruction, str]]:
    """Return (RUN, package) for every package a stage installs with apt."""
    found: list[tuple[Instruction, str]] = []
    for instruction, cmds in runs(stage):
        for cmd in apt_installs(cmds):
            found += [(instruction, name) for name in apt_packages(cmd)]
    return found


def is_user(owner: str, user: User) -> bool:
    """Return True when ``user[:group]`` (names or ids) names the manifest's user."""
    name, _, group = owner.partition(":")
    user_ok = name in {user.name, str(user.uid)}
    group_ok = not group or group in {user.name, str(user.gid)}
    return user_ok and group_ok


def is_root(owner: str) -> bool:
    """Return True for root, by name or id."""
    return owner.partition(":")[0] in {"root", "0", ""}


def chowned_paths(stage: Stage, after: int, user: User) -> list[tuple[Instruction, str]]:
    """Return (RUN, path) for each ``chown -R`` to the user after line ``after``."""
    found: list[tuple[Instruction, str]] = []
    for instruction, cmds in runs(stage):
        if instruction.line <= after:
            continue
        for cmd in cmds:
            if cmd.program != "chown":
                continue
            words = [w for w in cmd.args if not w.startswith("-")]
            if len(words) >= 2 and is_user(words[0], user):
                found += [(instruction, posixpath.normpath(p)) for p in words[1:]]
    return found


def in_repo(context: PurePath, source: str) -> str:
    """Return a context path as a path of the repository (``apps`` in ``docker/svc``)."""
    return normal(posixpath.join(context.as_posix(), normal(source)))


def inherited_sources(subject: Subject) -> list[tuple[str, Instruction, str]]:
    """Return (source in the repository, COPY, file) for the ancestors' final stages' copies."""
    found: list[tuple[str, Instruction, str]] = []
    for parent in subject.parents:
        if parent.analysis is None or parent.analysis.final is None:
            continue
        for copy in parent.analysis.final.copies(context_only=True):
            found += [(in_repo(parent.image.context, source), copy.instruction,
                       parent.analysis.dockerfile.path) for source in copy.sources]
    return found


def under(path: str, folder: str) -> bool:
    """Return True when absolute ``path`` is ``folder`` or inside it."""
    path, folder = posixpath.normpath(path), posixpath.normpath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def copied_sources(subject: Subject) -> Iterator[tuple[Span, str]]:
    """Yield (the COPY/ADD's lines, one source) for every copy from the build context."""
    for stage_state in subject.stages():
        for copy in stage_state.copies(context_only=True):
            where = subject.span(copy.instruction)
            for source in copy.sources:
                yield where, source
