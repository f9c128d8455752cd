"""The command line: exit codes 0/1/2 and one-line errors, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_check_manifest_passes_on_the_repository(run_cli: RunCli) -> None:
    result = run_cli("check-manifest")
    assert result.returncode == 0, result.stderr
    assert "docker/services.yaml: ok" in result.stdout
    assert "academy-base ->" in result.stdout


def test_check_manifest_works_from_a_subfolder(run_cli: RunCli, repo_root: Path) -> None:
    result = run_cli("check-manifest", cwd=repo_root / "docker" / "api")
    assert result.returncode == 0, result.stderr


def test_bad_manifest_exits_2_with_one_line(run_cli: RunCli, repo_root: Path,
                                            tmp_path: Path) -> None:
    shutil.copytree(repo_root / "docker", tmp_path / "docker")
    for name in ("src", "apps", "libs", "scripts", "requirements"):
        shutil.copytree(repo_root / name, tmp_path / name)
    shutil.copy(repo_root / "manage.py", tmp_path / "manage.py")
    manifest = tmp_path / "docker/services.yaml"
    manifest.write_text(manifest.read_text().replace("ports: [8000]", "ports: [8000, 8000]"))
    result = run_cli("--root", str(tmp_path), "check-manifest")
    assert result.returncode == 2
    assert result.stderr.startswith("error: docker/services.yaml:")
    assert "port 8000 appears twice in services.api.ports" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_root_without_manifest_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("--root", str(tmp_path), "check-manifest")
    assert result.returncode == 2
    assert "holds no docker/services.yaml" in result.stderr


def test_unreachable_engine_is_exit_2_and_says_what_to_do(run_cli: RunCli) -> None:
    # Nothing listens on port 9 of the loopback: the probe fails at once.
    result = run_cli("engine-up", env={"DOCKER_HOST": "tcp://127.0.0.1:9"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: no Docker engine answers at tcp://127.0.0.1:9")
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr
