"""The planner's view for CI: which images a change touches, and how N runners split them.

``--changed-since REF``: an image is affected when a path it reads (its
Dockerfile, the context files its COPYs read after .dockerignore, its
requirements) differs between REF and the work tree, when the manifest or the
.dockerignore changed (either can change what every image reads), or when its
parent is affected. Computed from git alone, no engine; the input hash still
decides at build time, so a planned image whose content did not change is skipped.

``--shard K/N``: the affected services dealt round-robin in build order; every
shard builds the base (reused from the registry cache by all but the first).
"""

from __future__ import annotations

from pathlib import Path

from dockbuild import gitinfo
from dockbuild.build import contextcache
from dockbuild.errors import InputError
from dockbuild.inputs import manifest as manifest_mod

#: Files whose change can change what every image reads.
EVERYTHING = (manifest_mod.MANIFEST.as_posix(), ".dockerignore")


def affected(root: Path, manifest: manifest_mod.Manifest, ref: str) -> list[str]:
    """Return the images (manifest names, build order) that differ from ``ref``, with children."""
    changed = gitinfo.changed_since(root, ref)
    if changed is None:
        msg = f"--changed-since {ref}: not a commit git knows here"
        raise InputError(msg, hint="fetch it first (`git fetch origin main`), or name a sha")
    order = manifest.build_order()
    if changed & set(EVERYTHING):
        return order
    kept = contextcache.ContextCache(root)  # the walk and COPY sources a build keeps too
    hit: set[str] = set()
    for name in order:
        image = manifest.get(name)
        reads = {image.dockerfile.as_posix(), *kept.files_for(image.dockerfile)}
        if image.requirements is not None:
            reads.add(image.requirements.as_posix())
        if reads & changed or (image.parent is not None and image.parent in hit):
            hit.add(name)
    kept.save()
    return [name for name in order if name in hit]


def shard(manifest: manifest_mod.Manifest, names: list[str], spec: str) -> list[str]:
    """Return shard K of N (``spec`` "K/N") of ``names``: the base, then every N-th service."""
    try:
        k, n = (int(part) for part in spec.split("/"))
        if not 1 <= k <= n:
            raise ValueError
    except ValueError:
        msg = f"--shard {spec!r} is not K/N with 1 <= K <= N"
        raise InputError(msg, hint="e.g. --shard 1/4 on the first of four runners") from None
    services = [name for name in names if name in manifest.services]
    mine = set(services[k - 1::n])
    for name in list(mine):  # a service built FROM another service needs it in this shard too
        parent = manifest.get(name).parent
        while parent is not None and parent in manifest.services:
            mine.add(parent)
            parent = manifest.get(parent).parent
    return [name for name in names if name not in manifest.services or name in mine]


def select(root: Path, manifest: manifest_mod.Manifest, services: tuple[str, ...],
           changed_since: str | None, shard_spec: str | None) -> tuple[str, ...] | None:
    """Return the image names a command works on after --changed-since and --shard.

    None: neither was given (the command's own default, every image). An empty
    tuple: nothing is affected (or this shard has no service).
    """
    if not changed_since and not shard_spec:
        return None
    names = manifest.build_order()
    if services:
        names = [name for name in names if name in services or name not in manifest.services]
    if changed_since:
        hit = set(affected(root, manifest, changed_since))
        names = [name for name in names if name in hit]
    if shard_spec:
        names = shard(manifest, names, shard_spec)
    return tuple(names)


def matrix(root: Path, manifest: manifest_mod.Manifest, *, changed_since: str | None,
           shards: int | str) -> dict[str, list[dict[str, object]]]:
    """Return the CI matrix: one cell per variant x shard that has a service to build.

    Each cell carries ``arch`` too (amd64, arm64): what a workflow picks its runner by.
    """
    if not str(shards).isdigit() or int(shards) < 1:
        msg = f"--shards {shards!r} is not a number of 1 or more"
        raise InputError(msg, hint="e.g. --shards 4")
    shards = int(shards)
    names = affected(root, manifest, changed_since) if changed_since else manifest.build_order()
    cells = []
    for python in manifest.variants.python:
        for platform in manifest.variants.platforms:
            for k in range(1, shards + 1):
                mine = shard(manifest, names, f"{k}/{shards}")
                services = [name for name in mine if name in manifest.services]
                if services:
                    cells.append({"python": python, "platform": platform,
                                  "arch": platform.rpartition("/")[2],
                                  "shard": f"{k}/{shards}", "services": services})
    return {"include": cells}
