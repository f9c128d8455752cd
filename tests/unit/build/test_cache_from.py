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


def test_the_registry_cache_is_one_tag_per_image_and_variant(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    step = plan.plan(loaded, "3.11", "linux/arm64", services=["api"])[-1]
    ref = "127.0.0.1:5000/academy-api:buildcache-py3.11-arm64"
    assert buildcache.import_args("127.0.0.1:5000", step) == [f"type=registry,ref={ref}"]
    assert buildcache.export_args("127.0.0.1:5000", step) == [f"type=registry,ref={ref},mode=max"]
    assert buildcache.import_args(None, step) == buildcache.export_args(None, step) == []
