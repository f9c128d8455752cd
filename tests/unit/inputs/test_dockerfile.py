"""Dockerfile parsing: lines are the point, and bad input names its line."""

from __future__ import annotations

import pytest

from dockbuild.errors import DockerfileSyntaxError
from dockbuild.inputs import dockerfile


def parse(text: str) -> dockerfile.Dockerfile:
    return dockerfile.parse(text, "docker/api/Dockerfile")


def test_continuation_keeps_the_first_line_and_records_the_last() -> None:
    parsed = parse('FROM base\n\nRUN a \\\n    && b\nCMD ["x"]\n')
    assert [(i.keyword, i.line, i.end_line) for i in parsed.instructions] == [
        ("FROM", 1, 1), ("RUN", 3, 4), ("CMD", 5, 5)]
    assert parsed.span_of(parsed.instructions[1]).text == "RUN a \\\n    && b"


def test_the_escape_directive_changes_the_continuation_character() -> None:
    parsed = parse("# escape=`\nFROM base\nRUN a `\n    && b\n")
    assert [(i.keyword, i.line, i.end_line) for i in parsed.instructions] == [
        ("FROM", 2, 2), ("RUN", 3, 4)]


def test_a_heredoc_body_is_the_script_of_its_run() -> None:
    parsed = parse("FROM base\nRUN <<EOF\napt-get update\nEOF\nUSER app\n")
    run = parsed.instructions[1]
    assert (run.line, run.end_line) == (2, 4)
    assert run.script == "apt-get update\n"


def test_stages_and_global_args() -> None:
    parsed = parse("ARG B=x:1\nFROM ${B} AS build\nRUN a\nFROM build\nCMD [\"y\"]\n")
    assert [(s.name, s.image, len(s.body)) for s in parsed.stages] == [
        ("build", "${B}", 1), (None, "build", 1)]
    assert [a.args for a in parsed.global_args] == [("B=x:1",)]


def test_pragmas_apply_to_the_instruction_below_their_comment_block() -> None:
    parsed = parse(
        "FROM base\n"
        "# lint: ignore=DF101,apt-installs-recommends kept apart on purpose\n"
        "RUN a\n"
        "# lint: ignore=DF104 a blank line ends the block\n"
        "\n"
        "RUN b\n"
        "# the report upgrades pip itself\n"
        "# hadolint ignore=DL3013\n"
        "RUN c\n"
    )
    first, second, third = parsed.instructions[1:]
    assert first.pragmas[0].codes == {"DF101", "apt-installs-recommends"}
    assert first.pragmas[0].reason == "kept apart on purpose"
    assert second.pragmas == ()
    assert third.pragmas[0].tool == "hadolint"
    assert third.pragmas[0].reason == "the report upgrades pip itself"


def test_global_pragmas_cover_the_whole_file() -> None:
    parsed = parse("# hadolint global ignore=DL3003\nFROM base\nRUN a\n")
    assert [p.codes for p in parsed.file_pragmas] == [{"DL3003"}]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, "has no instructions"),
    ("# only a comment\n", 1, "has no instructions"),
    ("FROM a\nRUN <<EOF\necho never closed\n", 2, "unterminated heredoc"),
    ("FROM a\nRUN ok\nRUNN typo\n", 3, "unknown instruction 'RUNN'"),
])
def test_bad_input_names_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(DockerfileSyntaxError) as info:
        parse(text)
    assert info.value.where is not None and info.value.where.line == line
    assert message in info.value.message


def test_bytes_that_are_not_utf8_name_their_line() -> None:
    with pytest.raises(DockerfileSyntaxError) as info:
        dockerfile.decode(b"FROM a\nRUN echo ok\nRUN echo caf\xe9\n", "Dockerfile")
    assert str(info.value).startswith("Dockerfile:3: is not valid UTF-8")


def test_a_bom_is_dropped_and_crlf_parses() -> None:
    text = dockerfile.decode(b"\xef\xbb\xbfFROM a\r\nRUN b \\\r\n  c\r\n", "Dockerfile")
    parsed = parse(text)
    assert [(i.keyword, i.line, i.end_line) for i in parsed.instructions] == [
        ("FROM", 1, 1), ("RUN", 2, 3)]


def test_flags_are_read_by_name() -> None:
    copy = parse("FROM a\nCOPY --chown=app:app --from=b x y\n").instructions[1]
    assert copy.flag("chown") == "app:app"
    assert copy.flag("from") == "b"
    assert copy.flag("chmod") is None
