"""DF308: a service does not COPY what its base already copies."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import context_copies, covers
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject
from dockbuild.lint.rules.facts import inherited_sources


class DuplicateBaseCopy(Rule):
    """A service must not COPY what its base (or another parent) already copies.

    Why: the report's "src, apps, libs, manage.py 복사 제거 — 베이스 상속만
    사용": the code comes from the base. Copying it again doubles the layer,
    and a service can then run code older or newer than its base's.
    What the base copies comes from the manifest (``base.copies``) and from
    the base Dockerfile's own COPY lines.

    Bad::

        FROM ${BASE_IMAGE}
        COPY apps ./apps

    Good::

        FROM ${BASE_IMAGE}
        COPY --chown=appuser:appuser scripts ./scripts
    """

    code = "DF308"
    name = "duplicate-base-copy"
    severity = Severity.ERROR
    inherits = True
    scope = Scope.SERVICE
    requirement_ko = "{base_copies} 복사 제거 (베이스 상속만 사용)"
    requirement_en = "no copy of {base_copies} (inherited from the base only)"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Compare each context COPY source with the parents' sources."""
        inherited = inherited_sources(subject)
        base = subject.manifest.base
        declared = [(path, None, str(subject.manifest.path)) for path in base.copies]
        seen = False
        for stage_state in subject.stages():
            for copy in context_copies(stage_state.stage.body):
                for source in copy.sources:
                    seen = True
                    where = subject.span(copy.instruction)
                    clash = next(
                        (
                            (p, c, f)
                            for p, c, f in [*inherited, *declared]
                            if covers(p, source) or covers(source, p)
                        ),
                        None,
                    )
                    if clash is None:
                        yield self.ok(f"COPY {source}: not copied by a parent image", where,
                                      ko=f"`COPY {source}`: 부모 이미지가 복사하지 않음")
                        continue
                    path, parent_copy, file = clash
                    if parent_copy is not None:
                        parent = next(
                            p
                            for p in subject.parents
                            if p.analysis and p.analysis.dockerfile.path == file
                        )
                        assert parent.analysis is not None
                        related = parent.analysis.dockerfile.span_of(parent_copy)
                    else:
                        related = subject.manifest_span("copies", base)
                    yield self.fail(
                        f"COPY {source}: {path} already comes from the base ({related})",
                        where,
                        related,
                        ko=f"`COPY {source}`: 이미 베이스에 있는 `{path}` (`{related}`)",
                    )
        if not seen:
            yield self.ok(
                "copies nothing from the build context; the code comes from the base",
                subject.span(subject.final.stage.start),
                ko="빌드 컨텍스트 COPY 없음: 코드는 베이스에서 옴",
            )
