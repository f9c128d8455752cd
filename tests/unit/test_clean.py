"""inv clean: lists everything, removes only what is named, refuses an unknown name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockbuild import clean
from dockbuild.errors import InputError


@pytest.fixture
def cleanable(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository with a few kB in its caches and reports."""
    tmp_path = repo
    shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
    shutil.rmtree(tmp_path / "reports", ignore_errors=True)
    for folder in (".cache/lint/runs", ".cache/wheels/py3.11-x86_64", "reports"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / ".cache/lint/runs/a.json").write_bytes(b"x" * 2000)
    (tmp_path / ".cache/wheels/py3.11-x86_64/a.whl").write_bytes(b"x" * 300_000)
    (tmp_path / "reports/alignment.en.md").write_text("report")
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")  # no engine: its targets say so
    return tmp_path


def test_nothing_named_lists_everything_and_removes_nothing(cleanable: Path) -> None:
    said: list[str] = []
    assert clean.run(cleanable, (), say=said.append) == []
    assert said[0].startswith("lint       .cache/lint          2 kB  (the next lint parses")
    assert any(line.startswith("wheels     .cache/wheels      0.3 MB") for line in said)
    assert "images     (no engine answers: nothing to list)" in said
    assert said[-1].startswith("nothing removed: name what goes with --what NAME")
    assert (cleanable / ".cache/lint").is_dir() and (cleanable / "reports").is_dir()


def test_only_what_is_named_goes_and_a_dry_run_keeps_it(cleanable: Path) -> None:
    said: list[str] = []
    assert clean.run(cleanable, ("wheels",), dry_run=True, say=said.append) == []
    assert said == ["would remove wheels     .cache/wheels      0.3 MB"
                    "  (the next build downloads every wheel again)"]
    removed = clean.run(cleanable, ("wheels", "reports"), say=said.append)
    assert removed == [".cache/wheels", "reports"]
    assert not (cleanable / ".cache/wheels").exists() and not (cleanable / "reports").exists()
    assert (cleanable / ".cache/lint").is_dir()


def test_an_unknown_name_is_one_line_naming_the_choices(cleanable: Path) -> None:
    with pytest.raises(InputError, match="nothing called wheel to clean") as info:
        clean.run(cleanable, ("wheel",))
    assert "lint, results, build, wheels, rootfs, sbom, reports, images, containers, all" in \
        info.value.hint
