"""An image's packages, from a root filesystem tar to a CycloneDX document that validates."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from dockbuild.contents import packages, sbom, store
from dockbuild.contents.packages import Package
from dockbuild.imagetest import contents as imagecontents
from dockbuild.inputs import manifest

STATUS = """\
Package: ffmpeg
Status: install ok installed
Architecture: amd64
Source: ffmpeg-src (7:5.1.9-0+deb12u1)
Version: 7:5.1.9-0+deb12u1
Description: tools for transcoding
 a long description
 over two lines

Package: oldpkg
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9+deb12u10
"""


def _tar(files: dict[str, str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return buffer


def _metadata(name: str, version: str) -> str:
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"


ROOTFS = {
    "var/lib/dpkg/status": STATUS,
    "home/appuser/.local/lib/python3.11/site-packages/Django-5.2.19.dist-info/METADATA":
        _metadata("Django", "5.2.19"),
    "usr/lib/python3/dist-packages/wheel-0.38.4.egg-info/PKG-INFO": _metadata("wheel", "0.38.4"),
    "usr/share/doc/ffmpeg/copyright": "not a package",
    "home/appuser/.local/lib/python3.11/site-packages/django/__init__.py": "",
}


def test_installed_packages_are_read_from_a_root_filesystem() -> None:
    found = packages.from_tar(_tar(ROOTFS))
    assert found == sorted([
        Package("deb", "ffmpeg", "7:5.1.9-0+deb12u1", "amd64", "ffmpeg-src"),
        Package("deb", "libc6", "2.36-9+deb12u10", "amd64"),
        Package("pypi", "Django", "5.2.19",
                origin="/home/appuser/.local/lib/python3.11/site-packages"),
        Package("pypi", "wheel", "0.38.4", origin="/usr/lib/python3/dist-packages"),
    ])  # oldpkg (config files only) is not installed


def test_the_document_validates_lists_every_package_and_reads_back() -> None:
    found = packages.from_tar(_tar(ROOTFS))
    image_id = "sha256:" + "ab" * 32
    text = sbom.document(found, ref="academy-api:py3.11-amd64", image_id=image_id,
                         variant="py3.11-amd64", digest="sha256:" + "cd" * 32,
                         created="2026-12-01T14:02:11.123456789Z")
    data = json.loads(text)
    assert data["bomFormat"] == "CycloneDX" and data["specVersion"] == "1.6"
    purls = {c["purl"] for c in data["components"]}
    assert "pkg:deb/debian/ffmpeg@7:5.1.9-0%2Bdeb12u1?arch=amd64" in purls
    assert "pkg:pypi/django@5.2.19" in purls
    assert data["metadata"]["component"]["type"] == "container"
    assert data["metadata"]["timestamp"].startswith("2026-12-01T14:02:11")
    assert sbom.packages_of(text) == found
    assert sbom.image_of(text) == {"ref": "academy-api:py3.11-amd64", "image_id": image_id,
                                   "variant": "py3.11-amd64", "digest": "sha256:" + "cd" * 32}
    # the same image gives the same document
    assert sbom.document(found, ref="academy-api:py3.11-amd64", image_id=image_id,
                         variant="py3.11-amd64", digest="sha256:" + "cd" * 32,
                         created="2026-12-01T14:02:11.123456789Z") == text


def test_a_document_that_breaks_the_schema_is_refused() -> None:
    text = sbom.document([Package("deb", "ffmpeg", "1", "amd64")], ref="x:y",
                         image_id="sha256:" + "0" * 64, variant="py3.11-amd64")
    data = json.loads(text)
    data["components"][0]["type"] = "not-a-type"
    with pytest.raises(sbom.InvalidSbom, match=r"does not validate against the CycloneDX 1\.6"):
        sbom.validate(json.dumps(data), "the SBOM of x:y")


def test_the_sbom_is_made_once_per_image_id(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []

    def read(image: str, labels: object = None) -> list[Package]:
        reads.append(image)
        return [Package("deb", "ffmpeg", "1", "amd64")]

    monkeypatch.setattr(store.packages_mod, "read", read)
    info = {"Id": "sha256:" + "1" * 64, "Created": "2026-12-01T00:00:00Z"}
    text, found = store.for_image(tmp_path, "academy-api:py3.11-amd64", info, "py3.11-amd64")
    again, _ = store.for_image(tmp_path, "academy-api:py3.11-amd64", info, "py3.11-amd64")
    assert reads == [info["Id"]] and again == text and found[0].name == "ffmpeg"
    assert store.published(tmp_path, "academy-api", "py3.11-amd64").read_text() == text
    store.cached(tmp_path, info["Id"]).write_text("{broken")  # a damaged kept file is made again
    store.for_image(tmp_path, "academy-api:py3.11-amd64", info, "py3.11-amd64")
    assert len(reads) == 2


def test_a_base_forbids_for_every_image_built_on_it(repo: Path) -> None:
    path = repo / "docker/services.yaml"
    smoke = "    smoke: {job: video}\n"
    path.write_text(path.read_text().replace(
        smoke, smoke + "    forbidden_packages: [ffmpeg]\n", 1))
    loaded = manifest.load(repo)
    rules = imagecontents.forbidden(loaded, "video-worker")
    assert [(name, image.name) for name, image in rules] == [
        ("ffmpeg", "video-worker"), *((n, "academy-base") for n in
                                      loaded.base.forbidden_packages)]
    assert "gcc" in [name for name, _ in imagecontents.forbidden(loaded, "api")]
