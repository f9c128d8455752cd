"""DF402: every COPY/ADD source exists in the build context."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs.buildcontext import is_wildcard
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import copied_sources


class CopySourceMissing(Rule):
    """Every COPY/ADD source must exist in the build context.

    Why: the report's "빌드 시 컨텍스트: scripts 포함". A missing source fails
    the build; lint says so before the engine does, with the line.

    Bad::

        COPY script ./scripts

    Good::

        COPY --chown=appuser:appuser scripts ./scripts
    """

    code = "DF402"
    name = "copy-source-missing"
    severity = Severity.ERROR
    requirement_ko = "빌드 컨텍스트에 COPY 대상 포함"
    requirement_en = "the build context contains every COPY source"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check each source (wildcards must match something that is sent)."""
        seen = False
        for where, source in copied_sources(subject):
            seen = True
            if is_wildcard(source):
                matched = subject.context.matching(source)
                if matched:
                    yield self.ok(f"{source} matches {len(matched)} path(s)", where,
                                  ko=f"`{source}`에 맞는 경로 {len(matched)}개")
                else:
                    yield self.fail(f"{source} matches nothing in the build context", where,
                                    ko=f"`{source}`에 맞는 것이 빌드 컨텍스트에 없음")
            elif subject.context.exists(source):
                yield self.ok(f"{source} exists in the build context", where,
                              ko=f"`{source}`: 빌드 컨텍스트에 있음")
            else:
                yield self.fail(
                    f"{source} does not exist in the build context ({subject.image.context})",
                    where,
                    ko=f"`{source}`: 빌드 컨텍스트(`{subject.image.context}`)에 없음",
                )
        if not seen:
            yield self.skip("no COPY from the build context", ko="빌드 컨텍스트에서 COPY 없음")
