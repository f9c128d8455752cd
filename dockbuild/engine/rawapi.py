"""Ask the engine small questions over raw HTTP, without importing the docker SDK.

The no-op build path only needs an image's id and labels: one GET per image
over a plain socket costs a millisecond, where importing the SDK costs about
0.3 s. What this module cannot reach (TLS, ssh) raises :class:`Unreachable`
and the caller falls back to the SDK.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.parse
from collections.abc import Sequence
from typing import Any

DEFAULT_SOCKET = "/var/run/docker.sock"
TIMEOUT_S = 10.0


class Unreachable(Exception):
    """The engine could not be asked over raw HTTP (not a user-facing error)."""


def _connect(timeout: float) -> socket.socket:
    host = os.environ.get("DOCKER_HOST", "")
    url = urllib.parse.urlsplit(host or f"unix://{DEFAULT_SOCKET}")
    try:
        if url.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(url.path)
            return sock
        if url.scheme in ("tcp", "http") and not os.environ.get("DOCKER_TLS_VERIFY"):
            return socket.create_connection((url.hostname or "localhost", url.port or 2375),
                                            timeout=timeout)
    except OSError as exc:
        msg = f"engine unreachable at {host or DEFAULT_SOCKET}: {exc}"
        raise Unreachable(msg) from None
    msg = f"DOCKER_HOST {host} needs the SDK (TLS or ssh)"
    raise Unreachable(msg)


def _dechunk(body: bytes) -> bytes:
    out, rest = [], body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2 :]
    return b"".join(out)


def get_json(path: str, *, timeout: float = TIMEOUT_S) -> tuple[int, Any]:
    """GET ``path`` from the engine; return the status and the decoded body (None when empty).

    One HTTP/1.0 request on a fresh socket: the engine answers and closes, so
    the body is everything up to EOF (http.client would cost more to import
    than the whole request takes).

    Raises:
        Unreachable: no engine answered on the configured address.
    """
    sock = _connect(timeout)
    try:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    except OSError as exc:
        msg = f"engine unreachable: {exc}"
        raise Unreachable(msg) from None
    finally:
        sock.close()
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        msg = "the engine's answer is not HTTP"
        raise Unreachable(msg) from None
    if b"transfer-encoding: chunked" in head.lower():
        body = _dechunk(body)
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


def inspect_image(ref: str, *, timeout: float = TIMEOUT_S) -> dict[str, Any] | None:
    """Return the engine's JSON for image ``ref``, or None when it has no such image."""
    status, body = get_json(f"/images/{urllib.parse.quote(ref, safe='')}/json", timeout=timeout)
    if status == 404:
        return None
    if status != 200 or not isinstance(body, dict):
        msg = f"engine answered {status} for image {ref}"
        raise Unreachable(msg)
    return body


def inspect_images(refs: Sequence[str], *, workers: int = 8,
                   timeout: float = TIMEOUT_S) -> dict[str, dict[str, Any] | None]:
    """Return :func:`inspect_image` of each ref, asked over a few sockets at once.

    The engine answers requests in parallel, so 500 images cost a fraction of
    500 questions in a row; each answer is exactly the one-image answer.

    Raises:
        Unreachable: as :func:`inspect_image`, for any of them.
    """
    unique = list(dict.fromkeys(refs))
    if len(unique) < 2:
        return {ref: inspect_image(ref, timeout=timeout) for ref in unique}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(workers, len(unique)), thread_name_prefix="inspect") as pool:
        answers = list(pool.map(lambda ref: inspect_image(ref, timeout=timeout), unique))
    return dict(zip(unique, answers, strict=True))
