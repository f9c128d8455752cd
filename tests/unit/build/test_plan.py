"""Planning builds: order, narrowing, the targets, the input hash; pure logic, no engine."""

from __future__ import annotations

import pytest

from dockbuild.build import plan
from dockbuild.errors import InputError
from dockbuild.inputs import manifest


def test_plan_builds_the_base_first_then_every_service(academy: manifest.Manifest) -> None:
    steps = plan.plan(academy, "3.11", "linux/amd64")
    assert steps[0].name == academy.base.name and steps[0].parent is None
    assert [s.name for s in steps[1:]] == list(academy.services)
    assert {s.parent for s in steps[1:]} == {academy.base.name}
    assert steps[1].tag == "academy-api:py3.11-amd64"
    assert steps[0].parent_arg == "PYTHON_IMAGE" and steps[1].parent_arg == "BASE_IMAGE"


def test_plan_narrows_to_services_and_halves(academy: manifest.Manifest) -> None:
    only = plan.plan(academy, "3.13", "linux/arm64", services=["api"])
    assert [s.name for s in only] == [academy.base.name, "api"]
    assert only[1].variant == "py3.13-arm64"
    assert [s.name for s in plan.plan(academy, "3.11", "linux/amd64", include_services=False)] \
        == [academy.base.name]
    assert academy.base.name not in [s.name for s in plan.plan(academy, "3.11", "linux/amd64",
                                                               base=False)]


def test_services_with_apt_packages_start_first(academy: manifest.Manifest) -> None:
    steps = plan.longest_first(academy, plan.plan(academy, "3.11", "linux/amd64"))
    assert steps[0].name == academy.base.name
    assert [s.name for s in steps[1:3]] == ["ai-worker-cpu", "video-worker"]


def test_unknown_service_and_variant_are_input_errors(academy: manifest.Manifest) -> None:
    with pytest.raises(InputError, match="no service called nope"):
        plan.plan(academy, "3.11", "linux/amd64", services=["nope"])


def test_input_hash_ignores_the_wheelhouse_address_only() -> None:
    common = {"files_digest": "f", "parent_id": "sha256:1", "platform": "linux/amd64",
              "python": "3.11"}
    one = plan.input_hash(buildargs={"BASE_IMAGE": "b", "PIP_FIND_LINKS": "http://h:1/",
                                     "PIP_NO_INDEX": "1"}, **common)
    assert one == plan.input_hash(buildargs={"BASE_IMAGE": "b", "PIP_FIND_LINKS": "http://h:2/"},
                                  **common)
    assert one != plan.input_hash(buildargs={"BASE_IMAGE": "c"}, **common)
    for key, value in (("parent_id", "sha256:2"), ("platform", "linux/arm64"),
                       ("python", "3.13"), ("files_digest", "g")):
        assert one != plan.input_hash(buildargs={"BASE_IMAGE": "b"}, **{**common, key: value})
