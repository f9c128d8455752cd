"""RE2 through google-re2: Go's syntax and semantics, and RE2's reason for a refusal."""

from __future__ import annotations

import pytest

from dockbuild.imagetest.cst import regex


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"\bcaf", "café", True),
        ("é\\b", "éa", True),  # \b is ASCII: é is not a word character
        (r"a(?i)B", "ab", True),
        (r"(?<n>a)", "a", True),
        (r"\x{41}", "A", True),
        (r"\s", "\xa0", False),
        ("^$", "", True),
    ],
)
def test_search_follows_go(pattern: str, text: str, matches: bool) -> None:
    assert regex.search(pattern, text) is matches


def test_a_refused_pattern_raises_with_re2s_reason() -> None:
    with pytest.raises(regex.RegexError, match="missing ]"):
        regex.search("[abc", "abc")
    assert regex.problem("(?=a)") == "invalid perl operator: (?="
    assert regex.problem("a{2}") is None


def test_refusals_are_not_printed(capfd: pytest.CaptureFixture[str]) -> None:
    assert regex.problem("a{1001}") is not None
    assert capfd.readouterr().err == ""
