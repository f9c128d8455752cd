"""Before a build: can the builder build every feature used, and is every build secret set?

A Dockerfile with a heredoc sent to dockerd 20.10 (BuildKit 0.8) fails deep in
the build with a parse error; checked first, it fails before anything runs with
one line that names the file, the line, the feature and the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from dockbuild.engine import buildx
from dockbuild.errors import InputError, Location
from dockbuild.inputs import dockerfile, features
from dockbuild.inputs.manifest import Manifest

FIX = ("run `inv engine-up` on Debian (it installs Debian 13's docker.io 26.1 with BuildKit 0.13),"
       " or point DOCKBUILD_BUILDER at a newer builder")


def require(root: Path, dockerfiles: Iterable[Path], engine_version: str) -> buildx.BuildKit | None:
    """Raise on the first feature the builder cannot build; return the BuildKit found.

    Raises:
        InputError: a Dockerfile uses a feature newer than the builder's BuildKit (exit 2).
    """
    kit = buildx.buildkit(engine_version)
    if kit is None:
        msg = f"dockerd {engine_version} has no BuildKit this tool can drive"
        raise InputError(msg, hint=FIX)
    for path in dict.fromkeys(dockerfiles):
        parsed = dockerfile.parse((root / path).read_text(encoding="utf-8"), path.as_posix())
        for feature, line in features.missing(parsed, kit.version):
            msg = (f"{feature.name} needs BuildKit {feature.since_text} or newer;"
                   f" this engine has {kit.text}")
            raise InputError(msg, where=Location(path, line), hint=FIX)
    return kit


def require_secrets(manifest: Manifest, names: Iterable[str],
                    environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Return each image's build secrets (id -> variable); raise when a variable is unset.

    Raises:
        InputError: a secret's variable is not set, at the manifest's ``secrets`` line (exit 2).
    """
    found: dict[str, dict[str, str]] = {}
    for name in names:
        image = manifest.get(name)
        for ident, env in image.secrets:
            if env not in environ:
                msg = f"{name}: build secret {ident!r} reads ${env}, which is not set"
                raise InputError(msg, where=Location(manifest.path, image.line_of("secrets")),
                                 hint=f"export {env} before the build (BuildKit mounts it in the"
                                 " RUN that asks for it; it enters no layer)")
        found[name] = dict(image.secrets)
    return found
