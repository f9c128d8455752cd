"""The python x platform cells the manifest asks for, for nox and CI matrices."""

from __future__ import annotations

from pathlib import Path

from dockbuild.inputs import manifest


def image_cells(root: Path | None = None) -> list[tuple[str, str]]:
    """Return every (python, platform) pair, default cell first."""
    loaded = manifest.load(root or manifest.find_root(Path(__file__).parent))
    variants = loaded.variants
    cells = [(py, pf) for py in variants.python for pf in variants.platforms]
    default = (variants.default_python, variants.default_platform)
    return [default, *(cell for cell in cells if cell != default)]

