"""Image tags: the variant names, latest of the default variant, the OCI labels."""

from __future__ import annotations

import pytest

from dockbuild.engine import tags
from dockbuild.inputs import manifest


def test_tags_and_the_default_variant(academy: manifest.Manifest) -> None:
    assert tags.variant("3.11", "linux/arm64") == "py3.11-arm64"
    assert tags.variant_tag("academy-api", "3.13", "linux/amd64") == "academy-api:py3.13-amd64"
    assert tags.latest_tag("academy-api") == "academy-api:latest"
    assert tags.is_default(academy.variants, "3.11", "linux/amd64")
    assert not tags.is_default(academy.variants, "3.11", "linux/arm64")
    assert tags.promote(academy, "api", "3.13", "linux/amd64", api=object(),
                        image_id="sha256:abc") is None
    labels = tags.labels(inputs="h", revision="r", created="c", source="s", version="v",
                         title="t")
    assert labels["dockbuild.inputs"] == "h"
    assert labels["org.opencontainers.image.revision"] == "r"


def test_promote_moves_latest_of_the_default_variant_only(academy: manifest.Manifest,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # An engine only the SDK speaks to: inspect and tag go through the caller's client.
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")

    class FakeApi:
        def __init__(self) -> None:
            self.tagged: list[tuple[str, str, str]] = []

        def inspect_image(self, ref: str) -> dict[str, str]:
            assert ref == "academy-api:py3.11-amd64"
            return {"Id": "sha256:abc"}

        def tag(self, image: str, repository: str, tag: str, force: bool) -> None:
            self.tagged.append((image, repository, tag))

    api = FakeApi()
    assert tags.promote(academy, "api", "3.11", "linux/amd64", api=api,
                        image_id="sha256:abc") == "academy-api:latest"
    assert api.tagged == [("sha256:abc", "academy-api", "latest")]
    # the tag was rebuilt after the tests began: the tested id has no say over :latest
    assert tags.promote(academy, "api", "3.11", "linux/amd64", api=api,
                        image_id="sha256:old") is None
    assert tags.promote(academy, "api", "3.11", "linux/amd64", api=api, image_id="") is None
    assert api.tagged == [("sha256:abc", "academy-api", "latest")]
