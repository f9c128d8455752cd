"""What `inv push` sends: parents first per platform, one manifest list per image."""

from __future__ import annotations

from pathlib import Path

from dockbuild.inputs import manifest
from dockbuild.release import push


def test_push_sends_parents_first_per_platform_and_one_list_per_image(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    todo = push.items(loaded, "127.0.0.1:5000", "3.11", ["linux/amd64", "linux/arm64"], ["api"])
    assert [(item.local, str(item.target)) for item in todo] == [
        ("academy-base:py3.11-amd64", "127.0.0.1:5000/academy-base:py3.11-amd64"),
        ("academy-api:py3.11-amd64", "127.0.0.1:5000/academy-api:py3.11-amd64"),
        ("academy-base:py3.11-arm64", "127.0.0.1:5000/academy-base:py3.11-arm64"),
        ("academy-api:py3.11-arm64", "127.0.0.1:5000/academy-api:py3.11-arm64"),
    ]
    groups = push.list_refs("127.0.0.1:5000", todo)
    assert {ref: [item.platform for item in items] for ref, items in groups.items()} == {
        "127.0.0.1:5000/academy-base:py3.11": ["linux/amd64", "linux/arm64"],
        "127.0.0.1:5000/academy-api:py3.11": ["linux/amd64", "linux/arm64"],
    }
    everything = push.items(loaded, "127.0.0.1:5000", "3.13", ["linux/amd64"])
    assert len(everything) == 1 + len(loaded.services)
