"""The one door to the engine: inspect over raw HTTP (quoted), the SDK for TLS engines, tags."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockbuild.engine import client, images, rawapi, tags
from dockbuild.errors import EnvironmentProblem

INFO = {"Id": "sha256:abc", "Size": 5_000_000, "Architecture": "amd64",
        "Config": {"Labels": {tags.INPUTS_LABEL: "h1"}}}


class FakeEngine:
    """A unix socket that answers image inspections from a dict and records each request line."""

    def __init__(self, path: Path, known: dict[str, dict[str, Any]]) -> None:
        self.known = known
        self.requests: list[str] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(4096)
                line = request.split(b"\r\n", 1)[0].decode()
                self.requests.append(line)
                path = line.split(" ")[1]
                found = {f"/images/{name}/json": info for name, info in self.known.items()}
                body = found.get(path)
                status = "200 OK" if body is not None else "404 Not Found"
                text = json.dumps(body if body is not None else {"message": "no such image"})
                conn.sendall(f"HTTP/1.0 {status}\r\nContent-Type: application/json\r\n\r\n"
                             f"{text}".encode())


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    path = tmp_path / "d.sock"
    fake = FakeEngine(path, {"127.0.0.1%3A5000%2Facademy-api%3Apy3.11-amd64": INFO})
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    yield fake
    fake.server.close()


class FakeApi:
    """The SDK's low-level client as far as inspect and tag go."""

    def __init__(self, known: dict[str, dict[str, Any]]) -> None:
        self.known = known
        self.tagged: list[tuple[str, str, str]] = []
        self.closed = False

    def inspect_image(self, ref: str) -> dict[str, Any]:
        from docker.errors import ImageNotFound

        if ref not in self.known:
            raise ImageNotFound(ref)
        return self.known[ref]

    def tag(self, image: str, repository: str, tag: str, force: bool) -> None:
        assert force
        self.tagged.append((image, repository, tag))

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def tls_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point at an engine only the SDK can speak to (raw HTTP never connects)."""
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")


def test_inspect_quotes_the_whole_reference_in_the_raw_request(engine: FakeEngine) -> None:
    assert images.inspect("127.0.0.1:5000/academy-api:py3.11-amd64") == INFO
    assert engine.requests == [
        "GET /images/127.0.0.1%3A5000%2Facademy-api%3Apy3.11-amd64/json HTTP/1.0"]


def test_an_image_the_engine_lacks_is_none_and_require_says_how_to_get_it(
        engine: FakeEngine) -> None:
    assert images.inspect("academy-api:py3.11-amd64") is None
    with pytest.raises(EnvironmentProblem, match=r"academy-api:py3\.11-amd64 is not on the engine"
                       ) as caught:
        images.require("academy-api:py3.11-amd64")
    assert caught.value.exit_code == 2
    assert "inv build" in str(caught.value)


def test_a_tls_engine_is_inspected_through_the_callers_sdk_client(tls_engine: None) -> None:
    api = FakeApi({"academy-api:py3.11-amd64": INFO})
    assert images.inspect("academy-api:py3.11-amd64", api=api) == INFO
    assert images.inspect("academy-api:py3.13-amd64", api=api) is None
    assert not api.closed  # the caller's client stays open


def test_without_a_client_the_sdk_fallback_opens_and_closes_its_own(
        tls_engine: None, monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeApi({"academy-api:py3.11-amd64": INFO})
    asked: list[float] = []
    monkeypatch.setattr(client, "api", lambda timeout: asked.append(timeout) or api)
    assert images.inspect("academy-api:py3.11-amd64") == INFO
    assert asked == [client.QUICK_TIMEOUT_S] and api.closed


def test_raw_only_inspection_raises_instead_of_importing_the_sdk(tls_engine: None) -> None:
    with pytest.raises(rawapi.Unreachable, match="needs the SDK"):
        images.inspect("academy-api:py3.11-amd64", sdk=False)


def test_the_engine_starts_an_engine_once_when_raw_http_finds_none(
        tls_engine: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    api = FakeApi({"academy-api:py3.11-amd64": INFO})
    monkeypatch.setattr(client, "api", lambda timeout: api)
    engine = images.Engine(tmp_path)
    ensured: list[bool] = []

    def ensure() -> None:
        ensured.append(True)
        engine._ensured = True

    monkeypatch.setattr(engine, "ensure", ensure)
    assert engine.inspect("academy-api:py3.11-amd64") == INFO
    assert engine.inspect("academy-api:py3.13-amd64") is None
    assert ensured == [True]


def test_labels_are_empty_for_an_absent_image_or_one_without_labels() -> None:
    assert images.labels(INFO) == {tags.INPUTS_LABEL: "h1"}
    assert images.labels(None) == {}
    assert images.labels({"Config": {"Labels": None}}) == {}
    assert images.labels({"Config": None}) == {}


def test_a_tag_splits_at_the_last_colon_so_a_registry_port_stays_in_the_repository() -> None:
    api = FakeApi({})
    tags.point("sha256:abc", "127.0.0.1:5000/academy-api:py3.11", api=api)
    assert api.tagged == [("sha256:abc", "127.0.0.1:5000/academy-api", "py3.11")]


@pytest.mark.parametrize("text", ["abc", "-5", "nan", "inf", "1e999"])
def test_a_bad_free_space_setting_is_exit_2_naming_the_variable(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.engine import images as engine_images
    from dockbuild.errors import EnvironmentProblem

    monkeypatch.setenv("DOCKBUILD_MIN_FREE_GB", text)
    with pytest.raises(EnvironmentProblem, match="DOCKBUILD_MIN_FREE_GB=") as caught:
        engine_images.min_free_gb()
    assert caught.value.exit_code == 2 and ">= 0" in caught.value.hint


def test_the_free_space_setting_takes_a_number_and_defaults_when_unset(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.engine import images as engine_images

    monkeypatch.setenv("DOCKBUILD_MIN_FREE_GB", " 2.5 ")
    assert engine_images.min_free_gb() == 2.5
    monkeypatch.setenv("DOCKBUILD_MIN_FREE_GB", "0")
    assert engine_images.min_free_gb() == 0.0
    monkeypatch.delenv("DOCKBUILD_MIN_FREE_GB")
    assert engine_images.min_free_gb() == engine_images.MIN_FREE_GB


def test_a_batch_asks_once_and_each_answer_serves_one_inspect(
        engine: FakeEngine) -> None:
    ref = "127.0.0.1:5000/academy-api:py3.11-amd64"
    fake = images.Engine(Path())
    with fake.batch([ref, "absent:tag", ref]):
        asked = len(engine.requests)
        assert asked == 2  # each reference once
        assert fake.inspect(ref) == INFO and fake.inspect("absent:tag") is None
        assert len(engine.requests) == asked
        assert fake.inspect(ref) == INFO  # a second question goes to the engine again
        assert len(engine.requests) == asked + 1
    with fake.batch(["absent:tag"]):
        pass
    fake.inspect("absent:tag")  # the unused answer was dropped with its block
    assert len(engine.requests) == asked + 3


def test_a_batch_without_raw_http_asks_nothing_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "ssh://somewhere")
    fake = images.Engine(Path())
    with fake.batch(["a:b", "c:d"]):
        assert fake._known == {}


def test_inspect_images_answers_like_one_inspect_each(engine: FakeEngine) -> None:
    ref = "127.0.0.1:5000/academy-api:py3.11-amd64"
    many = rawapi.inspect_images([ref, "x:1", "y:2", ref])
    assert many == {ref: INFO, "x:1": None, "y:2": None}
    assert rawapi.inspect_images([ref]) == {ref: rawapi.inspect_image(ref)}
