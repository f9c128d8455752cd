"""Starting the engine: never for a remote DOCKER_HOST."""

from __future__ import annotations

import pytest

from dockbuild.engine import start as engine
from dockbuild.errors import EngineUnavailable


def test_ensure_engine_never_starts_one_for_a_remote_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    with pytest.raises(EngineUnavailable) as info:
        engine.ensure_engine()
    assert info.value.exit_code == 2
