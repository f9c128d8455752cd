"""The wheelhouse: platform tags of the target, build arguments, damaged wheels repaired."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from dockbuild.build import plan, wheelhouse


def test_wheel_platform_tags_follow_the_target() -> None:
    amd = wheelhouse.platform_tags("linux/amd64", "bookworm")
    assert amd[0] == "manylinux_2_36_x86_64" and "manylinux2014_x86_64" in amd
    arm = wheelhouse.platform_tags("linux/arm64", "trixie")
    assert arm[0] == "manylinux_2_41_aarch64" and all("aarch64" in tag for tag in arm)
    assert wheelhouse.folder_name("3.13", "linux/arm64") == "py3.13-aarch64"
    args = wheelhouse.build_args()
    assert args == {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/wheels"}  # inside the build only
    assert set(args) == set(plan.TRANSPORT_ARGS)


def test_every_pip_run_mounts_the_wheelhouse_context_and_copies_no_wheel(repo_root: Path) -> None:
    from dockbuild.inputs import manifest

    loaded = manifest.load(repo_root)
    for spec in [loaded.base, *loaded.services.values()]:
        text = (repo_root / spec.dockerfile).read_text()
        assert f"FROM scratch AS {wheelhouse.CONTEXT}" in text, spec.dockerfile
        assert f"from={wheelhouse.CONTEXT},target={wheelhouse.MOUNT_POINT}" in text
        assert "COPY --from=wheels" not in text and "--network" not in text


def _wheel(folder: Path, name: str, version: str) -> Path:
    """Write a minimal valid pure-Python wheel (what pip download needs to resolve it)."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}/__init__.py", "")
        archive.writestr(f"{info}/METADATA",
                         f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        archive.writestr(f"{info}/WHEEL",
                         "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/RECORD", "")
    return path


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local package index of find-links (real pip downloads from it, no network)."""
    folder = tmp_path / "index"
    folder.mkdir()
    for name, version in (("pip", "99.0"), ("alpha", "1.0"), ("beta", "2.0")):
        _wheel(folder, name, version)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(folder))
    return folder


@pytest.mark.parametrize("damage", ["delete", "truncate", "replace"])
def test_a_damaged_wheel_is_fetched_again_and_the_repair_is_said(
        index: Path, tmp_path: Path, damage: str) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("alpha==1.0\nbeta==2.0\n")
    cache = tmp_path / "wheels"
    said: list[str] = []
    folder = wheelhouse.prepare(cache, "3.11", "linux/amd64", "bookworm", [requirements],
                                say=said.append)
    assert wheelhouse.check(folder) == [] and said == []
    good = (folder / "beta-2.0-py3-none-any.whl").read_bytes()
    wheel = folder / "beta-2.0-py3-none-any.whl"
    if damage == "delete":
        wheel.unlink()
    elif damage == "truncate":
        wheel.write_bytes(good[: len(good) // 2])
    else:
        shutil.copy(index / "alpha-1.0-py3-none-any.whl", wheel)
    again = wheelhouse.prepare(cache, "3.11", "linux/amd64", "bookworm", [requirements],
                               say=said.append)
    assert wheel.read_bytes() == good
    assert wheelhouse.check(again) == []
    assert "beta-2.0-py3-none-any.whl" in said[0] and "fetching what is missing" in said[0]
    assert said[1] == "wheelhouse py3.11-x86_64: repaired (3 wheels verified)"


def test_a_sound_wheelhouse_is_reused_without_pip(index: Path, tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("alpha==1.0\n")
    cache = tmp_path / "wheels"
    wheelhouse.prepare(cache, "3.11", "linux/amd64", "bookworm", [requirements])
    shutil.rmtree(index)  # a second download would fail now
    said: list[str] = []
    folder = wheelhouse.prepare(cache, "3.11", "linux/amd64", "bookworm", [requirements],
                                say=said.append)
    assert said == [] and (folder / "alpha-1.0-py3-none-any.whl").is_file()
