"""tasks.py: inv lists every task of the design."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_inv_lists_every_task_of_the_design(repo_root: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("inv")), "--list"], cwd=repo_root, capture_output=True,
        text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in ("lint", "build-base", "build-services", "build", "image-test", "report",
                 "verify", "engine-up"):
        assert f"  {name} " in result.stdout
