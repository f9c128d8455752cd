"""``inv clean``: what this project keeps on disk and on the engine, and removing it by name.

Nothing goes unless named: ``inv clean`` lists each target with its size and
what removing it costs; ``inv clean --what lint --what wheels`` removes those
(``--dry-run`` lists them only). On the engine it removes only what this
project made and nothing names any more: untagged images with this project's
build labels, and containers of test runs whose process is gone.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dockbuild import runlock
from dockbuild.engine import tags
from dockbuild.errors import InputError
from dockbuild.inputs import manifest as manifest_mod


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """One thing ``inv clean`` can remove."""

    name: str
    folder: str  # under the repository; "" for engine targets
    cost: str  # what removing it costs the next run


TARGETS = (
    Target("lint", ".cache/lint", "the next lint parses and runs hadolint again"),
    Target("results", ".cache/results", "the report says 'not verified' until build and"
                                        " image-test run again"),
    Target("build", ".cache/build", "status cannot say which input changed until the next build"),
    Target("wheels", ".cache/wheels", "the next build downloads every wheel again"),
    Target("rootfs", ".cache/rootfs", "a root image made again runs debootstrap (1-6 min)"),
    Target("sbom", ".cache/sbom", "each image's SBOM is read again from it (5-10 s each); the"
                                  " content diff has no baseline SBOM until then"),
    Target("reports", "reports", "`inv report` writes them again"),
    Target("images", "", "nothing: no tag names them"),
    Target("containers", "", "nothing: their runs are gone"),
)
NAMES = (*(target.name for target in TARGETS), "all")


def _size(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir())


def _human(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


def _old_images(api: Any, manifest: manifest_mod.Manifest) -> list[dict[str, Any]]:
    """Return this project's images that no tag names (superseded builds)."""
    ours = {image.image for image in manifest.images()}
    found = []
    for image in api.images(all=True, filters={"dangling": True, "label": tags.INPUTS_LABEL}):
        title = (image.get("Labels") or {}).get(f"{tags.OCI}.title", "")
        if title in ours:
            found.append(image)
    return found


def run(root: Path, what: Sequence[str], *, dry_run: bool = False,
        say: Callable[[str], None] = print) -> list[str]:
    """List every target (nothing named), or remove the named ones; return what went."""
    unknown = sorted(set(what) - set(NAMES))
    if unknown:
        msg = f"nothing called {', '.join(unknown)} to clean"
        raise InputError(msg, hint=f"use one or more of {', '.join(NAMES)}")
    chosen = {t.name for t in TARGETS} if "all" in what else set(what)
    manifest = manifest_mod.load(root)
    with runlock.engine(root, "inv clean"):  # never under a build or test of this repository
        return _clean(root, manifest, chosen, dry_run=dry_run, say=say)


def _clean(root: Path, manifest: manifest_mod.Manifest, chosen: set[str], *, dry_run: bool,
           say: Callable[[str], None]) -> list[str]:
    removed: list[str] = []
    for target in TARGETS:
        if target.folder:
            path = root / target.folder
            line = f"{target.name:<10} {target.folder:<15} {_human(_size(path)):>9}"
            if target.name in chosen and path.exists() and not dry_run:
                shutil.rmtree(path)
                removed.append(target.folder)
                say(f"removed {line}")
            elif not chosen or target.name in chosen:
                say(f"{'would remove' if chosen else ''} {line}  ({target.cost})".strip())
        elif not chosen or target.name in chosen:
            removed += _engine(target, root, manifest, remove=target.name in chosen
                               and not dry_run, say=say)
    if not chosen:
        say("nothing removed: name what goes with --what NAME (or --what all);"
            " --dry-run lists it first")
    return removed


def _engine(target: Target, root: Path, manifest: manifest_mod.Manifest, *, remove: bool,
            say: Callable[[str], None]) -> list[str]:
    """List or remove one engine target; say so when no engine answers."""
    from docker.errors import DockerException

    from dockbuild.engine import client
    from dockbuild.errors import EngineUnavailable

    try:
        api = client.api(timeout=30)
    except EngineUnavailable:
        say(f"{target.name:<10} (no engine answers: nothing to list)")
        return []
    try:
        if target.name == "containers" and remove:  # what each image-test does first
            from dockbuild.imagetest.cleanup import sweep_dead_runs

            gone = sweep_dead_runs(api, say=say)  # their networks and volumes too
            say(f"removed {target.name:<10} {len(gone)}: {', '.join(gone) or 'none'}")
            return gone
        if target.name == "images":
            items = [(image["Id"], image["Id"][7:19]) for image in _old_images(api, manifest)]
        else:
            from dockbuild.imagetest.cleanup import dead_run_containers

            items = [(c["Id"], c["Id"][:12]) for c in dead_run_containers(api)]
        shown = ", ".join(short for _, short in items) or "none"
        if not remove:
            say(f"{target.name:<10} {len(items)} on the engine: {shown}  ({target.cost})")
            return []
        gone = []
        for ref, short in items:
            try:
                api.remove_image(ref)
                gone.append(short)
            except DockerException as exc:  # in use after all: it stays
                say(f"kept {short}: {str(exc).splitlines()[0][:160]}")
        say(f"removed {target.name:<10} {len(gone)}: {', '.join(gone) or 'none'}")
        return [f"image {short}" for short in gone]
    finally:
        api.close()
