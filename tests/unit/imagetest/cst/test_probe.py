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
