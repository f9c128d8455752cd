"""Remove every container, network and volume a test run started, however the run ends.

Each thing the run creates carries the label ``dockbuild.run=<run id>`` and the
identity of the process that runs it (host, pid, the pid's start time). Leaving
the ``with RunScope(...)`` block, normally, by an exception, by Ctrl-C or by
SIGTERM, removes whatever carries the run's label, then restores the signal
handlers it replaced. What a killed run (``kill -9``) could not remove, the
next run removes when it starts: its process is gone.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from dockbuild import signals
from dockbuild.owner import alive, owner

RUN_LABEL = "dockbuild.run"
#: "host pid start-ticks" of the process running the run: a pid reused later is not it.
OWNER_LABEL = "dockbuild.owner"
log = logging.getLogger("dockbuild")


class RunScope:
    """A test run's identity (its label) and the clean-up that ends it."""

    def __init__(self, client: Any, run_id: str | None = None) -> None:
        self.client = client
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.owner = owner()
        self.removed: list[str] = []

    @property
    def labels(self) -> dict[str, str]:
        """Return the labels every container, network and volume of the run carries."""
        return {RUN_LABEL: self.run_id, OWNER_LABEL: self.owner}

    def remove_all(self) -> list[str]:
        """Remove the run's containers, then networks and volumes; return what went."""
        removed = remove_labelled(self.client.api, f"{RUN_LABEL}={self.run_id}")
        self.removed += removed
        return removed


def sweep_dead_runs(api: Any, say: Callable[[str], None] = log.info) -> list[str]:
    """Remove what earlier runs left whose process is gone (killed); say what went.

    Runs still alive, here or on another host sharing the engine, keep theirs.
    """
    owners: dict[str, str | None] = {}
    found = [*api.containers(all=True, filters={"label": RUN_LABEL}),
             *api.networks(filters={"label": RUN_LABEL}),
             *((api.volumes(filters={"label": RUN_LABEL}) or {}).get("Volumes") or [])]
    for thing in found:
        labels = thing.get("Labels") or {}
        if labels.get(RUN_LABEL):
            owners.setdefault(labels[RUN_LABEL], labels.get(OWNER_LABEL))
    removed = []
    for run_id, who in sorted(owners.items()):
        if alive(who):
            continue
        gone = remove_labelled(api, f"{RUN_LABEL}={run_id}")
        if gone:
            pid = (who or "").split(" ")[1:2] or ["?"]
            say(f"removed what run {run_id} left (its process {pid[0]} is gone): "
                + ", ".join(gone))
            removed += gone
    return removed


def dead_run_containers(api: Any) -> list[dict[str, Any]]:
    """Return the labelled containers whose run's process is gone (what a sweep removes)."""
    return [container for container in api.containers(all=True, filters={"label": RUN_LABEL})
            if not alive((container.get("Labels") or {}).get(OWNER_LABEL))]


def remove_labelled(api: Any, label: str) -> list[str]:
    """Remove the containers, then networks and volumes, carrying ``label``; return what went."""
    wanted = {"label": label}
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
    return removed


@contextmanager
def run_scope(client: Any, run_id: str | None = None,
              say: Callable[[str], None] = log.info) -> Iterator[RunScope]:
    """Yield a run scope; remove what it labelled on the way out, SIGTERM included.

    First, what killed runs left is removed (and said).
    """
    sweep_dead_runs(client.api, say=say)
    scope = RunScope(client, run_id)
    with signals.sigterm_as_interrupt():
        interrupted = False
        try:
            yield scope
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            gone = scope.remove_all()
            if interrupted:
                say("interrupted: removed " + (", ".join(gone) or "nothing (none was left)"))
