"""Smoke jobs and scenario records without an engine: every problem has Korean wording."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from dockbuild.evidence import Status
from dockbuild.imagetest.smoke import jobs, media, scenarios
from dockbuild.inputs.manifest import load


class _Aws:
    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects

    def put(self, key: str, data: bytes) -> None:
        self.objects[key] = data

    def get(self, key: str) -> bytes | None:
        return self.objects.get(key)


def _sink(messages: list[dict[str, Any]]) -> Any:
    return SimpleNamespace(messages=messages, wait=lambda count, _s: len(messages) >= count)


FAILED = {"status": "failed", "reason": "KeyError: 'key'"}
CASES: list[tuple[str, dict[str, Any], dict[str, bytes], list[dict[str, Any]]]] = [
    ("video", FAILED, {}, []),
    ("video", {"status": "succeeded", "outputs": {"thumbnail": "t.jpg"}}, {}, []),
    ("video", {"status": "succeeded", "outputs": {"thumbnail": "t.jpg", "video_360p": "v"}},
     {"t.jpg": b"\xff\xd8x"}, []),
    ("ai", FAILED, {}, []),
    ("ai", {"status": "succeeded", "outputs": {"text": "o.txt"}}, {"o.txt": b"NOTICE"}, []),
    ("messaging", FAILED, {}, []),
    ("messaging", {"status": "succeeded"}, {}, []),
    ("messaging", {"status": "succeeded"}, {},
     [{"to": ["kim@example.test"], "data": b"Subject: Hi Mina\n\nx"}]),
    ("messaging", {"status": "succeeded"}, {},
     [{"to": ["mina@example.test"], "data": b"Subject: Hello\n\nx"}]),
]


@pytest.mark.parametrize(("kind", "result", "objects", "messages"), CASES)
def test_every_job_problem_speaks_korean(
    monkeypatch: pytest.MonkeyPatch, not_korean: Callable[..., list[str]], kind: str,
    result: dict[str, Any], objects: dict[str, bytes], messages: list[dict[str, Any]],
) -> None:
    monkeypatch.setattr(media, "test_video", lambda _s: b"")
    monkeypatch.setattr(media, "text_image", lambda _lines: b"")
    aws = _Aws(objects)
    _good, _bad, check = jobs.JOBS[kind](aws)  # type: ignore[arg-type]

    english, korean = check(result, aws, _sink(messages), 0)  # type: ignore[arg-type]

    assert english
    assert not not_korean(korean)


@pytest.mark.parametrize("problem", [
    "academy-api:py3.11-amd64 crashed (exit 3) 1.2 s after it started; last log lines: x y z",
    "still running 10.0 s after SIGTERM; killed",
    "exited with code 137 on SIGTERM, expected 0; no log output",
    "took 6.10 s to stop on SIGTERM, more than 5 s",
    "something else went wrong entirely",
])
def test_container_problems_speak_korean(not_korean: Callable[..., list[str]],
                                         problem: str) -> None:
    english, korean = scenarios._container(problem)
    assert english == problem
    assert not not_korean(korean)


def test_a_record_carries_both_languages(repo_root: Path,
                                         not_korean: Callable[..., list[str]]) -> None:
    manifest = load(repo_root)
    image = next(iter(manifest.services.values()))
    record = scenarios._Recorder(manifest, image, "academy-x:py3.11-amd64", "py3.11-amd64")
    record.add("smoke.sigterm", "SIGTERM", scenarios._container("still running 9.0 s after"
               " SIGTERM; killed"), ("stopped", "멈춤"), 9.0)
    record.add("smoke.http", "healthz", scenarios._NONE, ("GET /healthz answered 200 after 1.0 s",
               "`GET /healthz`: 1.0초 뒤 200 응답"), 1.0)
    failed, passed = record.results
    assert failed.status is Status.FAIL and failed.message.startswith("still running")
    assert passed.status is Status.PASS and passed.message_ko.endswith("200 응답")
    assert not [p for r in record.results for p in not_korean(r.message_in("ko"))]
