"""Faults that must stop a build or a push before it starts, with exit 2 and the fix."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dockbuild import commands
from dockbuild.errors import EnvironmentProblem

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_an_unreachable_engine_exits_2_with_the_fix(run_cli: RunCli) -> None:
    result = run_cli("build", env={"DOCKER_HOST": "tcp://127.0.0.1:1"})
    assert result.returncode == 2
    assert "no Docker engine answers at tcp://127.0.0.1:1" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_variant_is_unusable_input(run_cli: RunCli) -> None:
    result = run_cli("build", "--python", "2.7")
    assert result.returncode == 2
    assert "--python 2.7 is not a variant" in result.stderr


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_registry_is_exit_2_before_any_engine_is_asked(
        repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")  # would fail loudly if asked
    host = f"127.0.0.1:{_closed_port()}"
    with pytest.raises(EnvironmentProblem, match="does not answer") as caught:
        commands.push(repo_root, registry=host)
    assert caught.value.exit_code == 2
    with pytest.raises(EnvironmentProblem, match="does not answer"):
        commands.build(repo_root, services=["api"], cache_from=host)
