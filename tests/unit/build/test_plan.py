"""Planning builds, hashing their inputs, naming tags: pure logic, no engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.build import plan, progress, rootimage, wheelhouse
from dockbuild.engine import tags
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
    with pytest.raises(InputError, match=r"--python 3\.9"):
        plan.target(academy, "3.9", None)
    with pytest.raises(InputError, match="--platform linux/s390x"):
        plan.target(academy, None, "linux/s390x")
    assert plan.target(academy, None, None) == ("3.11", "linux/amd64")


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


def test_tags_and_the_default_variant(academy: manifest.Manifest) -> None:
    assert tags.variant("3.11", "linux/arm64") == "py3.11-arm64"
    assert tags.variant_tag("academy-api", "3.13", "linux/amd64") == "academy-api:py3.13-amd64"
    assert tags.latest_tag("academy-api") == "academy-api:latest"
    assert tags.is_default(academy.variants, "3.11", "linux/amd64")
    assert not tags.is_default(academy.variants, "3.11", "linux/arm64")
    assert tags.promote(academy, "api", "3.13", "linux/amd64", api=object()) is None
    labels = tags.labels(inputs="h", revision="r", created="c", source="s", version="v",
                         title="t")
    assert labels["dockbuild.inputs"] == "h"
    assert labels["org.opencontainers.image.revision"] == "r"


def test_promote_moves_latest_of_the_default_variant_only(academy: manifest.Manifest) -> None:
    class FakeApi:
        def __init__(self) -> None:
            self.tagged: list[tuple[str, str, str]] = []

        def inspect_image(self, ref: str) -> dict[str, str]:
            assert ref == "academy-api:py3.11-amd64"
            return {"Id": "sha256:abc"}

        def tag(self, image: str, repository: str, tag: str, force: bool) -> None:
            self.tagged.append((image, repository, tag))

    api = FakeApi()
    assert tags.promote(academy, "api", "3.11", "linux/amd64", api=api) == "academy-api:latest"
    assert api.tagged == [("sha256:abc", "academy-api", "latest")]


def test_root_image_recipe_and_names() -> None:
    assert rootimage.suite_for("3.11") == "bookworm" and rootimage.suite_for("3.13") == "trixie"
    assert rootimage.local_ref("academy", "3.11", "linux/arm64") == "academy-python:3.11-arm64"
    assert rootimage.recipe_hash("3.11", "linux/amd64") != rootimage.recipe_hash("3.11",
                                                                                  "linux/arm64")
    assert rootimage.recipe_hash("3.11", "linux/amd64") == rootimage.recipe_hash("3.11",
                                                                                  "linux/amd64")
    recipe = rootimage.recipe("3.13", "linux/amd64")
    assert recipe["suite"] == "trixie"
    assert "python-is-python3" in recipe["packages"]  # type: ignore[operator]
    assert "usr/lib/python3*/EXTERNALLY-MANAGED" in recipe["cleanup"]  # type: ignore[operator]


def test_wheel_platform_tags_follow_the_target() -> None:
    amd = wheelhouse.platform_tags("linux/amd64", "bookworm")
    assert amd[0] == "manylinux_2_36_x86_64" and "manylinux2014_x86_64" in amd
    arm = wheelhouse.platform_tags("linux/arm64", "trixie")
    assert arm[0] == "manylinux_2_41_aarch64" and all("aarch64" in tag for tag in arm)
    assert wheelhouse.folder_name("3.13", "linux/arm64") == "py3.13-aarch64"
    args = wheelhouse.build_args("http://127.0.0.1:1", "3.11", "linux/amd64")
    assert args == {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "http://127.0.0.1:1/py3.11-x86_64/"}
    assert set(args) == set(plan.TRANSPORT_ARGS)


def test_wheelhouse_is_served_on_loopback_only(tmp_path: Path) -> None:
    import urllib.request

    (tmp_path / "py3.11-x86_64").mkdir()
    (tmp_path / "py3.11-x86_64" / "a-1-py3-none-any.whl").write_bytes(b"w")
    with wheelhouse.serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/py3.11-x86_64/") as page:
            assert b"a-1-py3-none-any.whl" in page.read()


def test_summary_table_is_aligned() -> None:
    text = progress.summary([
        progress.Row("academy-base", "py3.11-amd64", "skipped", 0.0, 245.2, "inputs unchanged"),
        progress.Row("academy-api", "py3.11-amd64", "failed", 3.25, None, "RUN exited 1"),
    ])
    lines = text.splitlines()
    assert lines[0].split() == ["image", "variant", "status", "time", "size"]
    assert lines[1].index("skipped") == lines[2].index("failed")
    assert "245 MB" in lines[1] and "3.2s" in lines[2] and " - " in lines[2]


def test_a_record_is_written_for_debian_pip_so_pip_can_upgrade_it(tmp_path: Path) -> None:
    site = tmp_path / rootimage.SITE
    info = site / "pip-25.1.1.dist-info"
    info.mkdir(parents=True)
    (info / "top_level.txt").write_text("pip\n")
    (info / "METADATA").write_text("Name: pip\n")
    (info / "entry_points.txt").write_text("[console_scripts]\npip = pip._internal:main\n"
                                           "pip3 = pip._internal:main\n")
    (site / "pip" / "_internal").mkdir(parents=True)
    (site / "pip" / "__init__.py").write_text("")
    (site / "pip" / "_internal" / "main.py").write_text("")
    (tmp_path / "usr/bin").mkdir(parents=True)
    (tmp_path / "usr/bin/pip").write_text("#!/usr/bin/python3\n")
    has_one = site / "six-1.0.dist-info"
    has_one.mkdir()
    (has_one / "RECORD").write_text("six.py,,\n")
    (has_one / "top_level.txt").write_text("six\n")

    assert rootimage.write_missing_records(tmp_path) == ["pip-25.1.1.dist-info"]
    record = (info / "RECORD").read_text().splitlines()
    assert "pip/__init__.py,," in record and "pip/_internal/main.py,," in record
    assert not [line for line in record if "bin/" in line]  # /usr/bin/pip must survive
    assert "pip-25.1.1.dist-info/METADATA,," in record
    assert record[-1] == "pip-25.1.1.dist-info/RECORD,,"
    assert (has_one / "RECORD").read_text() == "six.py,,\n"


def test_the_equivalent_cli_command_is_logged_verbatim() -> None:
    from dockbuild.build import builder

    line = builder.cli_equivalent(dockerfile="docker/api/Dockerfile", platform="linux/arm64",
                                  buildargs={"BASE_IMAGE": "academy-base:py3.11-arm64"},
                                  labels={"dockbuild.inputs": "h"}, network_mode="host",
                                  nocache=True)
    assert line == ("docker build --platform linux/arm64 -f docker/api/Dockerfile --rm --force-rm"
                    " --network host --no-cache --build-arg BASE_IMAGE=academy-base:py3.11-arm64"
                    " --label dockbuild.inputs=h .")


def test_plain_lines_in_ci_or_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("CI", "true")
    assert progress.plain_wanted(io.StringIO())
    monkeypatch.delenv("CI")
    assert progress.plain_wanted(io.StringIO())  # not a TTY
    out = io.StringIO()
    view = progress.view(out)
    view.state("api", "building")
    view.step("api", "Step 2/9 : FROM x")
    view.step("api", " ---> Using cache")
    assert out.getvalue() == "api: building\napi: Step 2/9 : FROM x\n"


def test_root_image_context_carries_the_official_images_apt_cleanup(tmp_path: Path) -> None:
    import tarfile

    tar = tmp_path / "rootfs.tar"
    with tarfile.open(tar, "w"):
        pass
    context = rootimage._context(tar)
    with tarfile.open(context) as out:
        names = out.getnames()
        clean = out.extractfile("apt.conf.d/docker-clean").read().decode()
        dockerfile = out.extractfile("Dockerfile").read().decode()
    assert {"Dockerfile", "rootfs.tar", "apt.conf.d/docker-clean"} <= set(names)
    assert "rm -f /var/cache/apt/archives/*.deb" in clean
    assert "COPY apt.conf.d/ /etc/apt/apt.conf.d/" in dockerfile
    # the apt settings are part of the image recipe but not of the cached debootstrap tree
    assert "apt" in rootimage.recipe("3.11", "linux/amd64")
    assert "apt" not in rootimage.tree_recipe("3.11", "linux/amd64")
