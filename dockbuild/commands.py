"""One function per verb. tasks.py, noxfile.py and ``python -m dockbuild`` all call these."""

from __future__ import annotations

from pathlib import Path

from dockbuild import manifest as manifest_mod
from dockbuild.errors import InputError, NotBuiltYet

LATER = {
    "build-base": "issue 4 (offline root images and the base build)",
    "build-services": "issue 4 (ordered parallel service builds)",
    "build": "issue 4 (build-base then build-services)",
    "image-test": "issue 5 (structure and smoke tests of the images)",
    "report": "issue 6 (the alignment report written from evidence)",
    "verify": "issue 6 (lint, build, image-test, report)",
}


def resolve_root(root: Path | str | None) -> Path:
    """Return the repository to work on: ``root`` when given, else found from the cwd."""
    if root is None:
        return manifest_mod.find_root()
    root = Path(root).resolve()
    if not (root / manifest_mod.MANIFEST).is_file():
        msg = f"--root {root} holds no {manifest_mod.MANIFEST}"
        raise InputError(msg, hint="point --root at the repository's top folder")
    return root


def check_manifest(root: Path | str | None = None) -> manifest_mod.Manifest:
    """Load and validate the manifest; print a one-line summary."""
    manifest = manifest_mod.load(resolve_root(root))
    services = ", ".join(manifest.services)
    print(
        f"{manifest.path}: ok: base {manifest.base.name}, {len(manifest.services)} services"
        f" ({services}), python {'/'.join(manifest.variants.python)},"
        f" {'/'.join(manifest.variants.platforms)}; build order: {' -> '.join(manifest.build_order())}"
    )
    return manifest


def engine_up(root: Path | str | None = None) -> str:
    """Make sure a Docker engine answers, starting a local one when this machine allows it."""
    from dockbuild import engine

    try:
        state_dir = resolve_root(root) / ".cache"
    except InputError:
        state_dir = None
    version = engine.ensure_engine(state_dir)
    emulation = "arm64 emulation on" if engine.enable_emulation() else "no arm64 emulation"
    print(f"Docker engine {version} answers ({emulation})")
    return version


def not_built_yet(verb: str) -> None:
    """Say plainly that a verb is not implemented yet, and fail."""
    msg = f"`{verb}` is not implemented yet: it arrives with {LATER[verb]}"
    raise NotBuiltYet(msg)
