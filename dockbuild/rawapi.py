"""Ask the engine small questions over raw HTTP, without importing the docker SDK.

The no-op build path only needs an image's id and labels: one GET per image
through ``http.client`` costs a few milliseconds, where importing the SDK costs
about 0.3 s. Anything this module cannot reach (TLS, ssh) returns ``None``
and the caller falls back to the SDK.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.parse
from typing import Any

DEFAULT_SOCKET = "/var/run/docker.sock"
TIMEOUT_S = 10.0


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over a unix socket."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


class Unreachable(Exception):
    """The engine could not be asked over raw HTTP (not a user-facing error)."""


def _connection(timeout: float) -> http.client.HTTPConnection:
    host = os.environ.get("DOCKER_HOST", "")
    if not host:
        return _UnixConnection(DEFAULT_SOCKET, timeout)
    url = urllib.parse.urlsplit(host)
    if url.scheme == "unix":
        return _UnixConnection(url.path, timeout)
    if url.scheme in ("tcp", "http") and not os.environ.get("DOCKER_TLS_VERIFY"):
        return http.client.HTTPConnection(url.hostname or "localhost", url.port or 2375,
                                          timeout=timeout)
    msg = f"DOCKER_HOST {host} needs the SDK (TLS or ssh)"
    raise Unreachable(msg)


def get_json(path: str, *, timeout: float = TIMEOUT_S) -> tuple[int, Any]:
    """GET ``path`` from the engine; return the status and the decoded body (None when empty).

    Raises:
        Unreachable: no engine answered on the configured address.
    """
    conn = _connection(timeout)
    try:
        conn.request("GET", path, headers={"Host": "docker"})
        response = conn.getresponse()
        body = response.read()
    except OSError as exc:
        msg = f"engine unreachable: {exc}"
        raise Unreachable(msg) from None
    finally:
        conn.close()
    try:
        return response.status, json.loads(body) if body else None
    except ValueError:
        return response.status, None


def inspect_image(ref: str) -> dict[str, Any] | None:
    """Return the engine's JSON for image ``ref``, or None when it has no such image."""
    status, body = get_json(f"/images/{urllib.parse.quote(ref, safe='')}/json")
    if status == 404:
        return None
    if status != 200 or not isinstance(body, dict):
        msg = f"engine answered {status} for image {ref}"
        raise Unreachable(msg)
    return body
