"""DF302: the image runs as the manifest's user."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import is_user


class FinalUserNotAppUser(Rule):
    """The image's effective final USER is the manifest's user, own or inherited.

    Why: the report's "runtime: USER appuser" and "베이스 상속으로 appuser". A
    service inherits the base's ``USER appuser``; switching to root for apt
    and forgetting to switch back makes it run as root.

    Bad::

        USER root
        RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \\
            && rm -rf /var/lib/apt/lists/*

    Good::

        USER root
        RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \\
            && rm -rf /var/lib/apt/lists/*
        USER appuser
    """

    code = "DF302"
    name = "final-user-not-app-user"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "runtime: USER {user}"
    requirement_en = "runtime: USER {user}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Compare the final state's user with the manifest."""
        state = subject.final.final
        user = subject.manifest.base.user
        start = subject.span(subject.final.stage.start)
        if not state.known:
            yield self.skip("the parent image's Dockerfile does not parse",
                            ko="부모 이미지의 Dockerfile을 읽을 수 없음")
            return
        if state.user is None:
            yield self.fail(f"no USER: the image runs as root (from {state.origin})", start,
                            ko=f"USER 없음: 이미지가 root로 실행됨 (`{state.origin}`부터)")
            return
        where, related, origin = subject.cite_setting(state.user.span)
        how = f", inherited from {origin}" if origin else ""
        how_ko = f", `{origin}`에서 상속" if origin else ""
        if is_user(state.user.value, user):
            yield self.ok(f"runs as {state.user.value}{how}", where, *related,
                          ko=f"실행 사용자 `{state.user.value}`{how_ko}")
        else:
            yield self.fail(f"runs as {state.user.value!r}{how}, not {user.name}", where, *related,
                            ko=f"실행 사용자 `{state.user.value}`{how_ko}: 기대값 `{user.name}`")
