"""Dockerfile words as BuildKit's shell lexer reads them: quotes, escapes, ``$VAR``.

The engine expands the arguments of ADD, COPY, ENV, EXPOSE, FROM, LABEL,
STOPSIGNAL, USER, VOLUME and WORKDIR itself (RUN is left to the shell), with
the rules of moby/buildkit frontend/dockerfile/shell/lex.go, ported here:
single quotes keep everything, double quotes keep all but ``$`` and the
escape character before ``"``, ``$`` or itself; the escape character
(``\\`` or what ``# escape=`` says) escapes anything outside quotes; ``$X``,
``${X}``, ``${X:-w}``, ``${X-w}``, ``${X:+w}``, ``${X+w}``, ``${X?w}``,
``${X#p}``/``##``, ``${X%p}``/``%%`` and ``${X/p/r}``; a name that is not
set is empty. ``expand`` also says which names were asked for and not set,
so a caller can tell "empty" from "set somewhere lint cannot see".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

_SPECIAL = frozenset("@*#?-$!0")
_DIRECTIVE = re.compile(r"^#\s*([A-Za-z]+)\s*=\s*(\S*)\s*$")


class WordError(ValueError):
    """The word is one BuildKit refuses (unbalanced quote, bad substitution)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Word:
    """An expanded word and the variable names it used that were not set."""

    value: str
    unset: frozenset[str] = frozenset()


def escape_token(text: str) -> str:
    """Return the escape character the ``# escape=`` parser directive chooses (``\\``)."""
    for line in text.splitlines():
        match = _DIRECTIVE.match(line.strip())
        if match is None:
            break
        if match[1].lower() == "escape" and match[2] in {"\\", "`"}:
            return match[2]
    return "\\"


def plain(word: str, escape: str = "\\") -> bool:
    """Return True when ``word`` has nothing to expand: no ``$``, quote or escape character
    (it then stands for itself, and most COPY sources and destinations are such words)."""
    return "$" not in word and "'" not in word and '"' not in word and escape not in word


def expand(word: str, env: Mapping[str, str], escape: str = "\\") -> Word:
    """Return ``word`` with quotes removed and variables substituted, as BuildKit does."""
    if plain(word, escape):
        return Word(word)
    lexer = _Lexer(word, env, escape)
    return Word(lexer.until(None, raw_escapes=False), frozenset(lexer.unset))


