"""Section 5's content diff: packages and sizes of each image against the last verified images."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockbuild import fsio
from dockbuild.contents import sbom, store
from dockbuild.contents.packages import Package
from dockbuild.report import contentdiff, verified
from dockbuild.report import run as report_run

from .test_run import fake_engine

VARIANT = "py3.11-amd64"
COMMON = [Package("deb", "libc6", "2.36-9", "amd64"), Package("pypi", "boto3", "1.44.8")]


def _ident(n: int) -> str:
    return f"sha256:{n:064x}"


def _kept(root: Path, ref: str, image_id: str, found: list[Package]) -> None:
    fsio.write_text(store.cached(root, image_id), sbom.document(
        found, ref=ref, image_id=image_id, variant=VARIANT))


def _section(root: Path, lang: str = "en") -> str:
    report_run.run(root, lang=lang, output="out", python="3.11", platform="linux/amd64")
    text = (root / f"out/alignment.{lang}.md").read_text()
    return text.split("## 5. ")[1].split("\n## ")[0]


def _row(section: str, name: str) -> str:
    return next(line for line in section.splitlines()
                if line.startswith(f"| {name} | {VARIANT} |"))


@pytest.fixture
def images(repo: Path) -> dict[str, str]:
    """Each image's tag -> the old (verified) id; the old SBOMs are kept."""
    from dockbuild.inputs import manifest

    refs = {image.name: f"{image.image}:{VARIANT}" for image in manifest.load(repo).images()}
    old = {}
    for n, (name, ref) in enumerate(refs.items(), start=1):
        old[name] = _ident(n)
        _kept(repo, ref, old[name], COMMON)
    verified.save(repo, {}, None, "2026-11-30T10:00:00+00:00", {
        refs[name]: {"id": old[name], "size_mb": 400.0,
                     "layers": [["FROM", 300_000_000], ["RUN pip install", 100_000_000]]}
        for name in refs})
    return {"refs": refs, "old": old}  # type: ignore[return-value]


def test_a_package_added_to_one_service_shows_for_that_image_only(
        repo: Path, images: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    refs, old = images["refs"], images["old"]
    now = dict(old)
    now["api"] = _ident(100)  # api rebuilt with one more requirement
    _kept(repo, refs["api"], now["api"], [*COMMON, Package("pypi", "requests", "2.32.3")])
    now["messaging-worker"] = _ident(101)  # rebuilt, same contents
    _kept(repo, refs["messaging-worker"], now["messaging-worker"], COMMON)
    fake_engine(monkeypatch, {refs[name]: ident for name, ident in now.items()})
    section = _section(repo)
    assert "the last verified images (2026-11-30T10:00:00+00:00)" in section
    api = _row(section, "api")
    assert "`+requests 2.32.3` (Python)" in api
    assert "contents unchanged (rebuilt: " in _row(section, "messaging-worker")
    assert "the baseline's image itself" in _row(section, "video-worker")
    assert "+requests" not in section.replace(api, "")
    data = json.loads((repo / "out/results.json").read_text())
    (diff,) = [d for d in data["contents"] if d["name"] == "api"]
    assert (diff["state"], diff["changes"]) == ("changed", ["+requests 2.32.3"])
    assert "`+requests 2.32.3`" in _row(_section(repo, "ko"), "api")


def test_a_base_change_shows_once_and_as_inherited_in_each_child(
        repo: Path, images: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    refs = images["refs"]
    newer = [Package("deb", "libc6", "2.36-10", "amd64"), COMMON[1]]
    now = {name: _ident(200 + n) for n, name in enumerate(refs)}
    for name, ident in now.items():
        extra = [Package("deb", "ffmpeg", "7:5.1.9", "amd64")] if name == "video-worker" else []
        _kept(repo, refs[name], ident, [*newer, *extra])
    fake_engine(monkeypatch, {refs[name]: ident for name, ident in now.items()})
    section = _section(repo)
    assert "`libc6 2.36-9 → 2.36-10` (Debian)" in _row(section, "academy-base")
    assert section.count("libc6 2.36-9 → 2.36-10") == 1
    video = _row(section, "video-worker")
    assert "`+ffmpeg 7:5.1.9` (Debian)" in video
    assert "1 change(s) inherited from academy-base" in video
    assert "1 change(s) inherited from academy-base" in _row(section, "api")


def test_without_a_baseline_or_an_sbom_nothing_says_unchanged(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.inputs import manifest

    refs = {image.name: f"{image.image}:{VARIANT}" for image in manifest.load(repo).images()}
    fake_engine(monkeypatch, {ref: _ident(n) for n, ref in enumerate(refs.values(), 1)})
    section = _section(repo)
    assert "no baseline: no earlier verified image (not verified)" in _row(section, "api")
    verified.save(repo, {}, None, "2026-11-30T10:00:00+00:00",
                  {refs["api"]: {"id": _ident(999), "size_mb": 1.0, "layers": []}})
    assert "no SBOM of sha256:000000000000 yet" in _row(_section(repo), "api")
    assert "unchanged" not in _section(repo)


def test_layers_that_grew_are_named() -> None:
    assert contentdiff._layers([["FROM", 300_000_000], ["RUN pip", 100_000_000]],
                               [["FROM", 300_000_000], ["RUN pip", 112_300_000],
                                ["COPY app", 50_000]]) == ((2, "RUN pip", 100_000_000,
                                                             112_300_000),)
