"""Each built image's layers and their sizes, kept so the report can draw them without an engine.

Read once per built image from the engine's history (one raw GET), right after
the build, into .cache/build/layers.json keyed by image id. The report draws
the images it has build records for; ids no record names are dropped here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dockbuild import fsio, runstore
from dockbuild.engine import rawapi

log = logging.getLogger("dockbuild")


def path(root: Path) -> Path:
    """Return the file that keeps the layers of every built image."""
    return root / ".cache" / "build" / "layers.json"


def load(root: Path) -> dict[str, list[tuple[str, int]]]:
    """Return image id -> [(the instruction that made the layer, bytes)], oldest first."""
    try:
        data = json.loads(path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    found = {}
    for image_id, rows in data.items():
        if isinstance(rows, list) and all(isinstance(r, list) and len(r) == 2 for r in rows):
            found[str(image_id)] = [(str(r[0]), int(r[1])) for r in rows]
    return found


def _history(image_id: str) -> list[tuple[str, int]]:
    status, body = rawapi.get_json(f"/images/{quote(image_id, safe='')}/history")
    if status != 200 or not isinstance(body, list):
        return []
    rows = [(_instruction(str(item.get("CreatedBy") or "")), int(item.get("Size") or 0))
            for item in reversed(body)]  # the engine lists the newest first
    return [row for row in rows if row[1] > 0]


def _instruction(created_by: str) -> str:
    text = created_by.removeprefix("RUN /bin/sh -c ").removeprefix("/bin/sh -c ")
    text = text.removeprefix("#(nop) ").strip()
    return text if len(text) <= 70 else text[:67] + "..."


def save(root: Path, image_ids: Iterable[str]) -> None:
    """Add the layers of the images just built; keep only ids a build record still names."""
    wanted = list(image_ids)
    if not wanted:
        return
    known = load(root)
    for image_id in wanted:
        try:
            known[image_id] = _history(image_id)
        except rawapi.Unreachable as exc:  # TLS or ssh engines: the report goes without
            log.info("no layer sizes for %s: %s", image_id[:19], exc)
    named = {r.image_id for records in runstore.records(root, "build").values() for r in records}
    data: dict[str, Any] = {k: [list(r) for r in v] for k, v in known.items() if k in named}
    fsio.write_json(path(root), data, indent=1, sort_keys=True)
