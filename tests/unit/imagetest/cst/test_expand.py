"""``$VAR`` expansion: Go's os.Expand with the image's env, unknown names empty."""

from __future__ import annotations

import pytest

from dockbuild.imagetest.cst import expand

ENV = {"MODE": "prod", "APP_HOME": "/app"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$MODE", "prod"),
        ("${APP_HOME}/x", "/app/x"),
        ("[$NO_SUCH_VAR]", "[]"),
        ("X=local; echo $X", "X=local; echo "),  # before any shell sees it
        ("exit $0", "exit "),  # $0..$9 and $* $# $$ ... are names too
        ("$$", ""),
        ("a$", "a$"),  # nothing follows: the dollar stays
        ("$ x", "$ x"),
        ("x${}y", "xy"),  # bad syntax is eaten
        ("${", ""),
        ("${MODE", "MODE"),
        ("$MODE_x", ""),
        ("${MODE}_x", "prod_x"),
        ("no dollar", "no dollar"),
    ],
)
def test_expansion_is_os_expand(text: str, expected: str) -> None:
    assert expand.with_env(text, ENV) == expected


def test_argv_expands_each_word() -> None:
    assert expand.argv(("$APP_HOME/bin/run.sh", "$MODE", "3"), ENV) == ("/app/bin/run.sh",
                                                                         "prod", "3")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$APP_HOME/manage.py", "/app/manage.py"),
        ("/${APP_HOME}/x", "/app/x"),
        ("$NO_SUCH_VAR/etc/passwd", "/etc/passwd"),
        ("etc/passwd", "/etc/passwd"),
    ],
)
def test_paths_are_read_from_the_root(path: str, expected: str) -> None:
    assert expand.path(path, ENV) == expected
