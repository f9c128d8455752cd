"""DF401: .dockerignore excludes no COPY/ADD source."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import is_wildcard
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import copied_sources


class CopySourceExcluded(Rule):
    """.dockerignore must not exclude anything a Dockerfile COPYs or ADDs.

    Why: the report's section 4: "scripts/ 제외 아님" so that ``COPY scripts
    ./scripts`` works. The build context is made with the docker SDK's own
    matcher (the one builds use), ``!`` re-includes and all; an excluded
    source fails the build with "not found" far from its cause.

    Bad::

        # .dockerignore
        scripts/

    Good::

        # .dockerignore: scripts/ is NOT excluded (ai-worker-cpu copies it)
        .git
    """

    code = "DF401"
    name = "copy-source-excluded"
    severity = Severity.ERROR
    requirement_ko = ".dockerignore가 COPY 대상을 제외하지 않음"
    requirement_en = ".dockerignore excludes no COPY source"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Ask the context, source by source, whether it is sent."""
        seen = False
        for where, source in copied_sources(subject):
            if is_wildcard(source) or not subject.context.exists(source):
                continue  # wildcards and missing paths: DF402's business
            seen = True
            if subject.context.sent(source):
                yield self.ok(f"{source} is sent with the build context", where,
                              ko=f"`{source}`: 빌드 컨텍스트로 전송됨")
                continue
            rule = subject.context.exclusion(source)
            if rule is None:
                yield self.fail(f"nothing under {source} reaches the build context"
                                f" ({subject.context.ignore_file.path} excludes all of it)", where,
                                ko=f"`{source}` 아래 아무것도 빌드 컨텍스트에 없음"
                                f" (`{subject.context.ignore_file.path}`에서 모두 제외)")
            else:
                yield self.fail(f"{source} is excluded by {rule.file}:{rule.line} `{rule.text}`",
                                where, rule, ko=f"`{source}`: `{rule.file}:{rule.line}`"
                                f" `{rule.text}`에 의해 제외됨")
        if not seen:
            yield self.skip("no COPY from the build context", ko="빌드 컨텍스트에서 COPY 없음")
