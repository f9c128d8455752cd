"""image-test options that cannot work are exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockbuild.errors import InputError
from dockbuild.imagetest import run as imagetest


def test_options_that_cannot_work_are_exit_2() -> None:
    for options in (imagetest.Options(fmt="sarif"), imagetest.Options(config=Path("x.yaml")),
                    imagetest.Options(config=Path("x"), image="i", services=("api",))):
        with pytest.raises(InputError) as info:
            imagetest.check_options(options)
        assert info.value.exit_code == 2


class _Client:
    api = None  # never asked: tags.promote is replaced


FAKE_CLIENT = _Client()


def test_promotion_moves_only_complete_evidence_and_says_what_it_did_or_refused(
        academy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.engine import tags
    from dockbuild.evidence import Status
    from dockbuild.imagetest.results import FAIL, PASS, outcome

    moved: list[tuple[str, str]] = []

    def promote(manifest: Any, name: str, python: str, platform: str, api: Any = None, *,
                image_id: str) -> str | None:
        moved.append((name, image_id))
        return f"{name}:latest"

    monkeypatch.setattr(tags, "promote", promote)
    monkeypatch.setattr(imagetest, "host_platform", lambda: "linux/amd64")

    def result(name: str, status: Any, image_id: str) -> Any:
        return outcome(check="image.user", name="user", image=f"{name}:py3.11-amd64",
                       variant="py3.11-amd64", status=status, requirement=("", ""),
                       image_id=image_id)

    said: list[str] = []
    records = imagetest._promote(
        FAKE_CLIENT, academy, ["academy-base", "messaging-worker", "api"], ("3.11", "linux/amd64"),
        [result("academy-base", PASS, "sha256:b"),
         result("academy-messaging-worker", FAIL, "sha256:m"),
         result("academy-api", PASS, "sha256:a")],
        smoke=True, say=said.append)
    assert moved == [("academy-base", "sha256:b")]  # api: partial (no smoke result), not asked
    assert said == [
        "promote: academy-base:latest -> sha256:b (academy-base:py3.11-amd64)",
        "promote: academy-messaging-worker:latest not moved: 1 test(s) failed: user",
        "promote: academy-api:latest not moved: partial evidence: no smoke test result"]
    assert [r.status for r in records] == [Status.PASS, Status.SKIP, Status.SKIP]
    assert [r.image_id for r in records] == ["sha256:b", "sha256:m", "sha256:a"]
    # the tag moved while it was tested: tags.promote refuses, and the run says so
    monkeypatch.setattr(tags, "promote", lambda *_a, **_k: None)
    said.clear()
    imagetest._promote(FAKE_CLIENT, academy, ["academy-base"], ("3.11", "linux/amd64"),
                       [result("academy-base", PASS, "sha256:b")], smoke=True, say=said.append)
    assert said == ["promote: academy-base:latest not moved:"
                    " academy-base:py3.11-amd64 changed while it was tested"]
    # another variant owns no :latest: nothing is decided or said
    assert imagetest._promote(FAKE_CLIENT, academy, ["academy-base"], ("3.13", "linux/amd64"),
                              [result("academy-base", PASS, "sha256:b")], smoke=True,
                              say=said.append) == []
