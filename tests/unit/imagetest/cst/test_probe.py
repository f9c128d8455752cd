"""How the archive endpoint's refusals read: absent, or the engine's reason."""

from __future__ import annotations

import io
import tarfile
import types

import pytest

from dockbuild.imagetest.cst import probe


class FakeAPIError(Exception):
    def __init__(self, status: int, explanation: str) -> None:
        super().__init__(f"{status} Server Error: {explanation}")
        self.response = types.SimpleNamespace(status_code=status)
        self.explanation = explanation


def test_missing_and_below_a_regular_file_read_as_absent() -> None:
    assert probe._absent(FakeAPIError(404, "Could not find the file /nope"))
    assert probe._absent(FakeAPIError(500, "lstat /var/lib/docker/x/etc/passwd/x: not a directory"))
    assert not probe._absent(FakeAPIError(500, "no space left on device"))


def test_the_engines_reason_is_kept_in_english_only() -> None:
    english, korean = probe.engine_reason(
        FakeAPIError(400, 'exec: "nope": executable file not found'))
    assert english == ('the engine refused the container (400): exec: "nope": executable file'
                       " not found")
    assert "`400`" in korean and "nope" not in korean


class FakeResponse:
    def __init__(self, raw: io.BytesIO) -> None:
        self.raw = raw

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class FakeApi:
    """The docker SDK's APIClient as the probe uses it: an archive per path, or an error."""

    def __init__(self, archives: dict[str, bytes], errors: dict[str, Exception]) -> None:
        self.archives = archives
        self.errors = errors

    def _url(self, template: str, container: str) -> str:
        return template.format(container)

    def _get(self, _url: str, *, params: dict[str, str], **_: object) -> FakeResponse:
        self.path = params["path"]
        return FakeResponse(io.BytesIO(self.archives.get(self.path, b"")))

    def _raise_for_status(self, _response: FakeResponse) -> None:
        if self.path in self.errors:
            raise self.errors[self.path]


def _archive(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_files_read_through_the_sdk_and_refusals_read_as_absent_or_raise() -> None:
    from docker.errors import APIError, NotFound

    def error(kind: type[APIError], status: int, text: str) -> APIError:
        response = types.SimpleNamespace(status_code=status, url="/archive", reason="")
        return kind(text, response=response, explanation=text)  # type: ignore[arg-type]

    api = FakeApi({"/etc/os-release": _archive("os-release", b"ID=debian\n")}, {
        "/nope": error(NotFound, 404, "Could not find the file /nope"),
        "/etc/passwd/x": error(APIError, 500, "lstat /etc/passwd/x: not a directory"),
        "/full": error(APIError, 500, "no space left on device"),
    })
    reader = probe.Probe(types.SimpleNamespace(api=api), "img", {})
    assert reader.contents("/etc/os-release") == b"ID=debian\n"
    assert reader.header("/nope") is None and reader.header("/etc/passwd/x") is None
    with pytest.raises(APIError):
        reader.header("/full")
