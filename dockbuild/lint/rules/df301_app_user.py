"""DF301: the base creates the manifest's user and group with their ids."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs import shell
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject
from dockbuild.lint.rules.facts import runs


def _option(cmd: shell.Command, *names: str) -> str | None:
    args = cmd.args
    for index, word in enumerate(args):
        for name in names:
            if word == name and index + 1 < len(args):
                return args[index + 1]
            if name.startswith("--") and word.startswith(f"{name}="):
                return word.split("=", 1)[1]
    return None


def _name(cmd: shell.Command) -> str:
    return next((w for w in reversed(cmd.args) if not w.startswith("-")), "")


class AppUserMismatch(Rule):
    """The base's final stage creates the manifest's user and group with their ids.

    Why: the report's "runtime: appuser UID 1000 생성": files written by the
    service on mounted volumes, and the image tests, rely on exactly that
    user name, uid and gid (``base.user`` in the manifest).

    Bad::

        RUN useradd --create-home appuser

    Good::

        RUN groupadd --gid 1000 appuser \\
            && useradd --uid 1000 --gid appuser --create-home --shell /bin/bash appuser
    """

    code = "DF301"
    name = "app-user-mismatch"
    severity = Severity.ERROR
    scope = Scope.BASE
    requirement_ko = "runtime: {user} UID {uid} 생성"
    requirement_en = "runtime: create {user} with UID {uid}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Read groupadd/useradd (or addgroup/adduser) in the final stage."""
        user = subject.manifest.base.user
        declared = subject.manifest_span("user")
        group_ok = user_ok = None
        for instruction, cmds in runs(subject.final.stage):
            where = subject.span(instruction)
            for cmd in cmds:
                if cmd.program in {"groupadd", "addgroup"}:
                    gid = _option(cmd, "--gid", "-g")
                    if gid == str(user.gid):
                        group_ok = where
                    else:
                        yield self.fail(
                            f"group {_name(cmd)!r} gets gid {gid or 'chosen by the system'},"
                            f" the manifest says {user.gid}",
                            where,
                            declared,
                            ko=f"그룹 `{_name(cmd)}`의 gid가 "
                            + (f"`{gid}`" if gid else "시스템 지정")
                            + f": 매니페스트는 `{user.gid}`",
                        )
                        group_ok = group_ok or False
                elif cmd.program in {"useradd", "adduser"}:
                    uid = _option(cmd, "--uid", "-u")
                    name = _name(cmd)
                    if name == user.name and uid == str(user.uid):
                        user_ok = where
                    else:
                        yield self.fail(
                            f"creates user {name!r} with uid {uid or 'chosen by the system'},"
                            f" the manifest says {user.name} with uid {user.uid}",
                            where,
                            declared,
                            ko=f"사용자 `{name}`의 uid가 " + (f"`{uid}`" if uid else "시스템 지정")
                            + f": 매니페스트는 `{user.name}` uid `{user.uid}`",
                        )
                        user_ok = user_ok or False
        start = subject.span(subject.final.stage.start)
        if user_ok is None:
            yield self.fail(f"the final stage never creates user {user.name}", start, declared,
                            ko=f"최종 스테이지에서 사용자 `{user.name}` 생성 없음")
        if group_ok is None:
            yield self.fail(
                f"the final stage never creates a group with gid {user.gid}", start, declared,
                ko=f"최종 스테이지에서 gid `{user.gid}` 그룹 생성 없음",
            )
        if user_ok and group_ok:
            where = (
                group_ok
                if group_ok == user_ok
                else subject.dockerfile.span(  # type: ignore[union-attr]
                    min(group_ok.line, user_ok.line), max(group_ok.end_line, user_ok.end_line)
                )
            )
            yield self.ok(
                f"groupadd --gid {user.gid} + useradd --uid {user.uid} {user.name}",
                where,
                declared,
                ko=f"`groupadd --gid {user.gid}` + `useradd --uid {user.uid} {user.name}` 있음",
            )
