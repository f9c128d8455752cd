"""The last run of each verb, kept as JSON under .cache/results/ so `inv report` can cite it.

Builds and image tests take minutes and need an engine; the report must not.
Each verb saves its evidence records here (``Evidence.to_dict``), with when,
and the report reads them back with ``Evidence.from_dict``. A file holds one
entry per variant, and within it one entry per image (the records' subject)
with the image id those records tested: a run merges its images into the
variant's entry, so ``--service api`` keeps the other images' records.
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
    """Merge ``records`` of one run of ``kind`` (build, image-test) into variant ``key``.

    The images the records are about replace their earlier entries; the
    variant's other images keep theirs.
    """
    path = root / FOLDER / f"{kind}.json"
    data = load(root, kind)
    saved = now_iso()
    by_image: dict[str, list[Evidence]] = {}
    for record in records:
        by_image.setdefault(record.subject, []).append(record)
    entries = {entry["subject"]: entry for entry in _entries(data.get(key))}
    for subject, mine in by_image.items():
        entries[subject] = {
            "subject": subject,
            "saved": saved,
            "image_id": next((r.image_id for r in mine if r.image_id), ""),
            "records": [record.to_dict() for record in mine],
        }
    data[key] = {"saved": saved, "images": list(entries.values())}
    fsio.write_json(path, data, indent=1, sort_keys=True)
    return path


def _entries(run: object) -> list[dict[str, Any]]:
    """Return a stored variant's entries, one per image in the order first stored.

    An older file's flat list of records is grouped by subject here.
    """
    if not isinstance(run, dict):
        return []
    images = run.get("images")
    if isinstance(images, list):
        return [entry for entry in images
                if isinstance(entry, dict) and isinstance(entry.get("subject"), str)]
    entries: dict[str, dict[str, Any]] = {}
    for item in run.get("records") or []:
        subject = item.get("subject") if isinstance(item, dict) else None
        if isinstance(subject, str):
            entry = entries.setdefault(subject, {"subject": subject, "saved": run.get("saved", ""),
                                                 "image_id": "", "records": []})
            entry["records"].append(item)
    return list(entries.values())


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
        stored = _flat(run)
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


def _flat(run: object) -> list[Any] | None:
    """Return a stored variant's records, image by image; None when it holds none."""
    if not isinstance(run, dict):
        return None
    images = run.get("images")
    if not isinstance(images, list):
        return run.get("records") if isinstance(run.get("records"), list) else None
    flat: list[Any] = []
    for entry in images:
        stored = entry.get("records") if isinstance(entry, dict) else None
        if not isinstance(stored, list):
            return None
        flat += stored
    return flat


def now_iso() -> str:
    """Return the current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
