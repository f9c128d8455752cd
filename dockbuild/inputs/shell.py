"""What a RUN's shell text does, as a flat list of simple commands (bashlex, shlex fallback).

Rules ask questions such as "does this RUN update, install and clean apt's lists"
or "which requirements file does pip install"; they need the commands of an
``a && b || c; d`` chain, not the text. bashlex parses like bash; for what it
cannot parse (arithmetic, some compound forms) shlex's operator-aware
tokenizer gives a close approximation, so a rule never fails on odd shell.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import shlex
from collections.abc import Iterator
from typing import Any

_OPERATORS = frozenset({"&&", "||", ";", "|", "&", "\n", ";;"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_WRAPPERS = frozenset({"sudo", "env", "command", "exec", "nice", "nohup", "time"})
#: A script of plain words and the control operators ``&& || ; | &`` only: no quote,
#: expansion, redirection, glob, comment, grouping or reserved word. Its simple commands
#: are the runs of words between operators, as bash's grammar has it (tested against
#: bashlex on every RUN of the lint corpus), so such a script skips bashlex's parser.
_PLAIN = re.compile(r"[A-Za-z0-9_./=:@%+,*?\[\]\-&|; \t]*")
_TOKEN = re.compile(r"&&|\|\||[;|&]|[^\s;|&]+")
_CONTROL = _OPERATORS - {"\n", ";;"}  # the operators a plain script may hold
_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
                       "while", "until", "do", "done", "in", "function", "time", "coproc",
                       "[[", "]]"})


@dataclasses.dataclass(frozen=True, slots=True)
class Command:
    """One simple command: its words, and the operator that joined it to the one before."""

    argv: tuple[str, ...]
    op: str = ""
    # argv without leading assignments and wrappers such as ``sudo`` (worked out once)
    words: tuple[str, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = self.argv
        index = 0
        while index < len(words):
            if _ASSIGNMENT.match(words[index]):
                index += 1
            elif words[index] in _WRAPPERS:
                index += 1
                while index < len(words) and words[index].startswith("-"):
                    index += 1
            else:
                break
        object.__setattr__(self, "words", words[index:])

    @property
    def program(self) -> str:
        """Return the program's base name, past ``sudo``/``env`` and ``VAR=value`` words."""
        return self.words[0].rsplit("/", 1)[-1] if self.words else ""

    @property
    def args(self) -> tuple[str, ...]:
        """Return the words after the program name."""
        return self.words[1:]

    @property
    def subcommand(self) -> str:
        """Return the first non-option argument (``install`` in ``apt-get -y install``)."""
        return next((word for word in self.args if not word.startswith("-")), "")

    def has_option(self, *names: str) -> bool:
        """Return True when any of ``names`` is given (``-y`` also matches inside ``-qy``)."""
        for word in self.args:
            for name in names:
                if word == name or word.startswith(f"{name}="):
                    return True
                short = len(name) == 2 and name[0] == "-" and name[1] != "-"
                if short and word.startswith("-") and not word.startswith("--") and name[1] in word:
                    return True
        return False


def commands(script: str) -> tuple[Command, ...]:
    """Return the simple commands of a shell script, in order."""
    return _commands(script)


@functools.lru_cache(maxsize=4096)
def _commands(script: str) -> tuple[Command, ...]:
    plain = _plain(script)
    return plain if plain is not None else _parsed(script)


def _parsed(script: str) -> tuple[Command, ...]:
    """Return the commands bashlex's parse tree holds (shlex's split when it gives up)."""
    import bashlex  # deferred: ~0.3 s to import (it builds its parse tables)

    try:
        trees = bashlex.parse(script)
    except Exception:
        return _fallback(script)
    found: list[Command] = []
    for tree in trees:
        _collect(tree, found, "\n" if found else "")
    return tuple(found)


def _collect(node: Any, found: list[Command], op: str) -> str:
    """Append the commands under ``node``; return the operator pending for the next one."""
    if node.kind == "command":
        words = tuple(part.word for part in node.parts if part.kind in {"word", "assignment"})
        found.append(Command(words, op))
        for part in node.parts:  # $(...) inside a word runs too
            for sub in getattr(part, "parts", ()):
                if sub.kind == "commandsubstitution":
                    _collect(sub.command, found, ";")
        return ""
    if node.kind == "operator":
        return str(node.op)
    if node.kind == "pipe":
        return "|"
    pending = op
    for child in getattr(node, "parts", None) or getattr(node, "list", None) or []:
        if child.kind != "reservedword":
            pending = _collect(child, found, pending)
    return pending


def _plain(script: str) -> tuple[Command, ...] | None:
    """Return the commands of a :data:`_PLAIN` script; None for any other (bashlex's)."""
    text = script.replace("\\\n", " ")
    if not _PLAIN.fullmatch(text):
        return None
    found: list[Command] = []
    words: list[str] = []
    op = ""
    for token in _TOKEN.findall(text):
        if token in _CONTROL:
            if not words:  # a leading or doubled operator: bash's grammar decides
                return None
            found.append(Command(tuple(words), op))
            words, op = [], token
        elif token in _RESERVED:
            return None
        else:
            words.append(token)
    if words:
        found.append(Command(tuple(words), op))
    elif op not in {"", ";", "&"}:  # "a &&" at the end: let bashlex refuse it
        return None
    return tuple(found)


def _fallback(script: str) -> tuple[Command, ...]:
    """Split on shell operators with shlex when bashlex gives up."""
    lexer = shlex.shlex(
        script.replace("\\\n", " ").replace("\n", " ; "), posix=True, punctuation_chars=";&|"
    )
    lexer.whitespace_split = True
    found: list[Command] = []
    words: list[str] = []
    op = ""
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: split on whitespace, keep going
        tokens = script.split()
    for token in tokens:
        if token in _OPERATORS:
            if words:
                found.append(Command(tuple(words), op))
            words, op = [], token
        else:
            words.append(token)
    if words:
        found.append(Command(tuple(words), op))
    return tuple(found)


def apt_calls(cmds: tuple[Command, ...]) -> Iterator[Command]:
    """Yield the apt-get/apt commands."""
    return (c for c in cmds if c.program in {"apt-get", "apt"})


def pip_installs(cmds: tuple[Command, ...]) -> Iterator[Command]:
    """Yield ``pip install`` commands, also as ``python -m pip install``, normalised to pip."""
    for cmd in cmds:
        words = cmd.words
        program = cmd.program
        if program.startswith("python") and words[1:3] == ("-m", "pip"):
            words = ("pip", *words[3:])
            program = "pip"
        if program.startswith("pip") and (
            program[3:] == "" or program[3:].replace(".", "").isdigit()
        ):
            pip = Command(("pip", *words[1:]), cmd.op)
            if pip.subcommand == "install":
                yield pip


def requirement_files(cmd: Command) -> tuple[str, ...]:
    """Return the files a pip install reads with ``-r``/``--requirement``."""
    files: list[str] = []
    args = cmd.args
    for index, word in enumerate(args):
        if word in {"-r", "--requirement"} and index + 1 < len(args):
            files.append(args[index + 1])
        elif word.startswith("--requirement="):
            files.append(word.split("=", 1)[1])
        elif word.startswith("-r") and len(word) > 2:
            files.append(word[2:])
    return tuple(files)
