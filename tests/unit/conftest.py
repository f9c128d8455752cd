"""Fixtures the unit tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.inputs import manifest


@pytest.fixture(scope="session")
def academy(repo_root: Path) -> manifest.Manifest:
    """Return the repository's own manifest, loaded once."""
    return manifest.load(repo_root)
