"""buildx: what ``docker buildx inspect`` says about the builder."""

from __future__ import annotations

import pytest

from dockbuild.engine import buildx

INSPECT = """\
Name:          default
Driver:        docker
Last Activity: 2026-12-01 10:41:02 +0000 UTC

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.0.0+unknown
Platforms:        linux/amd64, linux/amd64/v2, linux/arm64*
"""


def test_inspect_output_is_read_field_by_field() -> None:
    info = buildx.parse_inspect(INSPECT)
    assert (info.name, info.driver, info.endpoint) == ("default", "docker", "default")
    assert info.buildkit == "0.0.0"
    assert info.platforms == ("linux/amd64", "linux/amd64/v2", "linux/arm64")


def test_an_unknown_buildkit_version_falls_back_to_the_engines_built_in_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(buildx, "inspect", lambda: buildx.parse_inspect(INSPECT))
    kit = buildx.buildkit("26.1.5+dfsg1")
    assert kit is not None and kit.version == (0, 13)
    assert kit.text == "BuildKit 0.13 (built into dockerd 26.1.5+dfsg1)"
    reported = INSPECT.replace("v0.0.0+unknown", "v0.16.0")
    monkeypatch.setattr(buildx, "inspect", lambda: buildx.parse_inspect(reported))
    kit = buildx.buildkit("20.10.24")
    assert kit is not None and kit.version == (0, 16)  # the builder's own wins


def test_a_docker_driver_builder_on_another_engine_is_refused_before_building(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from dockbuild import proc
    from dockbuild.errors import EnvironmentProblem

    far = INSPECT.replace("Name:          default", "Name:          far").replace(
        "Endpoint:         default", "Endpoint:         far")
    monkeypatch.setattr(buildx, "inspect", lambda: buildx.parse_inspect(far))
    monkeypatch.setattr(proc, "run", lambda argv, **kw: subprocess.CompletedProcess(
        argv, 0, "tcp://10.0.0.9:2375\n", ""))
    monkeypatch.delenv("DOCKBUILD_BUILDER", raising=False)
    buildx.require_same_engine()  # buildx's current builder: the engine DOCKER_HOST names
    monkeypatch.setenv("DOCKBUILD_BUILDER", "far")
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    with pytest.raises(EnvironmentProblem, match=r"builds into the engine at tcp://10\.0\.0\.9:2375"):
        buildx.require_same_engine()
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.9:2375")
    buildx.require_same_engine()  # both name the same engine
