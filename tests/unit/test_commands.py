"""Faults that must stop a build before it starts, with exit 2 and the fix."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_an_unreachable_engine_exits_2_with_the_fix(run_cli: RunCli) -> None:
    result = run_cli("build", env={"DOCKER_HOST": "tcp://127.0.0.1:1"})
    assert result.returncode == 2
    assert "no Docker engine answers at tcp://127.0.0.1:1" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_names_the_missing_engine_and_its_fix(run_cli: RunCli) -> None:
    result = run_cli("doctor", env={"DOCKER_HOST": "tcp://127.0.0.1:1"})
    assert result.returncode == 2
    assert "MISSING engine" in result.stdout
    assert "inv engine-up" in result.stdout


def test_an_unknown_variant_is_unusable_input(run_cli: RunCli) -> None:
    result = run_cli("build", "--python", "2.7")
    assert result.returncode == 2
    assert "--python 2.7 is not a variant" in result.stderr
