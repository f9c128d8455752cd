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
