"""./dev: makes the venv once, quietly; pip's words appear only when the install fails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def _checkout(repo_root: Path, tmp_path: Path, requirements: str) -> Path:
    shutil.copy2(repo_root / "dev", tmp_path / "dev")
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "dev.txt").write_text(requirements)
    (tmp_path / "pyproject.toml").write_text("")
    return tmp_path / "dev"


def test_a_first_run_prepares_the_venv_in_one_line(repo_root: Path, tmp_path: Path) -> None:
    dev = _checkout(repo_root, tmp_path, "")
    done = subprocess.run([str(dev), "python", "-c", "print('ran')"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ran\n"
    assert done.stderr.splitlines() == [
        "dev: preparing .venv from requirements/dev.txt (once, or after requirements change)"]
    again = subprocess.run([str(dev), "true"], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stderr == ""


def test_a_failed_install_shows_pip_s_output_and_exits_2(repo_root: Path,
                                                         tmp_path: Path) -> None:
    dev = _checkout(repo_root, tmp_path, "-r does-not-exist.txt\n")
    done = subprocess.run([str(dev), "true"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "does-not-exist.txt" in done.stderr  # pip's own reason
    assert done.stderr.rstrip().endswith(
        "dev: installing requirements/dev.txt failed (pip's output above)")
