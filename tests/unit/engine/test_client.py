"""SDK clients come from one factory, which turns an absent engine into exit 2."""

from __future__ import annotations

import pytest

from dockbuild.engine import client
from dockbuild.errors import EngineUnavailable


def test_no_engine_is_exit_2_from_the_one_client_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    with pytest.raises(EngineUnavailable, match="no Docker engine answers") as caught:
        client.api(client.PROBE_TIMEOUT_S)
    assert caught.value.exit_code == 2
