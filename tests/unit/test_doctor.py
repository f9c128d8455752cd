"""The doctor: what a build lacks, with the fix."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_doctor_names_the_missing_engine_and_its_fix(run_cli: RunCli) -> None:
    result = run_cli("doctor", env={"DOCKER_HOST": "tcp://127.0.0.1:1"})
    assert result.returncode == 2
    assert "MISSING engine" in result.stdout
    assert "inv engine-up" in result.stdout
