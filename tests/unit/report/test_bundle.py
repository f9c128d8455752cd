"""One report from several runners' evidence: each image from the runner that tested it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dockbuild import runstore
from dockbuild.errors import InputError
from dockbuild.evidence import Status
from dockbuild.imagetest.results import outcome
from dockbuild.inputs import manifest
from dockbuild.report import bundle
from dockbuild.report import run as report_run

from .test_run import fake_engine

VARIANT = "py3.11-amd64"


def _tested(ref: str, image_id: str, status: Status = Status.PASS) -> object:
    return outcome(check="image.user", name="user", image=ref, variant=VARIANT, status=status,
                   message="" if status is Status.PASS else "runs as root",
                   requirement=("사용자", "user"), image_id=image_id)


def _runner(repo: Path, monkeypatch: pytest.MonkeyPatch, engine: str, out: str,
            images: dict[str, tuple[str, Status]]) -> Path:
    """Act as one runner: its own results and engine, its report written to ``out``."""
    shutil.rmtree(repo / runstore.FOLDER, ignore_errors=True)
    monkeypatch.setenv("DOCKER_HOST", engine)
    refs = {f"{name}:{VARIANT}": ident for name, (ident, _) in images.items()}
    runstore.save(repo, "image-test", VARIANT,
                  [_tested(f"{name}:{VARIANT}", ident, status)
                   for name, (ident, status) in images.items()])
    fake_engine(monkeypatch, refs)
    report_run.run(repo, lang="en", output=out, python="3.11", platform="linux/amd64")
    return repo / out


def _rows(repo: Path, out: str) -> dict[str, str]:
    section = (repo / out / "alignment.en.md").read_text().split("## 6. ")[1]
    return {line.split(" | ")[0].removeprefix("| "): line for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| <a") and VARIANT in line}


def _ident(letter: str) -> str:
    return "sha256:" + letter * 64


@pytest.fixture
def two_runners(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two shards' reports: base in both (a failure on the first), the services split."""
    a = _runner(repo, monkeypatch, "tcp://127.0.0.1:9", "out-a", {
        "academy-base": (_ident("a"), Status.PASS), "academy-api": (_ident("b"), Status.PASS),
        "academy-video-worker": (_ident("c"), Status.PASS)})
    b = _runner(repo, monkeypatch, "tcp://127.0.0.1:7", "out-b", {
        "academy-base": (_ident("d"), Status.PASS),
        "academy-messaging-worker": (_ident("e"), Status.PASS),
        "academy-ai-worker-cpu": (_ident("f"), Status.FAIL)})
    shutil.rmtree(repo / runstore.FOLDER)
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    fake_engine(monkeypatch, {})  # the merging machine has none of these images
    return a, b


def test_each_image_comes_from_the_runner_that_tested_it(
        repo: Path, two_runners: tuple[Path, Path]) -> None:
    a, b = two_runners
    report_run.run(repo, lang="en", output="merged", python="3.11", platform="linux/amd64",
                   merge=[str(a), str(b / "evidence.json")])
    rows = _rows(repo, "merged")
    assert set(rows) == {"academy-base", "api", "video-worker", "messaging-worker", "ai-worker-cpu"}
    assert "`bbbbbbbbbbbb`" in rows["api"] and "(tcp://127.0.0.1:9) |" in rows["api"]
    assert "`eeeeeeeeeeee`" in rows["messaging-worker"]
    assert "(tcp://127.0.0.1:7) |" in rows["messaging-worker"]
    assert "❌ 0/1/0" in rows["ai-worker-cpu"]  # a failure on its runner stays a failure
    section = (repo / "merged/alignment.en.md").read_text().split("## 6. ")[1]
    assert "merged from the evidence of 2 runner(s)" in section
    assert "stale" not in section  # bound to each runner's engine, not to this machine's
    # the merged evidence holds both runners as they were: merging it again gives the same rows
    data = json.loads((repo / "merged/evidence.json").read_text())
    assert len(data["runners"]) == 2
    report_run.run(repo, lang="en", output="again", python="3.11", platform="linux/amd64",
                   merge=[str(repo / "merged")])
    assert _rows(repo, "again") == rows


def test_a_failure_on_any_runner_is_the_row_even_when_another_passed(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = _runner(repo, monkeypatch, "tcp://127.0.0.1:9", "out-a",
                {"academy-base": (_ident("a"), Status.FAIL)})
    b = _runner(repo, monkeypatch, "tcp://127.0.0.1:7", "out-b",
                {"academy-base": (_ident("d"), Status.PASS)})  # newer, passing
    fake_engine(monkeypatch, {})
    report_run.run(repo, lang="en", output="merged", python="3.11", platform="linux/amd64",
                   merge=[str(b), str(a)])
    base = _rows(repo, "merged")["academy-base"]
    assert "❌ 0/1/0" in base and "`aaaaaaaaaaaa`" in base
    data = json.loads((repo / "merged/results.json").read_text())
    assert next(s for s in data["sections"] if s["key"] == "images")["status"] == "fail"


def test_without_a_runner_an_image_is_not_built_not_passing(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = _runner(repo, monkeypatch, "tcp://127.0.0.1:9", "out-a",
                {"academy-base": (_ident("a"), Status.PASS)})
    report_run.run(repo, lang="en", output="merged", python="3.11", platform="linux/amd64",
                   merge=[str(a)])
    rows = _rows(repo, "merged")
    assert "not built" in rows["api"] and "✅" not in rows["api"]
    heading = next(line for line in (repo / "merged/alignment.en.md").read_text().splitlines()
                   if line.startswith("## 6. "))
    assert "not verified: api" in heading


def test_evidence_of_another_commit_or_no_evidence_is_a_one_line_error(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = _runner(repo, monkeypatch, "tcp://127.0.0.1:9", "out-a",
                {"academy-base": (_ident("a"), Status.PASS)})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "next"], cwd=repo, check=True)
    with pytest.raises(InputError, match=r"out-a/evidence.json: written at commit \w{12},"
                                         r" this checkout is \w{12}"):
        report_run.run(repo, lang="en", output="merged", merge=[str(a)])
    (repo / "junk.json").write_text('{"runners": []}')
    with pytest.raises(InputError, match=r"junk\.json: not a report's evidence file"):
        report_run.run(repo, lang="en", output="merged", merge=[str(repo / "junk.json")])
    with pytest.raises(InputError, match=r"missing\.json: cannot be read"):
        report_run.run(repo, lang="en", output="merged", merge=[str(repo / "missing.json")])
    assert not (repo / "merged").exists()  # nothing written on bad input


def test_a_report_on_one_machine_writes_its_engine_snapshot(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _runner(repo, monkeypatch, "tcp://127.0.0.1:9", "out-a",
                  {"academy-api": (_ident("b"), Status.PASS)})
    data = json.loads((out / "evidence.json").read_text())
    assert data["format"] == bundle.FORMAT
    (runner,) = data["runners"]
    assert runner["engine"] == {"academy-api:py3.11-amd64": {"id": _ident("b"),
                                                             "size_mb": 300.0}}
    assert runner["runner"].endswith("(tcp://127.0.0.1:9)")
    assert set(runner["results"]) == {"build", "image-test"}
    assert [e["subject"] for e in runner["results"]["image-test"][VARIANT]["images"]] == [
        "academy-api:py3.11-amd64"]
    assert manifest.load(repo).images()  # the repo still loads: nothing else was touched
