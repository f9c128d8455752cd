"""What is installed in an image, read from its files: Debian packages and Python distributions.

The image is never run, so an arm64 image needs no emulation and an image
without a shell works too: a container is created (not started), its
filesystem exported as a tar and streamed once, and only dpkg's status
database and each Python distribution's metadata (``*.dist-info/METADATA``,
``*.egg-info/PKG-INFO`` under any ``site-packages`` or ``dist-packages``, the
user site included) are kept. dpkg's status is read with python-debian's
deb822 parser; the Python metadata with importlib.metadata over the extracted
folders, as pip reads them.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from dockbuild.engine import client

DPKG_STATUS = "var/lib/dpkg/status"
_WANTED = re.compile(r"^(?:var/lib/dpkg/status|(?P<site>.+/(?:site|dist)-packages)/"
                     r"[^/]+\.(?:dist-info/METADATA|egg-info/PKG-INFO))$")


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class Package:
    """One installed package: a Debian package (``deb``) or a Python distribution (``pypi``)."""

    kind: str
    name: str
    version: str
    #: deb: the architecture (amd64, arm64, all); pypi: "".
    arch: str = ""
    #: deb: the source package when it differs from the name; pypi: the folder it is in.
    origin: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Return what identifies the package across versions: kind and name."""
        return self.kind, self.name.lower() if self.kind == "pypi" else self.name


class _Chunks(io.RawIOBase):
    """A readable file over the SDK's stream of byte chunks (what tarfile's stream mode reads)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def debian(status: str) -> list[Package]:
    """Return the installed packages of a dpkg status database (pure)."""
    from debian.deb822 import Deb822

    found = []
    for paragraph in Deb822.iter_paragraphs(status.splitlines()):
        if paragraph.get("Status", "").split()[-1:] != ["installed"]:
            continue  # removed, config-files only, half-installed
        name = paragraph.get("Package", "")
        source = paragraph.get("Source", "").split(" ")[0]
        found.append(Package("deb", name, paragraph.get("Version", ""),
                             paragraph.get("Architecture", ""),
                             source if source and source != name else ""))
    return found


def python(folder: Path, sites: Iterable[str]) -> list[Package]:
    """Return the Python distributions of each extracted site folder under ``folder``."""
    found = []
    for site in sorted(set(sites)):
        for dist in metadata.distributions(path=[str(folder / site)]):
            name = dist.metadata["Name"]
            if name:
                found.append(Package("pypi", name, dist.version, origin=f"/{site}"))
    return found


def from_tar(stream: io.RawIOBase | io.BufferedIOBase) -> list[Package]:
    """Return the packages of a root filesystem streamed as a tar (read once, front to back)."""
    with tempfile.TemporaryDirectory(prefix="dockbuild-contents-") as temp:
        folder = Path(temp)
        status = ""
        sites: list[str] = []
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                name = member.name.removeprefix("./").lstrip("/")
                found = _WANTED.match(name)
                if found is None or not member.isfile():
                    continue
                data = archive.extractfile(member)
                text = data.read().decode("utf-8", "replace") if data else ""
                if name == DPKG_STATUS:
                    status = text
                    continue
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                sites.append(found["site"])
        return sorted([*debian(status), *python(folder, sites)])


def read(image: str, labels: Mapping[str, str] | None = None) -> list[Package]:
    """Return the packages installed in ``image`` (a tag or an id), from its files.

    ``labels`` go on the container made to read it (image-test's run labels, so
    a run killed meanwhile has it removed by the next one).
    """
    api = client.api(client.TEST_TIMEOUT_S)
    try:
        container = api.create_container(image, command=["/dockbuild-never-runs"],
                                          entrypoint=[], labels=dict(labels or {}))["Id"]
        try:
            return from_tar(io.BufferedReader(_Chunks(api.export(container))))
        finally:
            api.remove_container(container, force=True)
    finally:
        api.close()
