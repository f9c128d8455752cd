"""DF002: Unix line endings."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class CrlfLineEndings(Rule):
    """Save Dockerfiles with Unix (LF) line endings, not Windows (CRLF) ones.

    Why: the parser tolerates ``\\r\\n`` between instructions, but a heredoc
    body or a ``RUN`` continuation keeps the ``\\r``: scripts then fail with
    ``$'\\r': command not found`` inside the build.

    Bad::

        FROM academy-base:latest\\r
        RUN echo hi\\r

    Good::

        FROM academy-base:latest
        RUN echo hi
    """

    code = "DF002"
    name = "crlf-line-endings"
    severity = Severity.WARNING
    requirement_ko = "Dockerfile 줄 끝은 LF"
    requirement_en = "Dockerfile lines end with LF"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Fail at the first line that ends with CRLF."""
        assert subject.dockerfile is not None
        text = subject.dockerfile.text
        offset = text.find("\r\n")
        if offset < 0:
            yield self.ok("LF line endings", subject.span(subject.dockerfile.instructions[0]),
                          ko="줄 끝 LF")
            return
        line = text.count("\n", 0, offset) + 1
        count = text.count("\r\n")
        yield self.fail(
            f"line ends with CRLF ({count} such lines); save the file with LF endings",
            subject.dockerfile.span(line),
            ko=f"줄 끝이 CRLF (모두 {count}줄): LF로 저장해야 함",
        )
