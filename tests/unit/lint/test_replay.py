"""The whole-run cache: a run replays only while every input it read is as it was."""

from __future__ import annotations

import json
from pathlib import Path

from dockbuild.evidence import Evidence, Requirement, Severity, Span, Status
from dockbuild.inputs.buildcontext import ContextIndex
from dockbuild.lint import replay
from dockbuild.lint.cache import FORMAT, LintCache

PARTS: list[str | bytes] = ["config", b"code"]
RECORD = Evidence(check="DF101", subject="docker/a/Dockerfile", status=Status.FAIL,
                  severity=Severity.ERROR, location=Span("docker/a/Dockerfile", 2, 2),
                  message="apt lists stay", requirement=Requirement("apt", "apt"))


def make_repo(tmp_path: Path) -> Path:
    (tmp_path / "docker/a").mkdir(parents=True)
    (tmp_path / "docker/a/Dockerfile").write_text("FROM x\nRUN apt-get update\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/main.py").write_text("print(1)\n")
    (tmp_path / ".dockerignore").write_text("**/*.md\n.cache\n")
    return tmp_path


def save_run(root: Path, cache: LintCache) -> None:
    contexts = {".": replay.context_index(root, cache, ".")}
    outcome = {"records": [RECORD], "tools": {"hadolint": "2.15"}, "stats": {"files": 1}}
    replay.save(root, cache, PARTS, ["docker/a/Dockerfile"], contexts, outcome)


def test_an_unchanged_run_replays_its_records_and_exit_facts(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = LintCache(root)
    assert replay.replay(root, cache, PARTS) is None  # nothing stored yet
    save_run(root, cache)
    last = replay.replay(root, cache, PARTS)
    assert last is not None
    assert last["errors"] == 1 and last["tools"] == {"hadolint": "2.15"}
    assert last["load"]() == [RECORD]
    last["remember"]({"text": "cached text"})
    again = replay.replay(root, cache, PARTS)
    assert again is not None and again["outputs"] == {"text": "cached text"}


def test_an_edited_file_a_new_context_file_or_other_config_is_a_miss(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = LintCache(root)
    save_run(root, cache)
    assert replay.replay(root, cache, ["other config", b"code"]) is None
    (root / "app/new.py").write_text("")  # .dockerignore keeps it: the context changed
    assert replay.replay(root, cache, PARTS) is None
    save_run(root, cache)
    (root / "docker/a/Dockerfile").write_text("FROM x\n")
    assert replay.replay(root, cache, PARTS) is None


def test_a_file_dockerignore_leaves_out_does_not_spoil_the_replay(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = LintCache(root)
    save_run(root, cache)
    (root / "app/NOTES.md").write_text("x")  # excluded: no build would see it
    assert replay.replay(root, cache, PARTS) is not None
    (root / ".dockerignore").write_text(".cache\n")  # now it would be sent
    assert replay.replay(root, cache, PARTS) is None


def test_a_disabled_cache_never_replays(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = LintCache(root, enabled=False)
    save_run(root, cache)
    assert replay.replay(root, cache, PARTS) is None
    assert not (root / ".cache").exists()


def test_the_context_walk_is_reused_until_the_context_changes(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = LintCache(root)
    first = replay.context_index(root, cache, ".")
    assert "app/main.py" in first.sent and ".dockerignore" in first.sent
    reused = replay.context_index(root, cache, ".")
    assert reused.sent == first.sent
    (root / "app/other.py").write_text("")
    fresh = replay.context_index(root, cache, ".")
    assert "app/other.py" in fresh.sent
    assert isinstance(fresh, ContextIndex)


def test_a_damaged_run_entry_or_records_file_is_a_miss_and_the_next_run_rewrites_it(
        tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    cache = LintCache(root)
    runs = root / ".cache/lint/runs"
    shaped_wrong = json.dumps({"format": FORMAT, "records": 5})
    for wrong in ("5", "[1, 2]", '{"py3.11-amd64": 5}', shaped_wrong):
        save_run(root, cache)
        summary, records = sorted(runs.glob("*.json"), key=lambda p: len(p.name))
        for damaged in (summary, records):
            good = damaged.read_bytes()
            damaged.write_text(wrong)
            assert replay.replay(root, cache, PARTS) is None, (damaged.name, wrong)
            damaged.write_bytes(good)
        assert replay.replay(root, cache, PARTS) is not None
