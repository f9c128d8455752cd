"""The root Python image: its recipe, names, RECORD files and build context."""

from __future__ import annotations

from pathlib import Path

from dockbuild import fsio
from dockbuild.build import rootfs, rootimage


def test_root_image_recipe_and_names() -> None:
    assert rootfs.suite_for("3.11") == "bookworm" and rootfs.suite_for("3.13") == "trixie"
    assert rootimage.local_ref("academy", "3.11", "linux/arm64") == "academy-python:3.11-arm64"
    assert rootimage.recipe_hash("3.11", "linux/amd64") != rootimage.recipe_hash("3.11",
                                                                                  "linux/arm64")
    assert rootimage.recipe_hash("3.11", "linux/amd64") == rootimage.recipe_hash("3.11",
                                                                                  "linux/amd64")
    recipe = rootimage.recipe("3.13", "linux/amd64")
    assert recipe["suite"] == "trixie"
    assert "python-is-python3" in recipe["packages"]  # type: ignore[operator]
    assert "usr/lib/python3*/EXTERNALLY-MANAGED" in recipe["cleanup"]  # type: ignore[operator]


def test_a_record_is_written_for_debian_pip_so_pip_can_upgrade_it(tmp_path: Path) -> None:
    site = tmp_path / rootfs.SITE
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

    assert rootfs.write_missing_records(tmp_path) == ["pip-25.1.1.dist-info"]
    record = (info / "RECORD").read_text().splitlines()
    assert "pip/__init__.py,," in record and "pip/_internal/main.py,," in record
    assert not [line for line in record if "bin/" in line]  # /usr/bin/pip must survive
    assert "pip-25.1.1.dist-info/METADATA,," in record
    assert record[-1] == "pip-25.1.1.dist-info/RECORD,,"
    assert (has_one / "RECORD").read_text() == "six.py,,\n"


def test_root_image_context_carries_the_official_images_apt_cleanup(tmp_path: Path) -> None:
    import tarfile

    tar = tmp_path / "rootfs.tar"
    with tarfile.open(tar, "w"):
        pass
    context = rootimage._context(tar)
    names = {p.relative_to(context).as_posix() for p in context.rglob("*")}
    clean = (context / "apt.conf.d" / "docker-clean").read_text()
    dockerfile = (context / "Dockerfile").read_text()
    assert {"Dockerfile", "rootfs.tar", "apt.conf.d/docker-clean"} <= names
    assert (context / "rootfs.tar").samefile(tar)  # a hard link, not a copy
    assert "rm -f /var/cache/apt/archives/*.deb" in clean
    assert "COPY apt.conf.d/ /etc/apt/apt.conf.d/" in dockerfile
    # the apt settings are part of the image recipe but not of the cached debootstrap tree
    assert "apt" in rootimage.recipe("3.11", "linux/amd64")
    assert "apt" not in rootfs.tree_recipe("3.11", "linux/amd64")


def test_a_cached_root_image_is_found_by_its_recipe_label(tmp_path: Path) -> None:
    ref = rootimage.local_ref("academy", "3.11", "linux/amd64")
    label = {rootimage.RECIPE_LABEL: rootimage.recipe_hash("3.11", "linux/amd64"),
             rootimage.ROOTFS_LABEL: "f" * 64}
    known = {ref: {"Id": "sha256:root", "Architecture": "amd64", "Config": {"Labels": label}}}
    found = rootimage.find(tmp_path, "python:3.11-slim", "academy", "3.11", "linux/amd64",
                           inspect=known.get)
    assert found == rootimage.RootImage(ref, "sha256:root", "cached")
    stale = {ref: {**known[ref], "Config": {"Labels": {rootimage.RECIPE_LABEL: "old"}}}}
    assert rootimage.find(tmp_path, "python:3.11-slim", "academy", "3.11", "linux/amd64",
                          inspect=stale.get) is None


def test_a_root_image_counts_only_when_checked_and_made_from_the_tar_kept(tmp_path: Path) -> None:
    ref = rootimage.local_ref("academy", "3.11", "linux/amd64")
    recipe = {rootimage.RECIPE_LABEL: rootimage.recipe_hash("3.11", "linux/amd64")}

    def found(labels: dict[str, str]) -> bool:
        info = {ref: {"Id": "sha256:root", "Architecture": "amd64", "Config": {"Labels": labels}}}
        return rootimage.find(tmp_path, "python:3.11-slim", "academy", "3.11", "linux/amd64",
                              inspect=info.get) is not None

    assert not found(recipe)  # made before python3 was run in it: made again
    assert found({**recipe, rootimage.ROOTFS_LABEL: "a" * 64})  # no tar kept: it stands alone
    folder = rootfs.cache_dir(tmp_path, "3.11", "linux/amd64")
    folder.mkdir(parents=True)
    (folder / rootfs.DIGEST).write_text("b" * 64 + "\n")
    assert not found({**recipe, rootimage.ROOTFS_LABEL: "a" * 64})  # another tar now
    assert found({**recipe, rootimage.ROOTFS_LABEL: "b" * 64})


def test_a_truncated_or_replaced_tar_is_a_problem_and_a_sound_one_is_sealed(
        tmp_path: Path) -> None:
    import tarfile

    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "file").write_bytes(b"x" * 100_000)
    tar = tmp_path / "rootfs.tar"
    with tarfile.open(tar, "w") as archive:
        archive.add(tmp_path / "tree", arcname=".")
    good = tar.read_bytes()
    assert rootfs.tar_problem(tar) is None  # made before digests: listed, then sealed
    assert (tmp_path / rootfs.DIGEST).read_text().strip() == fsio.sha256(tar)
    tar.write_bytes(good[:30_000])
    assert rootfs.tar_problem(tar) == "does not match the sha256 recorded when it was made"
    (tmp_path / rootfs.DIGEST).unlink()
    assert rootfs.tar_problem(tar) == "is not a complete tar archive"
    tar.write_bytes(b"garbage" * 1000)
    assert rootfs.tar_problem(tar) == "is not a complete tar archive"
    tar.write_bytes(good)
    assert rootfs.tar_problem(tar) is None and rootfs.tar_problem(tar) is None
