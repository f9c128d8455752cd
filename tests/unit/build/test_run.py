"""The no-op decision of a build: which images are current, asked of a fake engine only."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from dockbuild.build import plan, rootfs, rootimage
from dockbuild.build import run as buildrun
from dockbuild.engine import tags
from dockbuild.errors import EnvironmentProblem

PYTHON, PLATFORM = "3.11", "linux/amd64"
ROOT_REF = rootimage.local_ref("academy", PYTHON, PLATFORM)
ROOT = {"Id": "sha256:root", "Architecture": "amd64", "Size": 1,
        "Config": {"Labels": {rootimage.RECIPE_LABEL: rootimage.recipe_hash(PYTHON, PLATFORM),
                              # the tar this checkout keeps, if any (a checked image otherwise)
                              rootimage.ROOTFS_LABEL: rootfs.recorded_digest(
                                  Path(__file__).parents[3], PYTHON, PLATFORM) or "0" * 64}}}


class FakeEngine:
    """Answers inspect from a dict of images; records every reference asked for."""

    def __init__(self, images: dict[str, dict[str, Any]]) -> None:
        self.images = images
        self.asked: list[str] = []

    def inspect(self, ref: str) -> dict[str, Any] | None:
        self.asked.append(ref)
        return self.images.get(ref)

    def size_mb(self, info: dict[str, Any], *, fresh: bool = False,
                known: dict[str, float] | None = None) -> float:
        return float(info.get("Size", 0)) / 1e6

    def batch(self, refs: Iterable[str]) -> contextlib.AbstractContextManager[None]:
        self.batched = list(refs)
        return contextlib.nullcontext()


def make_run(repo_root: Path, images: dict[str, dict[str, Any]],
             **options: Any) -> buildrun.Run:
    run = buildrun.Run(repo_root, buildrun.Options(python=PYTHON, platform=PLATFORM, **options))
    run.engine = FakeEngine(images)  # type: ignore[assignment]
    return run


def built(run: buildrun.Run, name: str, parent_ref: str, parent_id: str,
          inputs: str | None = None) -> dict[str, Any]:
    """Return the engine's answer for an image built from ``name``'s current inputs."""
    job = run.jobs[name]
    inputs = inputs or plan.input_hash(
        files_digest=job.digest, buildargs={job.step.parent_arg: parent_ref},
        parent_id=parent_id, platform=PLATFORM, python=PYTHON)
    return {"Id": f"sha256:{name}", "Size": 2e6, "Config": {"Labels": {tags.INPUTS_LABEL: inputs}}}


def test_with_only_the_root_image_everything_is_to_build(repo_root: Path) -> None:
    run = make_run(repo_root, {ROOT_REF: ROOT})
    todo = run.check()
    assert [job.step.name for job in todo] == list(run.jobs)
    assert run.root_image == rootimage.RootImage(ROOT_REF, "sha256:root", "cached")
    # services wait for the base's new id: only the base's own tag was asked for
    base = run.jobs["academy-base"].step.tag
    assert base in run.engine.asked  # type: ignore[attr-defined]
    assert run.jobs["api"].step.tag not in run.engine.asked  # type: ignore[attr-defined]


def test_images_whose_label_holds_their_input_hash_are_skipped(repo_root: Path) -> None:
    probe = make_run(repo_root, {})
    base_tag = probe.jobs["academy-base"].step.tag
    images = {ROOT_REF: ROOT,
              base_tag: built(probe, "academy-base", ROOT_REF, "sha256:root")}
    images[probe.jobs["video-worker"].step.tag] = built(
        probe, "video-worker", base_tag, "sha256:academy-base")
    images[probe.jobs["api"].step.tag] = built(
        probe, "api", base_tag, "sha256:academy-base", inputs="stale")
    run = make_run(repo_root, images)
    todo = {job.step.name for job in run.check()}
    assert todo == {"api", "messaging-worker", "ai-worker-cpu"}
    base, video = run.jobs["academy-base"], run.jobs["video-worker"]
    assert (base.status, base.image_id, base.note) == ("skipped", "sha256:academy-base",
                                                       "inputs unchanged")
    assert (video.status, video.size_mb) == ("skipped", 2.0)


def test_a_changed_parent_id_rebuilds_the_child(repo_root: Path) -> None:
    probe = make_run(repo_root, {})
    base_tag = probe.jobs["academy-base"].step.tag
    images = {ROOT_REF: ROOT,
              base_tag: built(probe, "academy-base", ROOT_REF, "sha256:root"),
              probe.jobs["api"].step.tag: built(probe, "api", base_tag, "sha256:older-base")}
    run = make_run(repo_root, images)
    assert "api" in {job.step.name for job in run.check()}


def test_no_cache_skips_nothing_even_when_labels_match(repo_root: Path) -> None:
    probe = make_run(repo_root, {})
    base_tag = probe.jobs["academy-base"].step.tag
    images = {ROOT_REF: ROOT, base_tag: built(probe, "academy-base", ROOT_REF, "sha256:root")}
    run = make_run(repo_root, images, no_cache=True)
    assert len(run.check()) == len(run.jobs)


def test_services_alone_need_the_base_built_first(repo_root: Path) -> None:
    run = make_run(repo_root, {ROOT_REF: ROOT}, base=False)
    assert "academy-base" not in run.jobs
    with pytest.raises(EnvironmentProblem, match="is not built yet") as caught:
        run.check()
    assert "inv build-base" in caught.value.hint
    assert caught.value.exit_code == 2
