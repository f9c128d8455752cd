"""The last run of each verb, kept as JSON under .cache/results/ so `inv report` can cite it.

Builds and image tests take minutes and need an engine; the report must not.
Each verb saves what it found here, with when and at which revision, and the
report reads it back, saying how old it is.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from dockbuild import fsio

FOLDER = Path(".cache/results")


def save(root: Path, kind: str, key: str, records: list[dict[str, Any]]) -> Path:
    """Store ``records`` of one run of ``kind`` (build, image-test) for one variant ``key``."""
    path = root / FOLDER / f"{kind}.json"
    data = load(root, kind)
    data[key] = {"saved": now_iso(), "records": records}
    fsio.write_json(path, data, indent=1, sort_keys=True)
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
