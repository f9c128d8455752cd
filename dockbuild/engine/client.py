"""The one place that creates docker SDK clients, each with the timeout its caller needs.

The SDK costs about 0.3 s to import, so it is imported here, lazily: only the
paths that really talk to the engine through it pay for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from dockbuild.errors import EngineUnavailable

#: A build or a push streams for as long as its slowest step.
BUILD_TIMEOUT_S = 3600
#: Image tests run containers: a command test may take minutes under emulation.
TEST_TIMEOUT_S = 600
#: Moving a tag or inspecting one image.
QUICK_TIMEOUT_S = 30
#: Asking whether an engine answers at all.
PROBE_TIMEOUT_S = 5


def connect(timeout: float) -> Any:
    """Return an SDK client for DOCKER_HOST or the local socket (its ``.api`` is the low-level one).

    Raises:
        EngineUnavailable: no engine answers (exit 2 with the fix).
    """
    from docker.errors import DockerException

    import docker

    try:
        return docker.DockerClient(**docker.utils.kwargs_from_env(), timeout=timeout,
                                   version="auto")
    except DockerException as exc:
        msg = f"no Docker engine answers: {exc}"
        raise EngineUnavailable(msg, hint="run `inv engine-up`, or `inv doctor`") from None


def api(timeout: float = BUILD_TIMEOUT_S) -> Any:
    """Return the SDK's low-level client (builds, tags, pulls, pushes, inspections)."""
    return connect(timeout).api


@contextlib.contextmanager
def borrow(held: Any = None, *, timeout: float = QUICK_TIMEOUT_S) -> Iterator[Any]:
    """Yield the caller's low-level client, or a short-lived one closed on the way out."""
    if held is not None:
        yield held
        return
    own = api(timeout)
    try:
        yield own
    finally:
        own.close()
