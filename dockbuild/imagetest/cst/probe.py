"""Read an image's files without running it: the archive endpoint of a created container."""

from __future__ import annotations

import tarfile
from collections.abc import Callable, Mapping
from typing import Any


class Probe:
    """A created, never started container whose files the archive endpoint reads."""

    def __init__(self, client: Any, image: str, labels: Mapping[str, str]) -> None:
        self.api = client.api
        self.image = image
        self.labels = labels
        self.container = ""

    def __enter__(self) -> Probe:
        self.container = self.api.create_container(
            self.image, command=["probe"], entrypoint=[""], labels=dict(self.labels),
            host_config=self.api.create_host_config(network_mode="none"))["Id"]
        return self

    def __exit__(self, *exc: object) -> None:
        self.api.remove_container(self.container, force=True, v=True)

    def _open(self, path: str, read: Callable[[tarfile.TarFile], Any]) -> Any:
        from docker.errors import NotFound

        url = self.api._url("/containers/{0}/archive", self.container)
        response = self.api._get(url, params={"path": path}, stream=True,
                                 headers={"Accept-Encoding": "identity"})
        with response:
            try:
                self.api._raise_for_status(response)
            except NotFound:
                return None
            with tarfile.open(fileobj=response.raw, mode="r|") as archive:
                return read(archive)

    def header(self, path: str) -> tarfile.TarInfo | None:
        """Return the tar header of ``path`` (the link itself for a symlink), or None."""
        return self._open(path, lambda archive: next(iter(archive), None))

    def contents(self, path: str) -> bytes | None:
        """Return a regular file's bytes, following a symlink once; None when there is none."""
        def read(archive: tarfile.TarFile) -> Any:
            member = next(iter(archive), None)
            if member is None:
                return None
            if member.issym():
                return ("link", member.linkname)
            handle = archive.extractfile(member)
            return handle.read() if handle else None

        data = self._open(path, read)
        if isinstance(data, tuple):
            target = data[1] if data[1].startswith("/") else f"{path.rsplit('/', 1)[0]}/{data[1]}"
            data = self._open(target, read)
        return data if isinstance(data, bytes) else None
