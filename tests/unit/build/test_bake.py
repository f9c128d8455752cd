"""``inv bake``: the docker-bake definition of one variant, as buildx itself reads it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dockbuild.build import bake, outcome, plan
from dockbuild.inputs import manifest


def test_each_service_reaches_its_parent_through_a_target_context(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    made = bake.definition(loaded, "3.11", "linux/arm64", root_image="academy-python:3.11-arm64")
    assert made["group"]["default"]["targets"] == [
        "academy-base", "api", "video-worker", "messaging-worker", "ai-worker-cpu"]
    base, api = made["target"]["academy-base"], made["target"]["api"]
    assert base["args"]["PYTHON_IMAGE"] == "academy-python:3.11-arm64"
    assert base["contexts"] == {"wheels": ".cache/wheels/py3.11-aarch64"}
    assert api["args"]["BASE_IMAGE"] == "dockbuild-parent-academy-base"
    assert api["contexts"]["dockbuild-parent-academy-base"] == "target:academy-base"
    assert api["platforms"] == ["linux/arm64"] and api["tags"] == ["academy-api:py3.11-arm64"]
    assert api["args"]["PIP_FIND_LINKS"] == "/wheels"  # nothing machine-local


@pytest.mark.docker
def test_buildx_reads_the_definition_as_written(repo_root: Path, tmp_path: Path) -> None:
    from dockbuild.engine import buildx

    if buildx.version() is None:
        pytest.skip("the docker CLI has no buildx plugin")
    loaded = manifest.load(repo_root)
    path = tmp_path / "docker-bake.json"
    path.write_text(bake.render(bake.definition(loaded, "3.11", "linux/amd64")))
    printed = subprocess.run(["docker", "buildx", "bake", "-f", str(path), "--print"],
                             cwd=repo_root, capture_output=True, text=True, check=True)
    targets = json.loads(printed.stdout)["target"]
    assert set(targets) == {"academy-base", "api", "video-worker", "messaging-worker",
                            "ai-worker-cpu"}
    assert targets["api"]["contexts"]["dockbuild-parent-academy-base"] == "target:academy-base"
    assert targets["api"]["dockerfile"] == "docker/api/Dockerfile"


def test_the_run_metadata_has_bakes_keys_and_the_cache_hits(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    step = plan.plan(loaded, "3.11", "linux/amd64", services=["api"])[-1]
    job = outcome.Job(step, [], "d", image_id="sha256:1", status="built", cached_steps=4,
                      steps=5, image_digest="sha256:1", seconds=6.25, started=100.0)
    skipped = outcome.Job(plan.plan(loaded, "3.11", "linux/amd64")[0], [], "d",
                          image_id="sha256:0", status="skipped")
    assert outcome.metadata([skipped, job]) == {"academy-base": {
        "image.name": "academy-base:py3.11-amd64", "dockbuild.image": "academy-base",
        "dockbuild.variant": "py3.11-amd64", "dockbuild.status": "skipped",
        "dockbuild.image-id": "sha256:0", "dockbuild.cache": {"cached-steps": 0, "steps": 0},
        "dockbuild.seconds": 0.0}, "api": {
        "image.name": "academy-api:py3.11-amd64", "containerimage.digest": "sha256:1",
        "dockbuild.image": "academy-api", "dockbuild.variant": "py3.11-amd64",
        "dockbuild.status": "built", "dockbuild.image-id": "sha256:1",
        "dockbuild.cache": {"cached-steps": 4, "steps": 5},
        # the timeline's: seconds after the run's first build began, and how long it took
        "dockbuild.started": 0.0, "dockbuild.seconds": 6.25}}
