"""Images made only for a test, built the way the product builds: BuildKit through buildx."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def build(folder: Path, tag: str | None = None, *, dockerfile: str = "Dockerfile",
          buildargs: Mapping[str, str] | None = None, platform: str = "linux/amd64") -> str:
    """Build ``folder`` with ``docker buildx build``, tag it (when ``tag``); return the id."""
    from dockbuild.build import builder
    from dockbuild.engine import tags

    result = builder.Build().run(builder.Request(
        context=folder, dockerfile=dockerfile, platform=platform, buildargs=dict(buildargs or {})))
    if tag is not None:
        tags.point(result.image_id, tag)
    return result.image_id
