"""Hadolint's stage: findings cached per content, hadolint run only for what is not cached."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dockbuild import proc
from dockbuild.lint import hadolint
from dockbuild.lint.cache import LintCache
from dockbuild.lint.config import LintConfig
from dockbuild.lint.hadolint_run import HadolintStage


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Replace hadolint at the proc.run seam; return the argv of each run."""
    exe = tmp_path / "hadolint"
    exe.write_text("")
    seen: list[list[str]] = []

    def run(argv: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        seen.append(list(argv))
        if "--version" in argv:
            return subprocess.CompletedProcess(argv, 0, "Haskell Dockerfile Linter 2.12.0\n", "")
        files = [a for a in argv if a.endswith("Dockerfile")]
        out = [{"code": "DL3003", "line": 1, "level": "warning", "message": "cd", "file": f}
               for f in files]
        return subprocess.CompletedProcess(argv, 1, json.dumps(out), "")

    monkeypatch.setattr(hadolint, "binary", lambda: str(exe))
    monkeypatch.setattr(proc, "run", run)
    return seen


def test_a_second_stage_reads_the_cache_and_an_edit_runs_hadolint_again(
        tmp_path: Path, runs: list[list[str]]) -> None:
    cache = LintCache(tmp_path)
    first = HadolintStage(tmp_path, cache, LintConfig(), enabled=True)
    first.start({"a/Dockerfile": b"FROM x\n"})
    assert [f["code"] for f in first.findings("a/Dockerfile", b"FROM x\n")] == ["DL3003"]
    assert first.files_run == 1
    again = HadolintStage(tmp_path, cache, LintConfig(), enabled=True)
    again.start({"a/Dockerfile": b"FROM x\n"})
    assert again.files_run == 0
    assert again.findings("a/Dockerfile", b"FROM x\n") == first.findings("a/Dockerfile",
                                                                         b"FROM x\n")
    again.start({"a/Dockerfile": b"FROM y\n"})
    assert again.files_run == 1
    assert len([argv for argv in runs if "--version" not in argv]) == 2


def test_the_version_is_asked_once_per_binary(tmp_path: Path, runs: list[list[str]]) -> None:
    cache = LintCache(tmp_path)
    for _ in range(2):
        assert HadolintStage(tmp_path, cache, LintConfig(), enabled=True).version() == "2.12.0"
    assert len(runs) == 1


def test_a_disabled_stage_runs_nothing(tmp_path: Path, runs: list[list[str]]) -> None:
    stage = HadolintStage(tmp_path, LintCache(tmp_path), LintConfig(), enabled=False)
    stage.start({"a/Dockerfile": b"FROM x\n"})
    assert stage.findings("a/Dockerfile", b"FROM x\n") == []
    assert stage.version() == "not run"
    assert runs == []
