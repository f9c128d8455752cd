"""DF103: USER root -> apt -> USER appuser -> pip."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs import shell
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import apt_installs, is_root, is_user, runs


class AptUserSwitch(Rule):
    """Run apt as root, then switch back to the app user before pip and the end.

    Why: the report's order for a service: ``USER root`` -> apt ->
    ``USER appuser`` -> pip. A service inherits ``USER appuser`` from the base,
    so apt without ``USER root`` fails the build; forgetting to switch back
    leaves the service running as root; ``pip install --user`` as root
    installs into /root/.local, which is not on appuser's PATH.

    Bad::

        FROM ${BASE_IMAGE}
        RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \\
            && rm -rf /var/lib/apt/lists/*

    Good::

        FROM ${BASE_IMAGE}
        USER root
        RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \\
            && rm -rf /var/lib/apt/lists/*
        USER appuser
        RUN pip install --user --no-cache-dir -r requirements/video-worker.txt
    """

    code = "DF103"
    name = "apt-user-switch"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "USER root → apt → USER {user} → pip"
    requirement_en = "USER root -> apt -> USER {user} -> pip"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check who runs each apt and pip RUN of the final stage, and the switch back."""
        user = subject.manifest.base.user
        final = subject.final
        seen = False
        for instruction, cmds in runs(final.stage):
            state = final.at(instruction)
            where = subject.span(instruction)
            who = state.user_name
            set_by = (state.user.span,) if state.user else ()
            if apt_installs(cmds):
                seen = True
                if not is_root(who):
                    yield self.fail(
                        f"apt-get runs as {who!r}: add `USER root` before it", where, *set_by,
                        ko=f"apt-get 실행 사용자가 `{who}`: 앞에 `USER root` 필요",
                    )
                    continue
                back = next(
                    (
                        i
                        for i in final.stage.body
                        if i.keyword == "USER"
                        and i.line > instruction.line
                        and is_user(i.args[0], user)
                    ),
                    None,
                )
                if back is None:
                    yield self.fail(f"no `USER {user.name}` after this apt RUN", where,
                                    ko=f"이 apt RUN 뒤에 `USER {user.name}` 없음")
                else:
                    yield self.ok(f"apt as root, then USER {user.name}", where, subject.span(back),
                                  ko=f"apt는 root로, 그 뒤 `USER {user.name}`")
            if list(shell.pip_installs(cmds)) and not subject.is_base:
                seen = True
                if is_user(who, user) or who == user.name:
                    yield self.ok(f"pip runs as {who}", where, *set_by,
                                  ko=f"pip 실행 사용자 `{who}`")
                else:
                    yield self.fail(
                        f"pip runs as {who!r}, not {user.name}: packages would land"
                        f" outside {user.home}/.local",
                        where,
                        *set_by,
                        ko=f"pip 실행 사용자가 `{who}`, `{user.name}` 아님: 패키지가"
                        f" `{user.home}/.local` 밖에 설치됨",
                    )
        if not seen:
            yield self.skip("no apt or pip RUN in the final stage",
                            ko="최종 스테이지에 apt·pip RUN 없음")
