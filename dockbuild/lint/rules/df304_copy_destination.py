"""DF304: copies from the build context land under the WORKDIR."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import context_copies
from dockbuild.lint.rules.base import Outcome, Rule, Subject, destination
from dockbuild.lint.rules.facts import under


class CopyOutsideWorkdir(Rule):
    """Every COPY from the build context lands under the manifest's workdir.

    Why: the report's "COPY 대상 모두 ./ 하위". A relative destination needs a
    WORKDIR; in a service that WORKDIR is inherited from the base, which is
    why hadolint's DL3045 ("COPY to a relative destination without WORKDIR")
    is a false positive there and this rule settles it.

    Bad::

        COPY scripts /opt/scripts

    Good::

        COPY --chown=appuser:appuser scripts ./scripts
    """

    code = "DF304"
    name = "copy-outside-workdir"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "COPY 대상 모두 ./ 하위 ({workdir})"
    requirement_en = "every COPY destination under ./ ({workdir})"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Resolve each destination against the WORKDIR in force (own or inherited)."""
        wanted = subject.manifest.base.workdir
        final = subject.final
        seen = False
        for copy in context_copies(final.stage.body):
            seen = True
            state, dest = final.at(copy.instruction), copy.dest
            where = subject.span(copy.instruction)
            if not dest.startswith("/") and state.workdir is None:
                yield self.fail(f"relative destination {dest!r} without any WORKDIR", where,
                                ko=f"WORKDIR 없이 상대 경로 대상 `{dest}`")
                continue
            landed = destination(state, dest, copy.first, is_dir=len(copy.sources) > 1)
            workdir = state.workdir
            inherited = (
                workdir is not None
                and subject.dockerfile is not None
                and workdir.span.file != subject.dockerfile.path
            )
            via = (
                f" (WORKDIR {workdir.value} inherited from {workdir.span})"
                if inherited and workdir
                else ""
            )
            via_ko = (
                f" (`WORKDIR {workdir.value}`, `{workdir.span}`에서 상속)"
                if inherited and workdir
                else ""
            )
            related = (workdir.span,) if inherited and workdir else ()
            if under(landed, wanted):
                yield self.ok(f"lands in {landed}{via}", where, *related,
                              ko=f"`{landed}`에 복사됨{via_ko}")
            else:
                yield self.fail(f"lands in {landed}, outside {wanted}{via}", where, *related,
                                ko=f"`{landed}`에 복사됨: `{wanted}` 밖{via_ko}")
        if not seen:
            yield self.skip("the final stage copies nothing from the build context",
                            ko="최종 스테이지에서 빌드 컨텍스트 COPY 없음")
