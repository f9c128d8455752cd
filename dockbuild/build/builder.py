"""Stream one build through the docker SDK, and cancel it: what ``docker build`` does, in-process.

Every build goes untagged to the engine with ``rm`` and ``forcerm`` (no
intermediate container stays, even after a failed step); the caller tags the
resulting image id only after success. The equivalent ``docker build`` command
is logged at debug level so a step can be reproduced by hand.
"""

from __future__ import annotations

import contextlib
import logging
import shlex
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from dockbuild.errors import BuildFailed

log = logging.getLogger("dockbuild")

TAIL_LINES = 15


def cli_equivalent(*, dockerfile: str, platform: str, buildargs: Mapping[str, str],
                   labels: Mapping[str, str], network_mode: str | None, nocache: bool,
                   context: str = ".", cache_from: Sequence[str] = ()) -> str:
    """Return the ``docker build`` command line that does the same as one SDK build."""
    argv = ["docker", "build", "--platform", platform, "-f", dockerfile, "--rm", "--force-rm"]
    for ref in cache_from:
        argv += ["--cache-from", ref]
    if network_mode:
        argv += ["--network", network_mode]
    if nocache:
        argv.append("--no-cache")
    for key, value in sorted(buildargs.items()):
        argv += ["--build-arg", f"{key}={value}"]
    for key, value in sorted(labels.items()):
        argv += ["--label", f"{key}={value}"]
    return shlex.join([*argv, context])


class Build:
    """One running build; :meth:`cancel` cuts its connection so the engine stops it."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self._lock = threading.Lock()
        self._response: Any = None
        self.cancelled = False

    def run(self, context: IO[bytes], *, dockerfile: str, platform: str,
            buildargs: Mapping[str, str], labels: Mapping[str, str], nocache: bool = False,
            network_mode: str | None = None, on_line: Callable[[str], None] = lambda _: None,
            gzip: bool = False, cache_from: Sequence[str] = ()) -> str:
        """Send ``context`` and stream the build; return the new image id.

        Raises:
            BuildFailed: a step failed or the engine stopped the build.
        """
        log.debug("+ %s", cli_equivalent(dockerfile=dockerfile, platform=platform,
                                          buildargs=buildargs, labels=labels,
                                          network_mode=network_mode, nocache=nocache,
                                          cache_from=cache_from))
        tail: list[str] = []
        image_id = None
        original = self.api._stream_helper

        def keep_response(response: Any, decode: bool = False) -> Any:
            with self._lock:
                self._response = response
            return original(response, decode=decode)

        self.api._stream_helper = keep_response  # so cancel() can reach the socket
        try:
            stream = self.api.build(
                fileobj=context, custom_context=True, encoding="gzip" if gzip else None,
                dockerfile=dockerfile, platform=platform, buildargs=dict(buildargs),
                labels=dict(labels), nocache=nocache, rm=True, forcerm=True, pull=False,
                network_mode=network_mode, decode=True, cache_from=list(cache_from) or None,
            )
            for chunk in stream:
                if "error" in chunk:
                    tail.append(str(chunk["error"]).rstrip())
                    message = str(chunk["error"]).strip().splitlines()[-1]
                    raise BuildFailed(message, tail[-TAIL_LINES:])
                if "aux" in chunk and isinstance(chunk["aux"], dict) and "ID" in chunk["aux"]:
                    image_id = chunk["aux"]["ID"]
                text = chunk.get("stream")
                if text:
                    for line in text.splitlines():
                        if line.strip():
                            tail.append(line.rstrip())
                            on_line(line.rstrip())
                    del tail[:-200]
        except BuildFailed:
            raise
        except Exception as exc:  # the SDK raises requests/urllib3/docker errors alike
            if self.cancelled:
                msg = "cancelled"
                raise BuildFailed(msg, tail[-TAIL_LINES:]) from None
            msg = f"the engine stopped the build: {exc}"
            raise BuildFailed(msg, tail[-TAIL_LINES:]) from None
        finally:
            self.api._stream_helper = original
            with self._lock:  # a cancelled stream's socket is not the pool's to close
                response, self._response = self._response, None
            if response is not None:
                response.close()
        if image_id is None:
            msg = "the engine reported no image id"
            raise BuildFailed(msg, tail[-TAIL_LINES:])
        return str(image_id)

    def cancel(self) -> None:
        """Shut the build's socket down: the engine cancels it and removes its containers."""
        self.cancelled = True
        with self._lock:
            response = self._response
        if response is None:
            return
        sock = _socket_of(response)
        if sock is not None:
            import socket

            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _socket_of(response: Any) -> Any:
    """Dig the socket out of a requests response (urllib3 2.x keeps it on the connection)."""
    raw = getattr(response, "raw", None)
    conn = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    sock = getattr(conn, "sock", None)
    if sock is not None:
        return sock
    fp = getattr(raw, "_fp", None)
    return getattr(getattr(getattr(fp, "fp", None), "raw", None), "_sock", None)
