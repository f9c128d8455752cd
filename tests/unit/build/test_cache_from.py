"""--cache-from: the registry tag a build takes its layers from."""

from __future__ import annotations

from pathlib import Path

from dockbuild.build import cache_from as buildcache
from dockbuild.build import plan
from dockbuild.inputs import manifest


def test_cache_from_pulls_the_tag_another_engine_pushed(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    step = plan.plan(loaded, "3.11", "linux/arm64", services=["api"])[-1]
    assert buildcache.cache_ref("127.0.0.1:5000", step) == "127.0.0.1:5000/academy-api:py3.11-arm64"
