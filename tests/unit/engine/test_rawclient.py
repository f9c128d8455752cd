"""The raw-HTTP client's requests and answers, with rawapi.request faked: no engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dockbuild.engine import rawapi, rawclient


class Recorder:
    def __init__(self, answers: list[tuple[int, bytes]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str, Any]] = []

    def __call__(self, method: str, path: str, *, body: Any = None,
                 timeout: float | None = None) -> tuple[int, bytes]:
        self.calls.append((method, path, body))
        return self.answers.pop(0)


def test_a_container_is_created_as_the_sdk_would(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder([(201, b'{"Id": "abc"}')])
    monkeypatch.setattr(rawapi, "request", recorder)
    api = rawclient.RawApi()
    host = api.create_host_config(network_mode="none", privileged=False, cap_add=None)
    assert api.create_container("img", command=["echo", "hi"], entrypoint=[""],
                                environment={"A": "1"}, labels={"l": "v"},
                                host_config=host) == {"Id": "abc"}
    method, path, body = recorder.calls[0]
    assert (method, path) == ("POST", "/containers/create")
    assert body["Cmd"] == ["echo", "hi"] and body["Env"] == ["A=1"]
    assert body["HostConfig"] == {"NetworkMode": "none", "Privileged": False}


def test_logs_are_demultiplexed_unless_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    frames = b"\x01\x00\x00\x00\x00\x00\x00\x03hi\n" + b"\x01\x00\x00\x00\x00\x00\x00\x02ok"
    monkeypatch.setattr(rawapi, "request", Recorder([(200, frames), (200, b"raw\r\n")]))
    api = rawclient.RawApi()
    assert api.logs("c1", stdout=True, stderr=False) == b"hi\nok"
    api._tty["c2"] = True
    assert api.logs("c2", stdout=True, stderr=False) == b"raw\r\n"


def test_a_refusal_carries_the_engines_status_and_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    answer = json.dumps({"message": 'exec: "nope": executable file not found'}).encode()
    monkeypatch.setattr(rawapi, "request", Recorder([(400, answer)]))
    with pytest.raises(rawclient.EngineError) as info:
        rawclient.RawApi().start("c1")
    assert info.value.response.status_code == 400
    assert "executable file not found" in info.value.explanation


def test_listings_send_label_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder([(200, b"[]")])
    monkeypatch.setattr(rawapi, "request", recorder)
    assert rawclient.RawApi().containers(all=True, filters={"label": "dockbuild.run=x"}) == []
    path = recorder.calls[0][1]
    assert path.startswith("/containers/json?all=1&filters=")
    assert "dockbuild.run%3Dx" in path
