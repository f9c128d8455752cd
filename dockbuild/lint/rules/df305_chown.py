"""DF305: what lands in the workdir and the home belongs to the app user."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import copies
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject, destination
from dockbuild.lint.rules.facts import chowned_paths, is_user, under


class ChownMissing(Rule):
    """Files copied into the workdir or the user's home must belong to the app user.

    Why: the report's "chown 처리" (``RUN chown -R appuser:appuser /app
    /home/appuser``): the service runs as appuser and writes there. The
    base chowns both folders after its copies; a service uses
    ``COPY --chown=appuser:appuser`` (it runs as appuser, so it cannot chown).

    Bad::

        COPY scripts ./scripts

    Good::

        COPY --chown=appuser:appuser scripts ./scripts
    """

    code = "DF305"
    name = "chown-missing"
    severity = Severity.ERROR
    inherits = True
    scope = Scope.IMAGE
    requirement_ko = "chown 처리 ({workdir}, {home})"
    requirement_en = "chown handled ({workdir}, {home})"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check each COPY into the workdir or home, and the base's chown -R of both."""
        user = subject.manifest.base.user
        folders = (subject.manifest.base.workdir, user.home)
        final = subject.final
        chowns = chowned_paths(final.stage, 0, user)
        for each in copies(final.stage.body):
            copy = each.instruction
            landed = destination(final.at(copy), each.dest, each.first)
            if not any(under(landed, folder) for folder in folders):
                continue
            where = subject.span(copy)
            owner = copy.flag("chown")
            later = [
                (run, path) for run, path in chowns if run.line > copy.line and under(landed, path)
            ]
            if owner and is_user(owner, user):
                yield self.ok(f"--chown={owner}", where, ko=f"`--chown={owner}` 있음")
            elif later:
                yield self.ok(
                    f"chown -R {user.name} of {later[0][1]} afterwards",
                    where,
                    subject.span(later[0][0]),
                    ko=f"이후 `{later[0][1]}`에 `chown -R {user.name}`",
                )
            else:
                yield self.fail(
                    f"{landed} stays owned by {owner or 'root'}: use"
                    f" --chown={user.name}:{user.name}",
                    where,
                    ko=f"`{landed}` 소유자 `{owner or 'root'}` 그대로:"
                    f" `--chown={user.name}:{user.name}` 필요",
                )
        if subject.is_base:
            for folder in folders:
                covering = [(run, path) for run, path in chowns if under(folder, path)]
                if covering:
                    yield self.ok(f"chown -R {user.name} {folder}", subject.span(covering[-1][0]),
                                  ko=f"`chown -R {user.name} {folder}` 있음")
                else:
                    yield self.fail(
                        f"no `chown -R {user.name}:{user.name} {folder}` in the final stage",
                        subject.span(final.stage.start),
                        ko=f"최종 스테이지에 `chown -R {user.name}:{user.name} {folder}` 없음",
                    )