def value(word: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """Return the expanded word; a word BuildKit would refuse is returned as written."""
    try:
        return expand(word, env, escape).value
    except WordError:
        return word


class _Lexer:
    def __init__(self, text: str, env: Mapping[str, str], escape: str) -> None:
        self.text, self.pos, self.env, self.escape = text, 0, env, escape
        self.unset: set[str] = set()

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        ch = self.peek()
        self.pos += 1 if ch else 0
        return ch

    def get(self, name: str) -> tuple[str, bool]:
        if name in self.env:
            return self.env[name], True
        self.unset.add(name)
        return "", False

    def until(self, stop: str | None, *, raw_escapes: bool) -> str:
        out: list[str] = []
        while ch := self.peek():
            if ch == stop:
                self.next()
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
            elif ch == "'":
                out.append(self.single())
            elif ch == '"':
                out.append(self.double(raw_escapes=raw_escapes))
            else:
                self.next()
                if ch == self.escape:
                    if raw_escapes:
                        out.append(ch)
                    ch = self.next()
                    if not ch:
                        break
                out.append(ch)
        if stop is not None:
            msg = f"unexpected end of statement while looking for matching {stop}"
            raise WordError(msg)
        return "".join(out)

    def single(self) -> str:
        self.next()
        out: list[str] = []
        while (ch := self.next()) != "'":
            if not ch:
                msg = "unexpected end of statement while looking for matching single-quote"
                raise WordError(msg)
            out.append(ch)
        return "".join(out)

    def double(self, *, raw_escapes: bool) -> str:
        self.next()
        out: list[str] = []
        while True:
            ch = self.peek()
            if not ch:
                msg = "unexpected end of statement while looking for matching double-quote"
                raise WordError(msg)
            if ch == '"':
                self.next()
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            self.next()
            if ch == self.escape:
                if raw_escapes:
                    out.append(ch)
                if not self.peek():
                    continue
                if self.peek() in {'"', "$", self.escape}:
                    ch = self.next()
            out.append(ch)

    def name(self) -> str:
        ch = self.peek()
        if ch.isdigit():
            start = self.pos
            while self.peek().isdigit():
                self.next()
            return self.text[start : self.pos]
        if ch and ch in _SPECIAL:
            return self.next()
        start = self.pos
        while (ch := self.peek()) and (ch.isalnum() or ch == "_"):
            self.next()
        return self.text[start : self.pos]

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            return self.get(name)[0] if name else "$"
        self.next()
        if not self.peek():
            msg = "syntax error: missing '}'"
            raise WordError(msg)
        if self.peek() in "{}:":
            msg = "syntax error: bad substitution"
            raise WordError(msg)
        name = self.name()
        op = self.next()
        if op == "}":
            return self.get(name)[0]
        null_is_unset = op == ":"
        if null_is_unset:
            op = self.next()
        if op == "/" and not null_is_unset:
            return self.replace(name)
        if op not in {"+", "-", "?", "#", "%"} or (null_is_unset and op in "#%"):
            msg = f"unsupported modifier ({':' if null_is_unset else ''}{op}) in substitution"
            raise WordError(msg)
        try:
            word = self.until("}", raw_escapes=op in "#%")
        except WordError:
            msg = "syntax error: missing '}'"
            raise WordError(msg) from None
        current, is_set = self.get(name)
        empty = not is_set or (null_is_unset and current == "")
        if op == "-":
            return word if empty else current
        if op == "+":
            return "" if empty else word
        if op == "?":
            if empty:
                msg = f"{name}: {word or 'is not allowed to be unset or empty'}"
                raise WordError(msg)
            return current
        greedy = word.startswith(op)
        pattern = word[1:] if greedy else word
        if op == "#":
            return _trim_prefix(pattern, current, greedy=greedy)
        return _trim_prefix(_reverse_pattern(pattern), current[::-1], greedy=greedy)[::-1]

    def replace(self, name: str) -> str:
        every = self.peek() == "/"
        if every:
            self.next()
        try:
            pattern = self.until("/", raw_escapes=True)
            replacement = self.until("}", raw_escapes=True)
        except WordError:
            msg = "syntax error: missing '/' or '}' in ${}"
            raise WordError(msg) from None
        current = self.get(name)[0]
        regex = _pattern(pattern, greedy=True, anchored=False)
        return regex.sub(replacement.replace("\\", "\\\\"), current, count=0 if every else 1)


def _pattern(pattern: str, *, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """A shell pattern (``*``, ``?``, ``\\x``; no brackets) as a regular expression."""
    out = ["^"] if anchored else []
    index = 0
    while index < len(pattern):
        ch = pattern[index]
        index += 1
        if ch == "*":
            out.append(".*" if greedy else ".*?")
        elif ch == "?":
            out.append(".")
        elif ch == "\\":
            if index < len(pattern) and pattern[index] in "}/":
                continue
            following = pattern[index] if index < len(pattern) else ""
            if following not in {"*", "?", "\\"}:
                msg = f"invalid escape '\\{following}'"
                raise WordError(msg)
            out.append(re.escape(following))
            index += 1
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.DOTALL)


def _trim_prefix(pattern: str, text: str, *, greedy: bool) -> str:
    match = _pattern(pattern, greedy=greedy, anchored=True).search(text)
    return text[match.end() :] if match else text


def _reverse_pattern(pattern: str) -> str:
    """Reverse a pattern, keeping each ``\\x`` escape in front of its character."""
    pieces: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern[index] == "\\" and index + 1 < len(pattern):
            pieces.append(pattern[index : index + 2])
            index += 2
        else:
            pieces.append(pattern[index])
            index += 1
    return "".join(reversed(pieces))
