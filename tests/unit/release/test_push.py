"""What `inv push` sends: parents first per platform, one index per image, only what passed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def _tested(image: str, image_id: str, status: Any) -> Any:
    from dockbuild.imagetest.results import outcome

    return outcome(check="image.user", name="user", image=image, variant="py3.11-amd64",
                   status=status, requirement=("user", "user"), image_id=image_id)


def test_only_images_that_passed_image_test_for_their_id_are_pushed(
        repo_root: Path, tmp_path: Path, monkeypatch: Any) -> None:
    import pytest

    from dockbuild import runstore
    from dockbuild.errors import ChecksFailed
    from dockbuild.evidence import Status
    from dockbuild.imagetest import run as imagetest_run

    monkeypatch.setattr(imagetest_run, "host_platform", lambda: "linux/amd64")
    loaded = manifest.load(repo_root)
    todo = push.items(loaded, "127.0.0.1:5000", "3.11", ["linux/amd64"], ["messaging-worker"])
    ids = {"academy-base:py3.11-amd64": "sha256:b", "academy-messaging-worker:py3.11-amd64":
           "sha256:m"}
    inspect = lambda ref: {"Id": ids[ref]}  # noqa: E731
    runstore.save(tmp_path, "image-test", "py3.11-amd64", [
        _tested("academy-base:py3.11-amd64", "sha256:b", Status.PASS),
        _tested("academy-messaging-worker:py3.11-amd64", "sha256:old", Status.PASS)])
    with pytest.raises(ChecksFailed) as refused:
        push._require_tested(tmp_path, loaded, todo, inspect)
    assert "1 image(s) did not pass image-test" in refused.value.message
    assert "academy-messaging-worker:py3.11-amd64: stale evidence" in refused.value.message
    assert "academy-base" not in refused.value.message
    assert "inv image-test" in refused.value.hint
    runstore.save(tmp_path, "image-test", "py3.11-amd64", [
        _tested("academy-messaging-worker:py3.11-amd64", "sha256:m", Status.PASS),
        outcome_smoke("academy-messaging-worker:py3.11-amd64", "sha256:m")])
    push._require_tested(tmp_path, loaded, todo, inspect)  # every image passed as it is now


def outcome_smoke(image: str, image_id: str) -> Any:
    from dockbuild.evidence import Status
    from dockbuild.imagetest.results import outcome

    return outcome(check="smoke.job", name="smoke", image=image, variant="py3.11-amd64",
                   status=Status.PASS, requirement=("smoke", "smoke"), image_id=image_id)
