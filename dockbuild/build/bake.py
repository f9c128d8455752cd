"""``inv bake``: the manifest's images of one variant as a docker-bake definition (JSON).

The ecosystem's interchange: ``docker buildx bake -f FILE`` builds the same
images as ``inv build`` without this tool, in one BuildKit session. Each
service reaches its parent through a ``target:`` named context, so bake
schedules the graph itself; the wheelhouse is the named context ``wheels``
exactly as in ``inv build``. What bake cannot do is the input-hash skip and
the Debian-made root image: the root image must already be on the engine
(``inv build-base`` makes it), and every target is sent to BuildKit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dockbuild.build import plan, rootimage, wheelhouse
from dockbuild.inputs import manifest as manifest_mod

#: A parent's name of our own: bake's ``target:`` context replaces it, and no
#: registry could ever answer for it.
PARENT_CONTEXT = "dockbuild-parent-"


def target_name(name: str) -> str:
    """Return a bake target name for a manifest image (bake allows [a-zA-Z0-9_-])."""
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in name)


def definition(manifest: manifest_mod.Manifest, python: str, platform: str,
               *, root_image: str | None = None) -> dict[str, Any]:
    """Return the bake definition (the JSON form of docker-bake.hcl) for one variant.

    Paths are relative to the repository root, where bake is run from.
    """
    steps = plan.plan(manifest, python, platform)
    wheels = Path(".cache") / "wheels" / wheelhouse.folder_name(python, platform)
    base_root = root_image or rootimage.local_ref(manifest.project, python, platform)
    targets: dict[str, Any] = {}
    for step in steps:
        contexts = {wheelhouse.CONTEXT: wheels.as_posix()}
        if step.parent is None:
            parent_value = base_root
        else:
            parent_value = PARENT_CONTEXT + target_name(step.parent)
            contexts[parent_value] = f"target:{target_name(step.parent)}"
        targets[target_name(step.name)] = {
            "context": ".",
            "dockerfile": step.dockerfile.as_posix(),
            "platforms": [platform],
            "args": {step.parent_arg: parent_value, **wheelhouse.build_args()},
            "contexts": contexts,
            "tags": [step.tag],
        }
    return {"group": {"default": {"targets": list(targets)}}, "target": targets}


def render(definition_: dict[str, Any]) -> str:
    """Return the definition as bake reads it (``docker-bake.json``)."""
    return json.dumps(definition_, indent=2) + "\n"


def run(root: Path, manifest: manifest_mod.Manifest, *, python: str | None,
        platform: str | None, output: str | None) -> dict[str, Any]:
    """Print the definition, or write it to ``output``; the root image is the engine's if any."""
    from dockbuild import fsio
    from dockbuild.engine import images, rawapi
    from dockbuild.inputs import variants

    python, platform = variants.target(manifest, python, platform)
    root_ref = manifest.base.root_image_for(python)
    try:  # the Debian-made root image when the engine has it (offline), else the manifest's
        found = rootimage.find(manifest.root, root_ref, manifest.project, python, platform,
                               inspect=lambda ref: images.inspect(ref, sdk=False))
    except rawapi.Unreachable:
        found = None
    made = definition(manifest, python, platform, root_image=found.ref if found else root_ref)
    text = render(made)
    if output:
        fsio.write_text(root / output, text)
        print(f"wrote {output}: `docker buildx bake -f {output}` builds"
              f" {len(made['target'])} images for py{python} {platform}")
    else:
        print(text, end="")
    return made
