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
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dockbuild import fsio
from dockbuild.errors import InputError
from dockbuild.evidence import Evidence

FOLDER = Path(".cache/results")
log = logging.getLogger("dockbuild")


def save(root: Path, kind: str, key: str, records: Iterable[Evidence]) -> Path:
    """Merge ``records`` of one run of ``kind`` (build, image-test) into variant ``key``.

    The images the records are about replace their earlier entries; the
    variant's other images keep theirs. Entries that do not read back (a hand
    edit, another tool) are dropped here: every save leaves a file that reads.
    """
    path = root / FOLDER / f"{kind}.json"
    data = {variant: {"saved": run.get("saved", ""), "images": entries}
            for variant, run in load(root, kind).items()
            if (entries := [entry for entry in _entries(run) if _decoded(entry)[1] is None])}
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


def _decoded(entry: dict[str, Any]) -> tuple[list[Evidence], str | None]:
    """Return an image entry's records, or ([], what is wrong) when they do not read."""
    stored = entry.get("records")
    if not isinstance(stored, list):
        return [], "holds no list of records"
    try:
        return [Evidence.from_dict(item) for item in stored], None
    except InputError as exc:
        return [], exc.message


def load(root: Path, kind: str) -> dict[str, Any]:
    """Return every stored run of ``kind`` by variant key; {} when none or unreadable."""
    path = root / FOLDER / f"{kind}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def records(root: Path, kind: str) -> dict[str, list[Evidence]]:
    """Return the stored records of ``kind`` by variant key.

    An entry of the wrong shape is a miss, never a pass and never a stop: it
    is left out with a warning naming the file, and the next run of ``kind``
    rewrites it.
    """
    return parse(load(root, kind), FOLDER / f"{kind}.json", kind)


def parse(data: dict[str, Any], shown: Path | str, kind: str) -> dict[str, list[Evidence]]:
    """Return the records of ``data`` (a stored file's content) by variant key.

    ``shown`` names where ``data`` came from in the warnings: the results
    file, or a runner's evidence bundle a merged report reads.
    """
    parsed: dict[str, list[Evidence]] = {}
    for key, run in data.items():
        listed = isinstance(run, dict) and any(
            isinstance(run.get(field), list) for field in ("images", "records"))
        if not listed:
            _unreadable(shown, kind, f"run {key!r} holds no entries")
            continue
        entries = _entries(run)
        items = run.get("images") if isinstance(run.get("images"), list) else run["records"]
        attributed = (len(entries) if items is run.get("images")
                      else sum(len(e["records"]) for e in entries))
        if attributed < len(items):
            _unreadable(shown, kind, f"{len(items) - attributed} entries in run {key!r} "
                                     "name no image (subject)")
        for entry in entries:
            got, problem = _decoded(entry)
            if problem is not None:
                _unreadable(shown, kind, f"{entry['subject']} in run {key!r}: {problem}")
            parsed.setdefault(key, []).extend(got)
    return parsed


def _unreadable(shown: Path | str, kind: str, what: str) -> None:
    log.warning("%s: %s; left out as not run (the next `inv %s` rewrites it)", shown, what, kind)


def now_iso() -> str:
    """Return the current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
