"""The last run of each verb, kept as JSON under .cache/results/ so `inv report` can cite it.

Builds and image tests take minutes and need an engine; the report must not.
Each verb saves its evidence records here (``Evidence.to_dict``), with when,
and the report reads them back with ``Evidence.from_dict``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dockbuild import fsio
from dockbuild.errors import InputError, Location
from dockbuild.evidence import Evidence

FOLDER = Path(".cache/results")


def save(root: Path, kind: str, key: str, records: Iterable[Evidence]) -> Path:
    """Store ``records`` of one run of ``kind`` (build, image-test) for one variant ``key``."""
    path = root / FOLDER / f"{kind}.json"
    data = load(root, kind)
    data[key] = {"saved": now_iso(), "records": [record.to_dict() for record in records]}
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


def records(root: Path, kind: str) -> dict[str, list[Evidence]]:
    """Return the stored records of ``kind`` by variant key; raise InputError naming the file."""
    shown = FOLDER / f"{kind}.json"
    parsed = {}
    for key, run in load(root, kind).items():
        stored = run.get("records") if isinstance(run, dict) else None
        try:
            if not isinstance(stored, list):
                msg = f"run {key!r} holds no list of records"
                raise InputError(msg)
            parsed[key] = [Evidence.from_dict(item) for item in stored]
        except InputError as exc:
            msg = f"{exc.message} (run {key!r})" if key not in exc.message else exc.message
            raise InputError(msg, where=Location(shown),
                             hint=f"rerun `inv {kind}` to rewrite it, or delete the file") from None
    return parsed


def now_iso() -> str:
    """Return the current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
