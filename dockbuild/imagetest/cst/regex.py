"""Go's ``regexp`` as container-structure-test uses it: RE2 syntax and semantics, via google-re2.

The real tool calls ``regexp.Compile(pattern)`` then ``MatchString(text)`` for
every expectedOutput/excludedOutput/expectedError/excludedError,
expectedContents/excludedContents and ``isRegex`` metadata value. RE2 differs
from Python's ``re``: ``\\d \\w \\s \\b`` are ASCII, ``$`` matches only at the very
end (no final-newline allowance), ``\\z``, ``\\pL``, ``\\Q...\\E``, ``(?U)`` exist,
and lookarounds, backreferences, possessive quantifiers and repeat counts above
1000 do not. A pattern RE2 refuses makes ``regexp.Compile`` fail, and the tool
then fails that one test; :class:`RegexError` carries RE2's reason for it.
"""

from __future__ import annotations

import functools
from typing import Any


class RegexError(ValueError):
    """RE2 refuses the pattern; the message is RE2's own reason."""


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> Any:
    import re2  # google-re2; imported on first use, so start-up does not pay for it

    options = re2.Options()
    options.log_errors = False  # RE2 would print every refusal on stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else str(exc)
        if isinstance(reason, bytes):
            reason = reason.decode(errors="replace")
        raise RegexError(str(reason)) from None


def problem(pattern: str) -> str | None:
    """Return RE2's reason for refusing ``pattern``, or None when it compiles."""
    try:
        _compiled(pattern)
    except RegexError as exc:
        return str(exc)
    return None


def search(pattern: str, text: str) -> bool:
    """Return whether ``pattern`` matches anywhere in ``text`` (Go's ``MatchString``).

    Raises:
        RegexError: RE2 refuses the pattern.
    """
    return _compiled(pattern).search(text) is not None
