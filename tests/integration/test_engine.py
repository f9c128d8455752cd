"""The one function that makes sure an engine answers, against the real engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import buildkit_images
import pytest

from dockbuild.engine import start as engine

pytestmark = pytest.mark.docker


def test_engine_answers_with_a_version() -> None:
    version = engine.ensure_engine()
    assert version == engine.engine_version()
    assert version[0].isdigit()


def test_engine_up_task_reports_the_engine(run_cli: Any) -> None:
    result = run_cli("engine-up", timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Docker engine ")
    assert "answers" in result.stdout


def test_engine_runs_a_container_built_from_nothing(tmp_path: Path) -> None:
    """A FROM scratch image needs no registry: proves builds and runs work offline."""
    import docker

    client = docker.from_env()
    try:
        (tmp_path / "Dockerfile").write_text("FROM scratch\nLABEL dockbuild.test=engine\n")
        image = client.images.get(buildkit_images.build(tmp_path))
        try:
            assert image.labels["dockbuild.test"] == "engine"
        finally:
            client.images.remove(image.id, force=True)
    finally:
        client.close()


def test_the_size_of_one_tag_is_what_the_list_of_every_image_says(tmp_path: Path) -> None:
    """After a build only the built image is listed: its unpacked size, not every image's."""
    import docker
    from dockbuild.engine import images

    tag = f"dockbuild-size-test:{tmp_path.name[-12:].lower()}"
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY blob /blob\n")
    (tmp_path / "blob").write_bytes(b"\x01" * 3_000_000)
    image_id = buildkit_images.build(tmp_path, tag)
    client = docker.from_env()
    try:
        one = images.unpacked_sizes(reference=tag)
        assert one is not None and list(one) == [image_id]
        everything = images.unpacked_sizes()
        assert everything is not None and one[image_id] == everything[image_id] >= 3_000_000
        assert images.Engine(tmp_path).size_mb({"Id": image_id}, ref=tag) == one[image_id] / 1e6
        assert images.unpacked_sizes(reference=f"{tag}-gone") == {}
    finally:
        client.images.remove(tag, force=True)
        client.close()
