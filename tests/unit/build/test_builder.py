"""The builder: the buildx command line of a request, and what its plain progress says."""

from __future__ import annotations

from pathlib import Path

from dockbuild.build import builder


def test_the_buildx_command_names_every_input_once(monkeypatch) -> None:
    monkeypatch.delenv("DOCKBUILD_BUILDER", raising=False)
    monkeypatch.delenv("DOCKBUILD_LAYER_COMPRESSION", raising=False)
    request = builder.Request(
        context=Path("/repo"), dockerfile="docker/api/Dockerfile", platform="linux/arm64",
        buildargs={"BASE_IMAGE": "academy-base:py3.11-arm64@sha256:ab"},
        labels={"dockbuild.inputs": "h"}, contexts={"wheels": "/repo/.cache/wheels/x"},
        secrets={"token": "TOKEN"}, nocache=True,
        cache_from=["type=registry,ref=r/a:c"], cache_to=["type=registry,ref=r/a:c,mode=max"])
    line = builder.argv(request, iidfile=Path("/t/iid"), metadata=Path("/t/m.json"))
    assert line == [
        "docker", "buildx", "build", "--progress=plain", "--platform", "linux/arm64",
        "-f", "/repo/docker/api/Dockerfile", "--output", "type=docker,compression=zstd",
        "--iidfile", "/t/iid",
        "--metadata-file", "/t/m.json", "--build-context", "wheels=/repo/.cache/wheels/x",
        "--build-arg", "BASE_IMAGE=academy-base:py3.11-arm64@sha256:ab",
        "--label", "dockbuild.inputs=h", "--secret", "id=token,env=TOKEN",
        "--cache-from", "type=registry,ref=r/a:c", "--cache-to", "type=registry,ref=r/a:c,mode=max",
        "--no-cache", "/repo"]
    assert "DOCKER_BUILDKIT" not in " ".join(line)


def test_a_named_builder_is_passed_to_buildx(monkeypatch) -> None:
    monkeypatch.setenv("DOCKBUILD_BUILDER", "far")
    line = builder.argv(builder.Request(context=Path(), dockerfile="D", platform="linux/amd64"),
                        iidfile=Path("i"), metadata=Path("m"))
    assert line[3:5] == ["--builder", "far"]


PLAIN = """\
#0 building with "default" instance using docker driver
#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#4 [context wheels] load from client
#4 DONE 0.0s
#5 [builder 1/3] FROM docker.io/library/academy-python:3.11-amd64@sha256:fb80
#5 CACHED
#6 [builder 2/3] COPY requirements/common.txt requirements/common.txt
#6 CACHED
#7 [builder 3/3] RUN pip install -r requirements/common.txt
#7 0.512 Collecting Django
#7 ERROR: process "/bin/sh -c pip install -r requirements/common.txt" did not complete
------
 > [builder 3/3] RUN pip install -r requirements/common.txt:
0.512 ERROR: No matching distribution found for Django
------
ERROR: failed to solve: process "/bin/sh -c pip install" did not complete successfully: exit code: 1
"""


def test_cached_steps_are_counted_from_plain_progress() -> None:
    # the COPY came from the cache, the RUN ran; FROM and context transfers are no steps
    assert builder.count_steps(PLAIN.splitlines()) == (1, 2)


def test_the_failure_is_buildkits_last_error_line() -> None:
    assert builder.failure_message(PLAIN.splitlines()) == (
        'failed to solve: process "/bin/sh -c pip install" did not complete successfully:'
        " exit code: 1")
    assert builder.failure_message([]) == "the build failed with no output"


def test_the_image_id_is_the_one_the_engine_knows() -> None:
    meta = {"containerimage.digest": "sha256:manifest"}
    containerd = {"sha256:manifest": {"Id": "sha256:manifest"}}
    classic = {"sha256:config": {"Id": "sha256:config"}}
    assert builder.engine_id("sha256:config", meta, containerd.get) == "sha256:manifest"
    assert builder.engine_id("sha256:config", meta, classic.get) == "sha256:config"
    assert builder.engine_id("sha256:config", meta, {}.get) == ""


def test_layer_compression_is_zstd_unless_told_gzip(monkeypatch) -> None:
    import pytest

    from dockbuild.errors import EnvironmentProblem

    monkeypatch.delenv("DOCKBUILD_LAYER_COMPRESSION", raising=False)
    assert builder.layer_compression() == "zstd"
    monkeypatch.setenv("DOCKBUILD_LAYER_COMPRESSION", "GZIP")
    assert builder.layer_compression() == "gzip"
    monkeypatch.setenv("DOCKBUILD_LAYER_COMPRESSION", "lz4")
    with pytest.raises(EnvironmentProblem, match="not a layer compression") as caught:
        builder.layer_compression()
    assert caught.value.exit_code == 2
