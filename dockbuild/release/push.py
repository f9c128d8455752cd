"""``inv push --registry HOST:PORT``: variant tags, root images, one multi-platform index per image.

Each image of one Python variant goes to the registry once per platform
(``HOST/academy-api:py3.11-amd64``, ``...-arm64``) through the engine, with the
provenance attestation BuildKit made for it; then ``buildx imagetools create``
joins the platforms into one index ``HOST/academy-api:py3.11``, so
``docker pull HOST/academy-api:py3.11`` gets the right one on any machine.
The Debian-made root images go too: a fresh engine that pulls them can build
the base with ``inv build --cache-from HOST:PORT`` without debootstrap.

Only what passed: every platform image must hold ``inv image-test`` evidence
for its current image id (the rule that moves ``:latest``), else nothing is
pushed and the message names the image and why.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dockbuild import signals
from dockbuild.build import plan, rootimage
from dockbuild.engine import buildx, images, registry, tags
from dockbuild.errors import ChecksFailed, EnvironmentProblem
from dockbuild.inputs import manifest as manifest_mod
from dockbuild.inputs import variants
from dockbuild.release.temptags import TemporaryTags

log = logging.getLogger("dockbuild")


@dataclasses.dataclass(frozen=True, slots=True)
class Item:
    """One local image and where it goes."""

    local: str
    target: registry.Reference
    platform: str
    list_tag: str | None  # the index this platform joins, None for root images
    name: str = ""  # the manifest's image name; "" for root images (build inputs, not releases)
    python: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Pushed:
    """One reference now in the registry (a platform image or a manifest list)."""

    ref: str
    digest: str
    seconds: float
    platforms: tuple[str, ...]


def items(manifest: manifest_mod.Manifest, host: str, python: str, platforms: Sequence[str],
          services: Sequence[str] = ()) -> list[Item]:
    """Return what to push for one Python variant, parents first (pure)."""
    result = []
    for platform in platforms:
        for step in plan.plan(manifest, python, platform, services=services):
            result.append(Item(step.tag, registry.reference(host, step.tag), platform,
                               f"{step.image}:py{python}", step.name, python))
    return result


def list_refs(host: str, todo: Sequence[Item]) -> dict[str, list[Item]]:
    """Group the platform images by the manifest list they join (pure)."""
    groups: dict[str, list[Item]] = {}
    for item in todo:
        if item.list_tag is not None:
            groups.setdefault(str(registry.reference(host, item.list_tag)), []).append(item)
    return groups


def _root_items(manifest: manifest_mod.Manifest, host: str, python: str,
                platforms: Sequence[str], inspect: Callable[[str], Any]) -> list[Item]:
    """Return the Debian-made root images of the variant that the engine holds."""
    found = []
    for platform in platforms:
        root = rootimage.find(manifest.root, manifest.base.root_image_for(python),
                              manifest.project, python, platform, inspect=inspect)
        if root is not None and root.how == "cached":  # a pulled python:X-slim stays upstream
            found.append(Item(root.ref, registry.reference(host, root.ref), platform, None))
    return found


def _require_tested(root: Path, manifest: manifest_mod.Manifest, todo: Sequence[Item],
                    inspect: Callable[[str], Any]) -> None:
    """Refuse the push unless each image passed image-test for the id it has now."""
    from dockbuild import runstore
    from dockbuild.imagetest import promotion
    from dockbuild.imagetest.run import host_platform

    stored = runstore.records(root, "image-test")
    refused = []
    for item in todo:
        image_id = str((inspect(item.local) or {}).get("Id", ""))
        smoke = item.name in manifest.services and bool(manifest.services[item.name].smoke)
        decision = promotion.decide(
            item.local, image_id, stored.get(tags.variant(item.python, item.platform), []),
            smoke_declared=smoke, smoke_ran=True, emulated=item.platform != host_platform())
        if not decision.ok:
            refused.append(f"{item.local}: {decision.why}")
    if refused:
        msg = f"{len(refused)} image(s) did not pass image-test as they are now: " + "; ".join(
            refused)
        raise ChecksFailed(msg, hint="run `inv image-test` for each platform, then push")


def _sbom(root: Path, api: Any, item: Item, pushed: registry.Descriptor) -> str:
    """Push the SBOM of ``item`` (made now when image-test did not keep one) beside it."""
    from dockbuild.contents import store
    from dockbuild.release import sbomattach

    info = images.require(item.local, api=api)
    text, _ = store.for_image(root, item.local, info, tags.variant(item.python, item.platform))
    return sbomattach.attach(item.target, pushed, text)


def _push_one(api: Any, item: Item, temporary: TemporaryTags) -> registry.Descriptor:
    """Tag, push and untag one image; return its manifest and platform as the registry has it."""
    info = images.require(item.local, api=api)
    with temporary.tagged(str(info["Id"]), str(item.target)):
        for chunk in api.push(item.target.name, tag=item.target.tag, stream=True, decode=True):
            if "error" in chunk:
                msg = f"push of {item.target} failed: {str(chunk['error']).strip()[:300]}"
                raise ChecksFailed(msg)
    found = registry.head_manifest(item.target)
    if found is None:
        msg = f"the registry does not show {item.target} after the push"
        raise ChecksFailed(msg)
    return dataclasses.replace(found, os=info.get("Os") or "linux",
                               architecture=info["Architecture"], variant=info.get("Variant") or "")


def run(root: Path, host: str, *, python: str | None = None, platform: str | None = None,
        services: Sequence[str] = (), say: Callable[[str], None] = print) -> list[Pushed]:
    """Push the variant tags and the manifest lists; return what the registry now holds."""
    from dockbuild.engine import client
    from dockbuild.engine import start as engine

    manifest = manifest_mod.load(root)
    python, _ = variants.target(manifest, python, platform)  # both checked against the manifest
    platforms = [platform] if platform else list(manifest.variants.platforms)
    registry.check(host)
    engine.ensure_engine(root / ".cache")
    local = images.Engine(root)
    todo = items(manifest, host, python, platforms, services)
    missing = [item for item in todo if local.inspect(item.local) is None]
    if missing:
        first = missing[0]
        msg = f"{len(missing)} image(s) to push are not built: " + ", ".join(
            item.local for item in missing)
        raise EnvironmentProblem(msg, hint=f"run `inv build --python {python}"
                                 f" --platform {first.platform}` first")
    _require_tested(root, manifest, todo, local.inspect)
    todo = _root_items(manifest, host, python, platforms, local.inspect) + todo
    api = client.api()
    pushed: list[Pushed] = []
    digests: dict[str, registry.Descriptor] = {}
    temporary = TemporaryTags(root, api)
    try:
        temporary.sweep(say)
        with signals.sigterm_as_interrupt():  # SIGTERM removes the temporary tag too
            for item in todo:
                say(f"push {item.local} -> {item.target}")
                started = time.monotonic()
                digests[item.local] = _push_one(api, item, temporary)
                if item.name:  # a release image: its SBOM goes beside it
                    say(f"sbom {item.local} -> {_sbom(root, api, item, digests[item.local])}")
                pushed.append(Pushed(str(item.target), digests[item.local].digest,
                                     time.monotonic() - started, (item.platform,)))
    finally:
        api.close()
    for ref, members in list_refs(host, [item for item in todo if item.list_tag]).items():
        started = time.monotonic()
        buildx.imagetools_create(ref, [f"{item.target.name}@{digests[item.local].digest}"
                                       for item in members])
        found = registry.head_manifest(registry.parse(ref))
        say(f"index {ref} -> {', '.join(item.platform for item in members)}")
        pushed.append(Pushed(ref, found.digest if found else "", time.monotonic() - started,
                             tuple(item.platform for item in members)))
    return pushed


def summary(pushed: Sequence[Pushed]) -> str:
    """Return the table printed after a push."""
    width = max((len(p.ref) for p in pushed), default=10)
    lines = [f"{'reference':<{width}}  {'digest':<19}  {'platforms':<24}  seconds"]
    for p in pushed:
        lines.append(f"{p.ref:<{width}}  {p.digest[:19]:<19}  {','.join(p.platforms):<24}"
                     f"  {p.seconds:7.1f}")
    return "\n".join(lines)

