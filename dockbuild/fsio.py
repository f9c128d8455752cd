"""Files written whole: a reader sees the old content or the new one, never half of either."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_json(path: Path, data: Any, **dump_options: Any) -> None:
    """Write ``data`` as JSON through a temporary file and a rename, so no reader sees half."""
    write_text(path, json.dumps(data, **dump_options))


def write_text(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file and a rename, so no reader sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def sha256(path: Path) -> str:
    """Return the sha256 of a file, read in chunks (a root tar is a few hundred MB)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
