"""Each image's SBOM, made once per image id and kept, so reports and diffs need no engine.

An image id names its content for good, so its SBOM never goes stale:
``.cache/sbom/<id>.cdx.json`` is made the first time an image is asked for
(about 5-10 s: one export of its filesystem, then the schema check) and read
back afterwards. The copy a user reads is ``reports/sbom/<image>-<variant>.cdx.json``.
A kept file that does not read, or names another image, is made again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dockbuild import fsio
from dockbuild.contents import packages as packages_mod
from dockbuild.contents import sbom
from dockbuild.contents.packages import Package

CACHE = Path(".cache/sbom")
REPORTS = Path("reports/sbom")
log = logging.getLogger("dockbuild")


def cached(root: Path, image_id: str) -> Path:
    """Return where the SBOM of ``image_id`` is kept."""
    return root / CACHE / f"{image_id.removeprefix('sha256:')}.cdx.json"


def published(root: Path, image: str, variant: str) -> Path:
    """Return the SBOM a user reads for ``image`` (academy-api) in ``variant`` (py3.11-amd64)."""
    return root / REPORTS / f"{image}-{variant}.cdx.json"


def load(root: Path, image_id: str) -> str | None:
    """Return the kept SBOM of ``image_id``; None when none is kept or it does not read."""
    try:
        text = cached(root, image_id).read_text(encoding="utf-8")
        if sbom.image_of(text)["image_id"] == image_id:
            return text
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def for_image(root: Path, ref: str, info: Mapping[str, Any], variant: str, *,
              labels: Mapping[str, str] | None = None,
              say: Callable[[str], None] = log.info) -> tuple[str, list[Package]]:
    """Return the SBOM of the image ``info`` (its inspect answer) and its packages.

    Made from the image when none is kept for its id; then kept, and copied to
    reports/sbom/ under the image's name and variant.
    """
    image_id = str(info["Id"])
    text = load(root, image_id)
    if text is None:
        say(f"sbom {ref}: reading its packages ({image_id[:19]})")
        found = packages_mod.read(image_id, labels)
        digests = [d.rpartition("@")[2] for d in info.get("RepoDigests") or []]
        text = sbom.document(found, ref=ref, image_id=image_id, variant=variant,
                             digest=digests[0] if digests else "",
                             created=str(info.get("Created", "")))
        fsio.write_text(cached(root, image_id), text)
    image = ref.partition(":")[0].rpartition("/")[2]
    fsio.write_text(published(root, image, variant), text)
    return text, sbom.packages_of(text)


def summary(text: str) -> dict[str, int]:
    """Return how many packages of each kind an SBOM lists."""
    counts: dict[str, int] = {}
    for package in sbom.packages_of(text):
        counts[package.kind] = counts.get(package.kind, 0) + 1
    return counts
