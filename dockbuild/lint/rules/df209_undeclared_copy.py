"""DF209: nothing is COPYed that the manifest does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import context_copies, covers, normal
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class UndeclaredCopy(Rule):
    """COPY from the build context only what the manifest declares for the image.

    Why: the report's "scripts 복사만 추가" (only scripts is added): an
    image's context copies are its manifest ``copies`` plus its
    ``requirements`` file. Anything else (a stray ``COPY . .``) ships files
    nobody reviewed, and busts the layer cache on every change.

    Bad::

        COPY . .

    Good::

        COPY --chown=appuser:appuser requirements/api.txt requirements/api.txt
    """

    code = "DF209"
    name = "undeclared-copy"
    severity = Severity.ERROR
    requirement_ko = "{copies} 복사만 추가 (requirements 제외)"
    requirement_en = "only {copies} added by COPY (besides the requirements file)"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Compare every context COPY source with the manifest's copies and requirements."""
        allowed = [normal(p) for p in subject.image.copies]
        requirements = subject.requirements()
        seen = False
        for stage_state in subject.stages():
            for copy in context_copies(stage_state.stage.body):
                for source in copy.sources:
                    seen = True
                    where = subject.span(copy.instruction)
                    path = normal(source)
                    if path == normal(requirements or "\0") or any(
                        covers(a, path) for a in allowed
                    ):
                        yield self.ok(f"COPY {source}: declared in {subject.manifest.path}", where,
                                      ko=f"`COPY {source}`: `{subject.manifest.path}`에 선언됨")
                    else:
                        yield self.fail(
                            f"COPY {source}: not in {subject.manifest.path}"
                            f" (copies: {list(subject.image.copies)},"
                            f" requirements: {requirements})",
                            where,
                            ko=f"`COPY {source}`: `{subject.manifest.path}`에 없음"
                            f" (copies: `{list(subject.image.copies)}`,"
                            f" requirements: `{requirements}`)",
                        )
        if not seen:
            yield self.skip("no COPY from the build context", ko="빌드 컨텍스트에서 COPY 없음")
