"""container-structure-test's matching rules, checked without an engine."""

from __future__ import annotations

import stat
import tarfile

import pytest

from dockbuild.imagetest.cst import matching
from dockbuild.imagetest.cst.records import EnvVar


def member(kind: bytes, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo("x")
    info.type = kind
    info.mode = mode
    return info


@pytest.mark.parametrize(
    ("kind", "mode", "expected"),
    [
        (tarfile.REGTYPE, 0o644, "-rw-r--r--"),
        (tarfile.REGTYPE, 0o755, "-rwxr-xr-x"),
        (tarfile.DIRTYPE, 0o755, "drwxr-xr-x"),
        (tarfile.SYMTYPE, 0o777, "Lrwxrwxrwx"),
        (tarfile.REGTYPE, 0o755 | stat.S_ISUID, "urwxr-xr-x"),
        (tarfile.REGTYPE, 0o2755, "grwxr-xr-x"),
        (tarfile.DIRTYPE, 0o1777, "dtrwxrwxrwx"),
        (tarfile.CHRTYPE, 0o666, "Dcrw-rw-rw-"),
        (tarfile.BLKTYPE, 0o660, "Drw-rw----"),
        (tarfile.FIFOTYPE, 0o600, "prw-------"),
    ],
)
def test_modes_read_as_go_writes_them(kind: bytes, mode: int, expected: str) -> None:
    assert matching.go_mode_string(member(kind, mode)) == expected


@pytest.mark.parametrize(
    ("mode", "who", "expected"),
    [(0o744, "owner", True), (0o744, "group", False), (0o701, "other", True),
     (0o010, "any", True), (0o644, "any", False)],
)
def test_executable_by(mode: int, who: str, expected: bool) -> None:
    assert matching.is_executable_by(mode, who) is expected


def test_regexes_match_anywhere_and_excluded_ones_nowhere() -> None:
    text = "Python 3.11.7\n"
    assert matching.output_problems(text, ["3\\.11", "^Python"], ["2\\.7"], "stdout") == []
    problems = [en for en, _ko in matching.output_problems(text, ["3\\.13"], ["Python"],
                                                           "stdout")]
    assert problems[0] == "expected stdout to match '3\\\\.13'"
    assert problems[1].startswith("stdout matched the excluded 'Python'; stdout was: ")


def test_env_and_labels_compare_exactly_or_by_regex() -> None:
    actual = {"PATH": "/home/appuser/.local/bin:/usr/bin", "MODE": "prod"}
    ok = [EnvVar("PATH", r"\.local/bin", True), EnvVar("MODE", "prod")]
    assert matching.env_problems(ok, actual, "env") == []
    bad = [EnvVar("MODE", "pro"), EnvVar("NOPE", "x"), EnvVar("PATH", "^/usr", True)]
    assert [en for en, _ko in matching.env_problems(bad, actual, "env")] == [
        "env MODE is 'prod', expected 'pro'",
        "env NOPE is not set",
        "env PATH='/home/appuser/.local/bin:/usr/bin' does not match '^/usr'",
    ]


def test_env_mapping() -> None:
    assert matching.env_mapping(["A=1", "B=x=y", "C="]) == {"A": "1", "B": "x=y", "C": ""}


@pytest.mark.parametrize(
    ("wanted", "exposed", "expected"),
    [
        ("8080", ["8080/tcp"], True),
        ("8080/tcp", ["8080/tcp"], True),  # the real tool says no: deliberate.yaml
        ("8080/TCP", ["8080/tcp"], True),
        ("8080/udp", ["8080/tcp"], False),
        ("53/udp", ["53/udp"], True),
        ("53", ["53/udp"], True),
        ("8080", ["80/tcp", "18080/tcp"], False),
        ("08080", ["8080/tcp"], True),
        ("8080", [], False),
    ],
)
def test_ports_compare_numbers_and_protocols_where_both_give_one(
        wanted: str, exposed: list[str], expected: bool) -> None:
    assert matching.port_exposed(wanted, exposed) is expected


def test_port_problems_cover_exposed_and_unexposed() -> None:
    actual = {"8080/tcp": {}}
    assert matching.port_problems(["8080"], ["8080/tcp"], actual) == [
        ("port 8080/tcp is exposed but should not be", "포트 `8080/tcp` EXPOSE: 없어야 함")]
    assert [en for en, _ko in matching.port_problems(["9000"], ["22"], None)] == [
        "port 9000 is not exposed (exposed: none)"]


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"a$", "a\n", False),  # RE2's $ is the very end, no final-newline allowance
        (r"\d", "\u0663", False),  # \d is ASCII only
        (r"\s", "\v", False),
        (r"\w", "\u00e9", False),
        (r"[[:digit:]]", "5", True),  # a POSIX class, not a set of characters
        (r"\pL", "\u00e9", True),
        (r"x\z", "x", True),
        (r"\Qa.b\E", "a.b", True),
        (r"(?U)a+$", "aa", True),
        (r"(?m)^two$", "one\ntwo\n", True),
    ],
)
def test_patterns_are_go_re2(pattern: str, text: str, matches: bool) -> None:
    assert matching.search(pattern, text) is matches


@pytest.mark.parametrize("pattern", ["(?=a)", r"(a)\1", "a++", r"\Z", "a{1001}", "[abc"])
def test_a_pattern_re2_refuses_fails_the_test_with_its_reason(pattern: str) -> None:
    expected = matching.output_problems("abc", [pattern], [], "stdout")
    excluded = matching.output_problems("abc", [], [pattern], "stdout")
    for problems in (expected, excluded):
        assert len(problems) == 1 and "not a valid RE2 regular expression" in problems[0][0]
        assert "RE2 정규식이 아님" in problems[0][1]


def test_a_refused_metadata_regex_fails_that_variable() -> None:
    problems = matching.env_problems([EnvVar("A", "(?=x)", True)], {"A": "x"}, "env")
    assert problems and "not a valid RE2" in problems[0][0] and "정규식" in problems[0][1]


def test_executable_by_an_unknown_class_fails() -> None:
    assert [en for en, _ko in matching.executable_problems(0o755, "everyone", "/x")] == [
        "isExecutableBy 'everyone' is not recognised (use owner, group, other, any)"]
    assert matching.executable_problems(0o750, "other", "/x") == [
        ("/x is not executable by other", "`/x`: `other` 실행 권한 없음")]
    assert matching.executable_problems(0o751, "other", "/x") == []
