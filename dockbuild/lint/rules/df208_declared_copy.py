"""DF208: every path in the manifest's ``copies`` is COPYed."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import context_copies, normal
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class DeclaredCopyMissing(Rule):
    """COPY every path the manifest's ``copies`` lists for the image.

    Why: the report's "scripts 복사만 추가" and the base's "src, apps, libs,
    manage.py": the manifest says what each image carries; a path it lists
    but the Dockerfile never copies is missing at runtime.

    Bad::

        # manifest: copies: [scripts]
        CMD ["python", "-m", "apps.worker.ai_worker.sqs_main_cpu"]

    Good::

        COPY --chown=appuser:appuser scripts ./scripts
    """

    code = "DF208"
    name = "declared-copy-missing"
    severity = Severity.ERROR
    requirement_ko = "{copies} 복사"
    requirement_en = "{copies} copied"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Find a context COPY of each declared path in the final stage."""
        if not subject.image.copies:
            yield self.skip("the manifest lists no copies for this image",
                            ko="매니페스트에 이 이미지의 copies 없음")
            return
        copied = {}
        for copy in context_copies(subject.final.stage.body):
            for source in copy.sources:
                copied.setdefault(normal(source), subject.span(copy.instruction))
        declared = subject.manifest_span("copies")
        for path in subject.image.copies:
            if normal(path) in copied:
                yield self.ok(f"COPY {path}", copied[normal(path)], declared,
                              ko=f"`COPY {path}` 있음")
            else:
                yield self.fail(
                    f"{path} (manifest copies) is never COPYed",
                    subject.span(subject.final.stage.start),
                    declared,
                    ko=f"`{path}` (매니페스트 copies)를 COPY하지 않음",
                )
