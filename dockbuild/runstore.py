"""The last run of each verb, kept as JSON under .cache/results/ so `inv report` can cite it.

Builds and image tests take minutes and need an engine; the report must not.
Each verb saves what it found here, with when and at which revision, and the
report reads it back, saying how old it is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

FOLDER = Path(".cache/results")


def save(root: Path, kind: str, key: str, records: list[dict[str, Any]]) -> Path:
    """Store ``records`` of one run of ``kind`` (build, image-test) for one variant ``key``."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.json"
    data = load(root, kind)
    data[key] = {"saved": now_iso(), "records": records}
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a file
    return path


def load(root: Path, kind: str) -> dict[str, Any]:
    """Return every stored run of ``kind`` by variant key; {} when none or unreadable."""
    path = root / FOLDER / f"{kind}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def now_iso() -> str:
    """Return the current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
