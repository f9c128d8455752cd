"""DF001: the Dockerfile parses the way the engine parses it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class DockerfileUnparseable(Rule):
    """The Dockerfile must parse with BuildKit's own parser.

    Why: an unknown instruction, an unterminated heredoc, bytes that are not
    UTF-8 or a file with no instruction at all stop ``docker build`` before it
    starts. Lint reports the file and line and goes on with the other files;
    the run then exits with 2 (unusable input).

    Bad::

        FROM academy-base:latest
        RUN <<EOF
        echo "the heredoc is never closed"

    Good::

        FROM academy-base:latest
        RUN <<EOF
        echo "closed"
        EOF
    """

    code = "DF001"
    name = "dockerfile-unparseable"
    severity = Severity.ERROR
    requirement_ko = "Dockerfile이 BuildKit 파서로 읽힘"
    requirement_en = "the Dockerfile parses with BuildKit's parser"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Pass for a parsed file; the engine reports the failures, which come from the parser."""
        assert subject.dockerfile is not None
        first = subject.dockerfile.instructions[0]
        yield self.ok("parses with BuildKit's parser", subject.span(first),
                      ko="BuildKit 파서로 읽힘")


#: the parser's own messages (dockbuild.inputs.dockerfile, BuildKit) -> Korean
_PARSER_KO = (
    (re.compile(r"unknown instruction '?([^']*)'?"), "알 수 없는 명령어 `{0}`"),
    (re.compile(r"is not valid UTF-8 \(byte (\w+)\)"), "UTF-8이 아님 (바이트 `{0}`)"),
    (re.compile(r"has no instructions"), "명령어 없음 (비었거나 주석뿐)"),
    (re.compile(r"has no FROM"), "`FROM` 없음"),
    (re.compile(r"heredoc"), "끝나지 않은 heredoc"),
)


def unparseable_ko(message: str) -> str:
    """Return the Korean message for a parse failure; BuildKit's other errors point to English."""
    for pattern, korean in _PARSER_KO:
        if match := pattern.search(message):
            return korean.format(*match.groups())
    return "BuildKit 파서가 읽지 못함 (원문은 영어 보고서 참조)"
