"""How the archive endpoint's refusals read: absent, or the engine's reason."""

from __future__ import annotations

import types

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


def test_the_engines_reason_is_kept() -> None:
    reason = probe.engine_reason(FakeAPIError(400, 'exec: "nope": executable file not found'))
    assert reason == ('the engine refused the container (400): exec: "nope": executable file'
                      " not found")


def test_an_archive_in_chunks_reads_as_one_stream() -> None:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("doc/pkg/copyright")
        data = b"License: MIT\n"
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    raw = buffer.getvalue()
    chunks = [raw[i:i + 7] for i in range(0, len(raw), 7)]
    with tarfile.open(fileobj=probe._Stream(iter(chunks)), mode="r|") as archive:
        member = next(iter(archive))
        handle = archive.extractfile(member)
        assert handle is not None and handle.read() == b"License: MIT\n"
