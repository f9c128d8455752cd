"""dockbuild.inputs.words against BuildKit's own lexer cases (shell/envVarTest, lex_test.go).

The table is ported from moby/buildkit frontend/dockerfile/shell: the
environment there is PWD=/home, SHELL=bash, NULL= (set, empty); ``None``
means BuildKit refuses the word.
"""

from __future__ import annotations

import pytest

from dockbuild.inputs.words import WordError, escape_token, expand

ENV = {"PWD": "/home", "SHELL": "bash", "NULL": ""}

CASES = [
    ("hello", "hello"), ("he'll'o", "hello"), ("he'llo", None), ("he\\'llo", "he'llo"),
    ("he\\\\'llo", None), ("abc\\tdef", "abctdef"), ('"abc\\tdef"', "abc\\tdef"),
    ('"abc\\\\tdef"', "abc\\tdef"), ("'abc\\tdef'", "abc\\tdef"), ("hello\\", "hello"),
    ("hello\\\\", "hello\\"), ('"hello', None), ('"hello\\"', None), ('"hel\'lo"', "hel'lo"),
    ("'hello", None), ("'hello\\'", "hello\\"), ('"\'\'"', "''"), ("$.", "$."),
    ("he$1x", "hex"), ("he$.x", "he$.x"), ("he$pwd.", "he."), ("he$PWD", "he/home"),
    ("he\\$PWD", "he$PWD"), ("he\\\\$PWD", "he\\/home"), ('"he\\$PWD"', "he$PWD"),
    ('"he\\\\$PWD"', "he\\/home"), ("\\${}", "${}"), ("he\\${}xx", "he${}xx"),
    ("${}", None), ("he${}xx", None), ("he${hi}xx", "hexx"), ("he${PWD}", "he/home"),
    ("he${.}", None), ("he${XXX:-000}xx", "he000xx"), ("he${PWD:-000}xx", "he/homexx"),
    ("he${XXX:-$PWD}xx", "he/homexx"), ("he${XXX:-${PWD:-yyy}}xx", "he/homexx"),
    ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"), ("he${XXX:YYY}", None), ("he${XXX?}", None),
    ("he${XXX:?}", None), ("he${PWD?}", "he/home"), ("he${NULL?}", "he"),
    ("he${NULL:?}", None), ("he${XXX:+${PWD}}xx", "hexx"), ("he${PWD:+${XXX}}xx", "hexx"),
    ("he${PWD:+${SHELL}}xx", "hebashxx"), ("he${XXX:+000}xx", "hexx"),
    ("he${PWD:+000}xx", "he000xx"), ("'he${XX}'", "he${XX}"), ('"he${PWD}"', "he/home"),
    ('"he\'$PWD\'"', "he'/home'"), ('"$PWD"', "/home"), ("'$PWD'", "$PWD"),
    ("'\\$PWD'", "\\$PWD"), ("'\"hello\"'", '"hello"'), ("he${PWD", None),
    ("he${PWD:=000}xx", None), ("he${PWD:+${PWD}:}xx", "he/home:xx"),
    ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"), ("he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"),
    ("안'녕'하세요", "안녕하세요"), ("${aaa}}", "}"), ("${aaa:-bbb}}", "bbb}"),
    ("${aaa:-${bbb:-ccc}}", "ccc"), ("${aaa:-bbb {foo}", "bbb {foo"), ("${:-bbb}", None),
    ("$1", ""), ("${999:-bbb}aaa", "bbbaaa"), ("$001aaa", "aaa"), ("$@@@", "@@"),
    ("${#:-bbb}", "bbb"), ("$$", ""), ("${0:+bbb}", ""),
    # the pattern forms (lex_test.go TestProcessWithMatches / pattern tests)
    ("${PWD#/}", "home"), ("${PWD#*o}", "me"), ("${PWD##*o}", "me"), ("${SHELL%sh}", "ba"),
    ("${SHELL%?}", "bas"), ("${PWD%%/*}", ""), ("${PWD%/*}", ""), ("${SHELL/a/o}", "bosh"),
    ("${SHELL:#x}", None),
]


@pytest.mark.parametrize(("word", "expected"), CASES)
def test_expand_like_buildkit(word: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(WordError):
            expand(word, ENV)
    else:
        assert expand(word, ENV).value == expected


def test_unset_names_are_reported() -> None:
    assert expand('"${HOME}"/x', {}).unset == {"HOME"}
    assert expand("${A:-$PWD}", ENV).unset == {"A"}
    assert expand("$PWD", ENV).unset == frozenset()


def test_escape_directive() -> None:
    text = "# escape=`\nFROM windows\nENV GOPATH C:\\go\n"
    assert escape_token(text) == "`"
    assert escape_token("# syntax=docker/dockerfile:1\n# escape=`\nFROM x\n") == "`"
    assert escape_token("FROM x\n# escape=`\n") == "\\"
    assert expand("C:\\go", {}, "`").value == "C:\\go"
    assert expand("C:\\go", {}, "\\").value == "C:go"
    assert expand('"a`"b"', {}, "`").value == 'a"b'
