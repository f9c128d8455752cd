"""Before a build: a feature the builder's BuildKit lacks fails at its file and line (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.build import capability
from dockbuild.engine import buildx
from dockbuild.errors import InputError


def test_a_heredoc_on_dockerd_20_10_fails_before_the_build_at_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(
        "FROM scratch\nRUN --mount=type=cache,target=/c true\nRUN <<EOF\ntrue\nEOF\n")
    monkeypatch.setattr(buildx, "buildkit",
                        lambda engine: buildx.BuildKit((0, 8), f"dockerd {engine}"))
    with pytest.raises(InputError) as caught:
        capability.require(tmp_path, [Path("docker/Dockerfile")], "20.10.24")
    error = caught.value
    assert str(error.where) == "docker/Dockerfile:3" and error.exit_code == 2
    assert error.message == ("heredoc needs BuildKit 0.10 or newer; this engine has"
                             " BuildKit 0.8 (built into dockerd 20.10.24)")
    assert "inv engine-up" in (error.hint or "")
    monkeypatch.setattr(buildx, "buildkit",
                        lambda engine: buildx.BuildKit((0, 13), f"dockerd {engine}"))
    kit = capability.require(tmp_path, [Path("docker/Dockerfile")], "26.1.5")
    assert kit is not None and kit.version == (0, 13)


def test_the_academy_dockerfiles_build_on_debian_13s_engine(
        repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.inputs import manifest

    monkeypatch.setattr(buildx, "buildkit",
                        lambda engine: buildx.BuildKit((0, 13), f"dockerd {engine}"))
    loaded = manifest.load(repo_root)
    files = [image.dockerfile for image in loaded.images()]
    assert capability.require(repo_root, files, "26.1.5") is not None
