"""Remove every container, network and volume a test run started, however the run ends.

Each thing the run creates carries the label ``dockbuild.run=<run id>``. Leaving
the ``with RunScope(...)`` block, normally, by an exception, by Ctrl-C or by
SIGTERM, removes whatever carries the run's label, then restores the signal
handlers it replaced.
"""

from __future__ import annotations

import logging
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

RUN_LABEL = "dockbuild.run"
log = logging.getLogger("dockbuild")


class RunScope:
    """A test run's identity (its label) and the clean-up that ends it."""

    def __init__(self, client: Any, run_id: str | None = None) -> None:
        self.client = client
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.removed: list[str] = []

    @property
    def labels(self) -> dict[str, str]:
        """Return the labels every container, network and volume of the run carries."""
        return {RUN_LABEL: self.run_id}

    def remove_all(self) -> list[str]:
        """Remove the run's containers, then networks and volumes; return what went."""
        api = self.client.api
        wanted = {"label": f"{RUN_LABEL}={self.run_id}"}
        removed = []
        for container in api.containers(all=True, filters=wanted):
            try:
                api.remove_container(container["Id"], force=True, v=True)
                removed.append(f"container {container['Id'][:12]}")
            except Exception as exc:  # already gone, or the engine is going away
                log.debug("could not remove container %s: %s", container["Id"][:12], exc)
        for network in api.networks(filters=wanted):
            try:
                api.remove_network(network["Id"])
                removed.append(f"network {network['Name']}")
            except Exception as exc:
                log.debug("could not remove network %s: %s", network["Name"], exc)
        for volume in (api.volumes(filters=wanted) or {}).get("Volumes") or []:
            try:
                api.remove_volume(volume["Name"], force=True)
                removed.append(f"volume {volume['Name']}")
            except Exception as exc:
                log.debug("could not remove volume %s: %s", volume["Name"], exc)
        self.removed += removed
        return removed


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def run_scope(client: Any, run_id: str | None = None) -> Iterator[RunScope]:
    """Yield a run scope; remove what it labelled on the way out, SIGTERM included."""
    scope = RunScope(client, run_id)
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread: the caller's own handling applies
        previous = None
    try:
        yield scope
    finally:
        try:
            scope.remove_all()
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
