"""The run scope removes what carries its label, however the block ends, SIGTERM included."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from dockbuild.imagetest.cleanup import OWNER_LABEL, RUN_LABEL, run_scope
from dockbuild.owner import alive, owner, started


class FakeApi:
    """Just enough of the SDK's low-level API: lists filtered by label, removals recorded."""

    def __init__(self) -> None:
        self.removed: list[str] = []
        self.filters: list[dict[str, str]] = []

    def containers(self, all: bool, filters: dict[str, str]) -> list[dict[str, str]]:
        self.filters.append(filters)
        return [{"Id": "c1" * 6}]

    def networks(self, filters: dict[str, str]) -> list[dict[str, str]]:
        return [{"Id": "n1", "Name": "smoke-net"}]

    def volumes(self, filters: dict[str, str]) -> dict[str, Any]:
        return {"Volumes": [{"Name": "smoke-vol"}]}

    def remove_container(self, cid: str, force: bool, v: bool) -> None:
        self.removed.append(f"container {cid[:12]}")

    def remove_network(self, nid: str) -> None:
        self.removed.append(f"network {nid}")

    def remove_volume(self, name: str, force: bool) -> None:
        self.removed.append(f"volume {name}")


class FakeClient:
    def __init__(self) -> None:
        self.api = FakeApi()


def test_everything_labelled_goes_when_the_block_fails() -> None:
    client = FakeClient()
    with pytest.raises(RuntimeError), run_scope(client, "run1") as scope:
        assert scope.labels == {RUN_LABEL: "run1", OWNER_LABEL: owner()}
        msg = "a test failed hard"
        raise RuntimeError(msg)
    assert client.api.removed == ["container c1c1c1c1c1c1", "network n1", "volume smoke-vol"]
    assert client.api.filters == [{"label": RUN_LABEL}, {"label": f"{RUN_LABEL}=run1"}]


def test_sigterm_becomes_an_interrupt_that_cleans_up() -> None:
    client = FakeClient()
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), run_scope(client):
        os.kill(os.getpid(), signal.SIGTERM)
    assert len(client.api.removed) == 3
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_run_is_alive_while_its_process_runs_and_a_reused_pid_is_not_it() -> None:
    import socket
    import subprocess
    import sys

    assert alive(owner())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    host, pid, other = f"{socket.gethostname()} {child.pid} x".split(" ")
    label = f"{host} {pid} {started(child.pid)}"
    assert alive(label)
    assert not alive(f"{host} {pid} {other}")  # same pid, another process start
    child.kill()
    child.wait()
    assert not alive(label)
    assert not alive(None)  # left by a version that did not say whose it was
    assert alive(f"another-host-{host} 1 1")  # cannot be asked: kept
