"""DF303: the image's WORKDIR is the manifest's."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class WorkdirMismatch(Rule):
    """The image's effective WORKDIR is the manifest's ``workdir``, own or inherited.

    Why: the report's "/app 경로 유지": the entry modules are imported relative
    to it (``python -m apps...`` from /app) and the image tests look there.

    Bad::

        WORKDIR /srv

    Good::

        WORKDIR /app
    """

    code = "DF303"
    name = "workdir-mismatch"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "{workdir} 경로 유지 (WORKDIR {workdir})"
    requirement_en = "keep the {workdir} path (WORKDIR {workdir})"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Compare the final state's WORKDIR with the manifest."""
        state = subject.final.final
        wanted = subject.manifest.base.workdir
        start = subject.span(subject.final.stage.start)
        if not state.known:
            yield self.skip("the parent image's Dockerfile does not parse",
                            ko="부모 이미지의 Dockerfile을 읽을 수 없음")
            return
        if state.workdir is None:
            yield self.fail(f"no WORKDIR: commands run in /, not {wanted}", start,
                            ko=f"WORKDIR 없음: 명령이 `/`에서 실행됨 (기대값 `{wanted}`)")
            return
        where, related, origin = subject.cite_setting(state.workdir.span)
        how = f", inherited from {origin}" if origin else ""
        how_ko = f", `{origin}`에서 상속" if origin else ""
        if state.workdir.value == wanted:
            yield self.ok(f"WORKDIR {wanted}{how}", where, *related,
                          ko=f"`WORKDIR {wanted}` 있음{how_ko}")
        else:
            yield self.fail(f"WORKDIR is {state.workdir.value}{how}, not {wanted}", where, *related,
                            ko=f"WORKDIR가 `{state.workdir.value}`{how_ko}: 기대값 `{wanted}`")
