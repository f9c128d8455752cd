"""Registry references, the manifest list and the v2 client, against a fake registry."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from dockbuild.engine import registry
from dockbuild.errors import EnvironmentProblem, InputError


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1:5000/academy-api:py3.11", ("127.0.0.1:5000", "academy-api", "py3.11")),
    ("localhost:5000/team/academy-base", ("localhost:5000", "team/academy-base", "latest")),
    ("registry.example:443/a.b_c-d:py3.13-arm64",
     ("registry.example:443", "a.b_c-d", "py3.13-arm64")),
])
def test_a_reference_names_host_repository_and_tag(text: str, expected: tuple[str, ...]) -> None:
    ref = registry.parse(text)
    assert (ref.host, ref.repository, ref.tag) == expected
    assert registry.parse(str(ref)) == ref


@pytest.mark.parametrize("text", [
    "academy-api:py3.11",                  # no registry host
    "127.0.0.1:5000/Academy-API:latest",   # upper case repository
    "127.0.0.1:5000/academy-api:bad/tag",  # a slash after the colon is a path, then "bad" fails
    "127.0.0.1/academy-api:py3.11",        # no port
    "127.0.0.1:5000/academy-api:" + "x" * 200,
])
def test_a_bad_reference_is_input_error(text: str) -> None:
    with pytest.raises(InputError) as caught:
        registry.parse(text)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("host", ["nope", "http://127.0.0.1:5000", "127.0.0.1:5000/x", ":5000"])
def test_registry_must_be_host_and_port(host: str) -> None:
    with pytest.raises(InputError, match="HOST:PORT"):
        registry.check_host(host)


def test_loopback_registries_speak_http_others_https() -> None:
    assert registry.base_url("127.0.0.1:5000") == "http://127.0.0.1:5000/v2/"
    assert registry.base_url("localhost:5000") == "http://localhost:5000/v2/"
    assert registry.base_url("registry.example:443") == "https://registry.example:443/v2/"


class _FakeRegistry(http.server.BaseHTTPRequestHandler):
    """Just enough of the v2 API: HEAD of one manifest, PUT of lists, 401 on /v2/ when asked."""

    stored: dict[str, tuple[str, bytes]] = {}  # noqa: RUF012 (one fake per test module)
    auth = False

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(401 if self.auth else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_HEAD(self) -> None:
        if self.path not in self.stored:
            self.send_response(404)
            self.end_headers()
            return
        media, body = self.stored[self.path]
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Docker-Content-Digest", "sha256:" + "c" * 64)
        self.end_headers()

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.stored[self.path] = (self.headers["Content-Type"], body)
        self.send_response(201)
        self.send_header("Docker-Content-Digest", "sha256:" + "d" * 64)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def fake_registry() -> Iterator[str]:
    _FakeRegistry.stored = {"/v2/academy-api/manifests/py3.11-amd64": (registry.MANIFEST_V2,
                                                                       b"{}" * 10)}
    _FakeRegistry.auth = False
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeRegistry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_registry_client_heads_manifests(fake_registry: str) -> None:
    registry.check(fake_registry)
    found = registry.head_manifest(registry.parse(f"{fake_registry}/academy-api:py3.11-amd64"))
    assert found == registry.Descriptor(registry.MANIFEST_V2, "sha256:" + "c" * 64, 20)
    assert registry.head_manifest(registry.parse(f"{fake_registry}/academy-api:nope")) is None


def test_a_registry_asking_for_credentials_is_exit_2(fake_registry: str) -> None:
    _FakeRegistry.auth = True
    with pytest.raises(EnvironmentProblem, match="credentials") as caught:
        registry.check(fake_registry)
    assert caught.value.exit_code == 2
