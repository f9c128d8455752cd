"""The few container calls structure tests make, over raw HTTP: no docker SDK to import.

Importing the SDK costs about 0.2 s, which every ``image-test --config`` run paid
before its first container. :class:`RawClient` answers the subset of the SDK's
``APIClient`` that imagetest/cst and imagetest/cleanup use (same method names and
arguments), one HTTP/1.0 request each through rawapi. Where rawapi cannot reach
the engine (TLS, ssh), :func:`connect` raises :class:`rawapi.Unreachable` and the
caller uses the SDK instead.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

from dockbuild.engine import rawapi


class EngineError(Exception):
    """The engine refused a request; ``explanation`` is its message (as the SDK's APIError)."""

    def __init__(self, status: int, explanation: str) -> None:
        super().__init__(f"{status}: {explanation}")
        self.status_code = status
        self.explanation = explanation
        self.response = self  # the SDK's errors carry the status on .response

    def is_client_error(self) -> bool:
        return 400 <= self.status_code < 500


def _query(params: Mapping[str, Any]) -> str:
    pairs = {k: v for k, v in params.items() if v is not None}
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _quote(ref: str) -> str:
    return urllib.parse.quote(ref, safe="")


class RawApi:
    """The SDK ``APIClient`` methods the structure-test runner calls."""

    def __init__(self, timeout: float = rawapi.TIMEOUT_S) -> None:
        self.timeout = timeout
        self._tty: dict[str, bool] = {}

    def _call(self, method: str, path: str, *, body: Any = None,
              timeout: float | None = None, ok: tuple[int, ...] = (200, 201, 204, 304)) -> Any:
        status, answer = rawapi.request(method, path, body=body, timeout=timeout or self.timeout)
        if status not in ok:
            try:
                message = json.loads(answer).get("message", "")
            except (ValueError, AttributeError):
                message = answer.decode(errors="replace")
            raise EngineError(status, message or f"HTTP {status}")
        return answer

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self._call(method, path, **kwargs)
        return json.loads(answer) if answer.strip() else None

    def inspect_image(self, ref: str) -> dict[str, Any]:
        return self._json("GET", f"/images/{_quote(ref)}/json")

    @staticmethod
    def create_host_config(*, network_mode: str | None = None, privileged: bool = False,
                           cap_add: list[str] | None = None,
                           binds: list[str] | None = None) -> dict[str, Any]:
        config: dict[str, Any] = {"NetworkMode": network_mode, "Privileged": privileged,
                                  "CapAdd": cap_add, "Binds": binds}
        return {key: value for key, value in config.items() if value is not None}

    def create_container(self, image: str, *, command: list[str], entrypoint: list[str],
                         environment: Mapping[str, str] | None = None, user: str = "",
                         tty: bool = False, labels: Mapping[str, str] | None = None,
                         host_config: Mapping[str, Any] | None = None) -> dict[str, str]:
        body = {"Image": image, "Cmd": command, "Entrypoint": entrypoint, "User": user,
                "Tty": tty, "Env": [f"{k}={v}" for k, v in (environment or {}).items()],
                "Labels": dict(labels or {}), "HostConfig": dict(host_config or {}),
                "AttachStdout": True, "AttachStderr": True}
        created = self._json("POST", "/containers/create", body=body)
        self._tty[created["Id"]] = tty
        return created

    def start(self, container: str) -> None:
        self._call("POST", f"/containers/{container}/start")

    def wait(self, container: str, timeout: float) -> dict[str, Any]:
        return self._json("POST", f"/containers/{container}/wait", timeout=timeout)

    def kill(self, container: str) -> None:
        self._call("POST", f"/containers/{container}/kill")

    def logs(self, container: str, *, stdout: bool, stderr: bool) -> bytes:
        params = {"stdout": int(stdout), "stderr": int(stderr)}
        answer = self._call("GET", f"/containers/{container}/logs{_query(params)}")
        return answer if self._tty.get(container) else _demultiplex(answer)

    def commit(self, container: str) -> dict[str, str]:
        return self._json("POST", f"/commit{_query({'container': container})}")

    def remove_container(self, container: str, *, force: bool = False, v: bool = False) -> None:
        self._tty.pop(container, None)
        self._call("DELETE", f"/containers/{container}{_query({'force': int(force), 'v': int(v)})}")

    def remove_image(self, ref: str, *, force: bool = False, noprune: bool = False) -> None:
        query = _query({"force": int(force), "noprune": int(noprune)})
        self._call("DELETE", f"/images/{_quote(ref)}{query}")

    def get_archive(self, container: str, path: str) -> tuple[Iterator[bytes], dict[str, Any]]:
        answer = self._call("GET", f"/containers/{container}/archive{_query({'path': path})}")
        return iter([answer]), {}

    def _listing(self, what: str, filters: Mapping[str, str], **params: Any) -> Any:
        query = _query({**params, "filters": json.dumps({k: [v] for k, v in filters.items()})})
        return self._json("GET", f"/{what}{query}")

    def containers(self, *, all: bool = False, filters: Mapping[str, str]) -> list[Any]:
        return self._listing("containers/json", filters, all=int(all)) or []

    def networks(self, *, filters: Mapping[str, str]) -> list[Any]:
        return self._listing("networks", filters) or []

    def volumes(self, *, filters: Mapping[str, str]) -> dict[str, Any]:
        return self._listing("volumes", filters) or {}

    def remove_network(self, network: str) -> None:
        self._call("DELETE", f"/networks/{network}")

    def remove_volume(self, name: str, *, force: bool = False) -> None:
        self._call("DELETE", f"/volumes/{_quote(name)}{_query({'force': int(force)})}")


def _demultiplex(stream: bytes) -> bytes:
    """The payloads of the engine's multiplexed log stream (8-byte frame headers)."""
    out, offset = [], 0
    while offset + 8 <= len(stream):
        size = int.from_bytes(stream[offset + 4:offset + 8], "big")
        out.append(stream[offset + 8:offset + 8 + size])
        offset += 8 + size
    return b"".join(out)


class RawClient:
    """Stands where a ``docker.DockerClient`` would: ``.api`` and ``.close()``."""

    def __init__(self, timeout: float = rawapi.TIMEOUT_S) -> None:
        self.api = RawApi(timeout)

    def close(self) -> None:
        """Nothing stays open: every request had its own socket."""


def connect(timeout: float = rawapi.TIMEOUT_S) -> RawClient:
    """Return a raw client once the engine answers a ping.

    Raises:
        rawapi.Unreachable: raw HTTP cannot reach an engine (use the SDK).
    """
    status, _body = rawapi.request("GET", "/_ping", timeout=min(timeout, rawapi.TIMEOUT_S))
    if status != 200:
        msg = f"engine answered {status} to a ping"
        raise rawapi.Unreachable(msg)
    return RawClient(timeout)
