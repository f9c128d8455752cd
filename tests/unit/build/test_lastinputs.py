"""The last inputs of each image: kept only when they change, and read back as reasons."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dockbuild.build import lastinputs, plan


@dataclasses.dataclass
class FakeJob:
    step: plan.BuildStep
    status: str
    inputs: str
    entries: dict[str, str]
    parent: tuple[str, str]


def _job(academy: object, **changes: object) -> FakeJob:
    step = plan.plan(academy, "3.11", "linux/amd64", services=["api"])[1]  # type: ignore[arg-type]
    job = FakeJob(step, "built", "hash1", {"docker/api/Dockerfile": "f 644 aa",
                                            "apps/api/views.py": "f 644 bb"},
                  ("academy-base:py3.11-amd64", "sha256:" + "1" * 64))
    return dataclasses.replace(job, **changes)  # type: ignore[arg-type]


def test_each_kind_of_change_is_named(academy: object, tmp_path: Path) -> None:
    built = _job(academy)
    lastinputs.save(tmp_path, "py3.11-amd64", [built])
    last = lastinputs.load(tmp_path, "py3.11-amd64")["api"]
    assert lastinputs.changes(last, built) == [
        "the build recipe changed (platform, Python or this tool's hash version)"]
    edited = _job(academy, entries={"docker/api/Dockerfile": "f 644 cc",
                                    "apps/api/new.py": "f 644 dd"})
    assert lastinputs.changes(last, edited) == [
        "apps/api/new.py is new to the build", "apps/api/views.py no longer reaches the build",
        "the Dockerfile changed"]
    rebuilt = _job(academy, parent=("academy-base:py3.11-amd64", "sha256:" + "2" * 64))
    assert lastinputs.changes(last, rebuilt) == [
        "parent academy-base:py3.11-amd64 is another image (111111111111 -> 222222222222)"]
    assert lastinputs.changes(None, built) == ["no record of what it was built from"]


def test_a_no_op_run_writes_nothing_and_a_failed_image_keeps_its_record(
        academy: object, tmp_path: Path) -> None:
    lastinputs.save(tmp_path, "py3.11-amd64", [_job(academy)])
    stamp = lastinputs.path(tmp_path, "py3.11-amd64").stat().st_mtime_ns
    lastinputs.save(tmp_path, "py3.11-amd64", [_job(academy, status="skipped")])
    lastinputs.save(tmp_path, "py3.11-amd64", [_job(academy, status="failed", inputs="hash2")])
    assert lastinputs.path(tmp_path, "py3.11-amd64").stat().st_mtime_ns == stamp
    assert lastinputs.load(tmp_path, "py3.11-amd64")["api"]["inputs"] == "hash1"
    lastinputs.path(tmp_path, "py3.11-amd64").write_text("[1, 2]")
    assert lastinputs.load(tmp_path, "py3.11-amd64") == {}
