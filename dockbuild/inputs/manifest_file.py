"""Where the manifest is: its path in a repository, and the repository found from a folder.

Apart from manifest.py so that a command finds its repository (and lint
replays its last run) without importing the manifest's YAML reader.
"""

from __future__ import annotations

from pathlib import Path

from dockbuild.errors import InputError

MANIFEST = Path("docker/services.yaml")


def find_root(start: Path | None = None) -> Path:
    """Walk up from ``start`` (default: the cwd) to the folder holding the manifest."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder
    msg = f"no {MANIFEST} in {here} or any folder above it"
    raise InputError(msg, hint="run inside the repository, or pass --root DIR")
