"""Read an image's files without running it: the archive endpoint of a created container.

A path that is missing, or that lies below a regular file (``/etc/passwd/x``:
the engine answers 500 "not a directory" instead of 404), reads as absent, as
the real tool's ``StatFile`` says. The docker SDK is imported only here, when a
file is read, and in :func:`refusals`: a metadata-only run never loads it.
"""

from __future__ import annotations

import tarfile
from collections.abc import Callable, Mapping
from typing import Any


def refusals() -> type[Exception]:
    """The error an engine refusal arrives as: the docker SDK's APIError (NotFound too)."""
    from docker.errors import APIError

    return APIError


def engine_reason(exc: Exception) -> tuple[str, str]:
    """The engine's own words for refusing a container, as (English, Korean).

    The engine's words stay in the English text only, as a command's output does.
    """
    explanation = getattr(exc, "explanation", None)
    text = explanation.decode(errors="replace") if isinstance(explanation, bytes) else explanation
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return (f"the engine refused the container ({status}): {text or exc}",
            f"엔진이 컨테이너를 거부함 (`{status}`, 사유는 영어 보고서 참조)")


def _absent(exc: Exception) -> bool:
    """Whether the engine's refusal means "no such file" (404, or a path below a file)."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status == 404 or (status == 500 and "not a directory" in str(exc))


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
        url = self.api._url("/containers/{0}/archive", self.container)
        response = self.api._get(url, params={"path": path}, stream=True,
                                 headers={"Accept-Encoding": "identity"})
        with response:
            try:
                self.api._raise_for_status(response)
            except refusals() as exc:
                if _absent(exc):
                    return None
                raise
            with tarfile.open(fileobj=response.raw, mode="r|") as archive:
                return read(archive)

    def header(self, path: str) -> tarfile.TarInfo | None:
        """Return the tar header of ``path`` (the link itself for a symlink), or None."""
        return self._open(path, lambda archive: next(iter(archive), None))

    def folders(self, path: str) -> list[str] | None:
        """Return the names of the folders directly in ``path`` (sorted), or None without it."""
        def read(archive: tarfile.TarFile) -> list[str]:
            names = set()
            for member in archive:
                parts = member.name.strip("/").split("/")
                if len(parts) == 2 and member.isdir():
                    names.add(parts[1])
            return sorted(names)

        return self._open(path, read)

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
