"""The engine installer's files: trixie at priority 100, the containerd image store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockbuild.engine import install
from dockbuild.errors import EngineUnavailable


def test_versions_compare_as_numbers() -> None:
    assert install.version_tuple("26.1.5+dfsg1-9+deb13u1") == (26, 1)
    assert install.version_tuple("20.10.24+dfsg1-1+deb12u1+b6") < install.MIN_ENGINE
    assert install.version_tuple("v0.13.1") == (0, 13)
    assert install.version_tuple("unknown") == (0, 0)


def test_trixie_is_added_from_the_same_mirror_and_pinned_low(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    debian = tmp_path / "debian.sources"
    debian.write_text("Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n")
    monkeypatch.setattr(install, "DEBIAN_SOURCES", debian)
    monkeypatch.setattr(install, "SOURCES", tmp_path / "trixie.sources")
    monkeypatch.setattr(install, "PIN", tmp_path / "pin")
    install.add_trixie()
    assert "URIs: http://mirror.example/debian\nSuites: trixie\n" in (
        tmp_path / "trixie.sources").read_text()
    assert "Pin: release n=trixie\nPin-Priority: 100\n" in (tmp_path / "pin").read_text()


def test_the_containerd_store_is_added_to_daemon_json_keeping_other_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    daemon = tmp_path / "docker" / "daemon.json"
    monkeypatch.setattr(install, "DAEMON_JSON", daemon)
    assert install.use_containerd_store() is True
    daemon.write_text(json.dumps({"log-level": "warn", "features": {"buildkit": True}}))
    assert install.use_containerd_store() is True
    assert json.loads(daemon.read_text()) == {
        "log-level": "warn", "features": {"buildkit": True, "containerd-snapshotter": True}}
    assert install.use_containerd_store() is False  # already on: the file is left alone
    daemon.write_text("{not json")
    with pytest.raises(EngineUnavailable, match=r"daemon.json:1: not JSON"):
        install.use_containerd_store()
