"""DF306: PATH holds the user's ~/.local/bin."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class PathLacksLocalBin(Rule):
    """The image's PATH must hold ``<home>/.local/bin`` of the app user.

    Why: the report's "PATH에 .local/bin 포함": ``pip install --user`` puts
    gunicorn and other scripts there; without it the CMD is "not found".

    Bad::

        ENV PATH=/usr/local/bin:$PATH

    Good::

        ENV PATH=/home/appuser/.local/bin:$PATH
    """

    code = "DF306"
    name = "path-lacks-local-bin"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "PATH에 .local/bin 포함 ({home}/.local/bin)"
    requirement_en = "PATH includes .local/bin ({home}/.local/bin)"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Look for the folder in the final state's PATH (ENV of this image or a parent)."""
        state = subject.final.final
        wanted = f"{subject.manifest.base.user.home}/.local/bin"
        if not state.known:
            yield self.skip("the parent image's Dockerfile does not parse",
                            ko="부모 이미지의 Dockerfile을 읽을 수 없음")
            return
        setting = state.env.get("PATH")
        start = subject.span(subject.final.stage.start)
        if setting is None:
            yield self.fail(f"no ENV PATH: {wanted} is not on PATH", start,
                            ko=f"ENV PATH 없음: PATH에 `{wanted}` 없음")
            return
        where, related, origin = subject.cite_setting(setting.span)
        how = f" (inherited from {origin})" if origin else ""
        how_ko = f" (`{origin}`에서 상속)" if origin else ""
        if wanted in state.path_entries():
            yield self.ok(f"PATH holds {wanted}{how}", where, *related,
                          ko=f"PATH에 `{wanted}` 있음{how_ko}")
        else:
            yield self.fail(f"PATH={setting.value} lacks {wanted}{how}", where, *related,
                            ko=f"`PATH={setting.value}`에 `{wanted}` 없음{how_ko}")
