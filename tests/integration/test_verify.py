"""`inv verify` end to end: every step runs, the report is written, the exit code tells."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker


def verify(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockbuild", "--root", str(root), "verify", "--service", "api",
         "--python", "3.11", "--platform", "linux/amd64"],
        capture_output=True, text=True, check=False, timeout=1800,
    )


def test_a_broken_requirement_makes_verify_exit_1_with_its_row_failed(repo: Path) -> None:
    # The manifest now promises another command than the Dockerfile runs: lint (DF203)
    # and the image's CMD check must both catch it, and the report must say so.
    manifest = repo / "docker/services.yaml"
    text = manifest.read_text()
    assert '--workers, "2"' in text
    manifest.write_text(text.replace('--workers, "2"', '--workers, "3"', 1))
    result = verify(repo)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "==> lint" in result.stdout and "==> report" in result.stdout
    assert "verify: " in result.stderr and "did not hold" in result.stderr
    assert "Traceback" not in result.stderr
    markdown = (repo / "reports/alignment.ko.md").read_text()
    assert markdown.startswith("# Docker 구조 정렬 보고 — 미완료")
    # section 5's api row: its command fails against the Dockerfile's CMD, which it cites
    row = next(line for line in markdown.splitlines()
               if line.startswith('| <a id="s5-2"></a>api |'))
    assert "| ❌ `gunicorn" in row
    assert "`CMD [\"gunicorn\"" in row
