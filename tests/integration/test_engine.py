"""The one function that makes sure an engine answers, against the real engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockbuild.engine import start as engine

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.docker


def test_engine_answers_with_a_version() -> None:
    version = engine.ensure_engine()
    assert version == engine.engine_version()
    assert version[0].isdigit()


def test_engine_up_task_reports_the_engine() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dockbuild", "engine-up"],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Docker engine ")
    assert "answers" in result.stdout


def test_engine_runs_a_container_built_from_nothing(tmp_path: Path) -> None:
    """A FROM scratch image needs no registry: proves builds and runs work offline."""
    import docker

    client = docker.from_env()
    try:
        (tmp_path / "Dockerfile").write_text("FROM scratch\nLABEL dockbuild.test=engine\n")
        image, _ = client.images.build(path=str(tmp_path), rm=True, forcerm=True)
        try:
            assert image.labels["dockbuild.test"] == "engine"
        finally:
            client.images.remove(image.id, force=True)
    finally:
        client.close()
