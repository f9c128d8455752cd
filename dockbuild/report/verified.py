"""The last verified state: every image's interface when lint, builds and image tests all held.

Kept as .cache/results/verified.json (beside the stored runs, not in the report
folder users delete), written whole. It is the default baseline of the next
report: "what changed since the images last held".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockbuild import fsio, gitinfo, runstore
from dockbuild.report.interfaces import Interface

PATH = runstore.FOLDER / "verified.json"


def save(root: Path, interfaces: Mapping[str, Interface], revision: gitinfo.Revision | None,
         when: str, images: Mapping[str, Mapping[str, Any]] | None = None) -> Path:
    """Store ``interfaces`` as the verified state of ``revision`` at ``when``.

    ``images``: each verified image's tag -> its id, size and layers, the
    baseline of the next report's content diff (its SBOM is kept by that id).
    """
    path = root / PATH
    fsio.write_json(path, {
        "saved": when,
        "revision": revision.sha if revision else None,
        "branch": revision.branch if revision else None,
        "dirty": revision.dirty if revision else False,
        "interfaces": [interface.to_dict() for interface in interfaces.values()],
        "images": dict(images or {}),
    }, indent=1, ensure_ascii=False)
    return path


def images(root: Path) -> tuple[dict[str, dict[str, Any]], str] | None:
    """Return the verified images (tag -> id, size_mb, layers) and when; None when none reads."""
    try:
        data = json.loads((root / PATH).read_text(encoding="utf-8"))
        found = {str(ref): dict(entry) for ref, entry in data["images"].items()
                 if isinstance(entry, dict) and entry.get("id")}
        return found, str(data.get("saved", "?"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def load(root: Path) -> tuple[dict[str, Interface], str | None, str, bool] | None:
    """Return (interfaces, revision, time, dirty) of the verified state; None when none reads."""
    try:
        data = json.loads((root / PATH).read_text(encoding="utf-8"))
        interfaces = {item["name"]: Interface.from_dict(item) for item in data["interfaces"]}
        return interfaces, data.get("revision"), str(data.get("saved", "?")), bool(data["dirty"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
