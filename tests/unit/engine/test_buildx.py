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
