"""Whole-file writes: the new content lands, or the old one stays, and no temporary is left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockbuild import fsio, runstore
from dockbuild.evidence import Evidence, Requirement, Severity, Status
from dockbuild.lint.cache import FORMAT, LintCache


def test_write_json_creates_folders_and_replaces_the_old_content(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "data.json"
    fsio.write_json(path, {"n": 1})
    fsio.write_json(path, {"n": 2}, indent=1)
    assert json.loads(path.read_text(encoding="utf-8")) == {"n": 2}
    assert [p.name for p in path.parent.iterdir()] == ["data.json"]


def test_a_failed_write_keeps_the_old_content_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    fsio.write_json(path, {"n": 1})
    with pytest.raises(TypeError):
        fsio.write_json(path, {"n": object()})
    assert json.loads(path.read_text(encoding="utf-8")) == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]


def test_runstore_and_lint_cache_round_trip_through_it(tmp_path: Path) -> None:
    record = Evidence(check="build", subject="academy-api", status=Status.PASS,
                      severity=Severity.INFO, location=None, message="built",
                      requirement=Requirement("빌드", "build"))
    runstore.save(tmp_path, "build", "py3.11-amd64", [record])
    assert runstore.records(tmp_path, "build") == {"py3.11-amd64": [record]}
    cache = LintCache(tmp_path)
    cache.put("image", "k", {"records": []})
    assert cache.read("image", "k", dict) == {"records": [], "format": FORMAT}
    assert list(tmp_path.rglob("*.tmp")) == []
