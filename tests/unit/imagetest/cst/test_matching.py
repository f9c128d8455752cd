"""container-structure-test's matching rules, checked without an engine."""

from __future__ import annotations

import stat
import tarfile

import pytest

from dockbuild.imagetest.cst import matching
from dockbuild.imagetest.cst.schema import EnvVar


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


def test_env_mapping_and_ports() -> None:
    assert matching.env_mapping(["A=1", "B=x=y", "C="]) == {"A": "1", "B": "x=y", "C": ""}
    assert matching.port_numbers({"8000/tcp": {}}) == {"8000", "8000/tcp"}
    assert matching.port_numbers(None) == set()
