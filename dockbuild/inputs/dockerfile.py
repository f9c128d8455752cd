"""Dockerfile text -> Instruction records, through BuildKit's own parser.

The ``dockerfile`` package wraps BuildKit's Go parser, so line numbers,
continuations, heredocs and the ``# escape=`` directive mean exactly what
they mean to the engine. This module adds what the parser leaves out: the
ignore pragmas above each instruction, the stages, and errors that name a line.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import dockerfile as buildkit

from dockbuild.errors import DockerfileSyntaxError, Location
from dockbuild.evidence import Span
from dockbuild.inputs.words import escape_token

KEYWORDS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)

# `# lint: ignore=DF101,DF102 reason`, `# hadolint ignore=DL3008`, `# hadolint global ignore=X`
_PRAGMA = re.compile(
    r"^#\s*(?P<tool>lint|hadolint)\s*:?\s*(?P<scope>global\s+)?ignore\s*=\s*(?P<codes>[\w,-]+)"
    r"\s*(?P<reason>.*)$"
)
_HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z_][\w.-]*)\2")


@dataclasses.dataclass(frozen=True, slots=True)
class Pragma:
    """An ignore comment: which codes it silences, why, and where it is."""

    codes: frozenset[str]
    reason: str
    line: int
    tool: str
    file_wide: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Heredoc:
    """A here-document attached to an instruction."""

    name: str
    content: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Instruction:
    """One instruction as BuildKit reads it, with the lines it spans."""

    keyword: str
    args: tuple[str, ...]
    flags: tuple[str, ...] = ()
    json: bool = False
    original: str = ""
    line: int
    end_line: int
    sub_keyword: str | None = None
    heredocs: tuple[Heredoc, ...] = ()
    pragmas: tuple[Pragma, ...] = ()

    def flag(self, name: str) -> str | None:
        """Return the value of ``--name=value`` (``--name`` alone gives ``""``), or None."""
        for flag in self.flags:
            key, _, value = flag.partition("=")
            if key == f"--{name}":
                return value
        return None

    @property
    def script(self) -> str:
        """Return the shell text a RUN executes (a lone heredoc's body when that is the command)."""
        if self.json:
            return " ".join(self.args)
        text = " ".join(self.args)
        if self.heredocs and _HEREDOC.fullmatch(text.strip()):
            return self.heredocs[0].content
        return text


@dataclasses.dataclass(frozen=True, slots=True)
class Stage:
    """The instructions from one FROM up to the next."""

    index: int
    name: str | None
    image: str
    start: Instruction
    body: tuple[Instruction, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Dockerfile:
    """A parsed Dockerfile: its text, instructions, stages and file-wide pragmas."""

    path: str
    text: str
    lines: tuple[str, ...]
    instructions: tuple[Instruction, ...]
    global_args: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    file_pragmas: tuple[Pragma, ...]
    escape: str = "\\"  # the ``# escape=`` directive's character

    def span(self, first: int, last: int | None = None) -> Span:
        """Return lines ``first..last`` (1-based, inclusive) as a Span with their text."""
        last = first if last is None else last
        return Span(self.path, first, last, "\n".join(self.lines[first - 1 : last]))

    def span_of(self, instruction: Instruction) -> Span:
        """Return the lines an instruction spans."""
        return self.span(instruction.line, instruction.end_line)

    @property
    def final(self) -> Stage | None:
        """Return the last stage (what the image is), if any."""
        return self.stages[-1] if self.stages else None


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (a BOM is dropped, as BuildKit does); bad bytes raise at their line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        raise DockerfileSyntaxError(
            msg, where=Location(Path(path), line), hint="save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def parse(text: str, path: str) -> Dockerfile:
    """Parse Dockerfile text; anything the engine would refuse raises at its line."""
    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError as exc:
        raise _located(str(exc), text, path) from None
    lines = tuple(text.splitlines())
    file_pragmas: list[Pragma] = []
    instructions: list[Instruction] = []
    previous_end = 0
    for command in commands:
        keyword = command.cmd.upper()
        if keyword not in KEYWORDS:
            msg = f"unknown instruction {command.cmd!r}"
            raise DockerfileSyntaxError(msg, where=Location(Path(path), command.start_line))
        pragmas, file_wide = _pragmas_above(lines, command.start_line, previous_end)
        file_pragmas += file_wide
        instructions.append(
            Instruction(
                keyword=keyword,
                args=tuple(command.value),
                flags=tuple(command.flags),
                json=command.json,
                original=command.original,
                line=command.start_line,
                end_line=command.end_line,
                sub_keyword=command.sub_cmd.upper() if command.sub_cmd else None,
                heredocs=tuple(Heredoc(h.name, h.content) for h in command.heredocs),
                pragmas=pragmas,
            )
        )
        previous_end = command.end_line
    return Dockerfile(
        path,
        text,
        lines,
        tuple(instructions),
        _global_args(instructions),
        _stages(instructions),
        tuple(file_pragmas),
        escape_token(text),
    )


def _pragmas_above(
    lines: tuple[str, ...], line: int, previous_end: int
) -> tuple[tuple[Pragma, ...], list[Pragma]]:
    """Return the pragmas in the comment block directly above ``line``, and file-wide ones.

    A pragma's reason is the text after its codes; hadolint's own parser
    allows nothing there, so for ``# hadolint ignore=`` the comment lines
    above the pragma in the same block serve as its reason.
    """
    top = line
    while top - 1 > previous_end and lines[top - 2].strip().startswith("#"):
        top -= 1
    own: list[Pragma] = []
    file_wide: list[Pragma] = []
    prose: list[str] = []
    for number in range(previous_end + 1, line):
        stripped = lines[number - 1].strip()
        match = _PRAGMA.match(stripped)
        if match is None:
            prose = [*prose, stripped.lstrip("#").strip()] if stripped.startswith("#") else []
            continue
        codes = frozenset(c for c in match["codes"].split(",") if c)
        reason = match["reason"].strip() or " ".join(p for p in prose if p)
        pragma = Pragma(codes, reason, number, match["tool"], bool(match["scope"]))
        if pragma.file_wide:
            file_wide.append(pragma)
        elif number >= top:
            own.append(pragma)
        prose = []
    return tuple(own), file_wide


def _global_args(instructions: list[Instruction]) -> tuple[Instruction, ...]:
    args: list[Instruction] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            break
        if instruction.keyword == "ARG":
            args.append(instruction)
    return tuple(args)


def _stages(instructions: list[Instruction]) -> tuple[Stage, ...]:
    stages: list[Stage] = []
    start: Instruction | None = None
    body: list[Instruction] = []
    for instruction in [*instructions, None]:
        if instruction is None or instruction.keyword == "FROM":
            if start is not None:
                args = start.args
                name = args[2] if len(args) >= 3 and args[1].upper() == "AS" else None
                stages.append(Stage(len(stages), name, args[0] if args else "", start, tuple(body)))
            start, body = instruction, []
        elif start is not None:
            body.append(instruction)
    return tuple(stages)


def _located(problem: str, text: str, path: str) -> DockerfileSyntaxError:
    """Turn a BuildKit parse error into one that names the line."""
    lines = text.splitlines()
    line: int | None = None
    if "no instructions" in problem:
        problem, line = "has no instructions (empty, or comments only)", 1
    elif "heredoc" in problem:
        line = _unterminated_heredoc(lines)
    elif match := re.search(r"line (\d+)", problem):
        line = int(match[1])
    else:  # "ENV must have two arguments" names no line: the shortest failing prefix does
        line = _first_failing(text, problem)
    return DockerfileSyntaxError(problem, where=Location(Path(path), line or 1))


def _first_failing(text: str, problem: str) -> int | None:
    kept = text.splitlines(keepends=True)
    for count in range(1, len(kept) + 1):
        try:
            buildkit.parse_string("".join(kept[:count]))
        except buildkit.GoParseError as exc:
            if str(exc) == problem:
                return count
    return None


def _unterminated_heredoc(lines: list[str]) -> int | None:
    """Return the line of the first ``<<NAME`` whose terminator never comes."""
    for number, text in enumerate(lines, start=1):
        if text.lstrip().startswith("#"):
            continue
        for match in _HEREDOC.finditer(text):
            name, strip_tabs = match[3], match[1] == "-"
            rest = lines[number:]
            if not any((r.lstrip("\t") if strip_tabs else r) == name for r in rest):
                return number
    return None
