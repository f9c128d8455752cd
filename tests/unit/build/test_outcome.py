"""What a build reports once it ran: stored rows, the summary, each failure's tail, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild import runstore
from dockbuild.build import outcome, plan
from dockbuild.errors import ChecksFailed
from dockbuild.inputs import manifest


def _jobs(academy: manifest.Manifest) -> list[outcome.Job]:
    steps = plan.plan(academy, "3.11", "linux/amd64", services=["api"])
    base, api = (outcome.Job(step, [], "d") for step in steps)
    base.status, base.note, base.seconds, base.size_mb = "skipped", "inputs unchanged", 0.0, 250.0
    api.status, api.note = "failed", "pip could not resolve django"
    api.tail = ("Step 4/9 : RUN pip install -r requirements/api.txt", "ERROR: no matching dist")
    return [base, api]


def test_a_failed_image_prints_its_tail_and_fails_the_build_after_storing_every_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], academy: manifest.Manifest) -> None:
    with pytest.raises(ChecksFailed, match="1 of 2 images failed to build: api") as caught:
        outcome.finish(tmp_path, _jobs(academy))
    assert caught.value.exit_code == 1
    out = capsys.readouterr().out
    assert "academy-api:py3.11-amd64 failed: pip could not resolve django" in out
    assert "  | ERROR: no matching dist" in out
    stored = runstore.records(tmp_path, "build")["py3.11-amd64"]
    assert [(r.subject, r.name) for r in stored] == [("academy-base", "skipped"),
                                                     ("academy-api", "failed")]


def test_a_build_without_failures_returns_its_rows_in_build_order(
        tmp_path: Path, academy: manifest.Manifest) -> None:
    jobs = _jobs(academy)
    jobs[1].status, jobs[1].tail = "built", ()
    done = outcome.finish(tmp_path, jobs)
    assert [(row.image, row.status) for row in done] == [("academy-base", "skipped"),
                                                         ("academy-api", "built")]


def test_build_records_carry_image_id_revision_and_time_and_merge_across_runs(
        tmp_path: Path, academy: manifest.Manifest, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild import gitinfo

    monkeypatch.setattr(gitinfo, "head", lambda root: "f00d")
    jobs = _jobs(academy)
    jobs[0].image_id = "sha256:base"
    jobs[1].status, jobs[1].tail, jobs[1].image_id = "built", (), "sha256:api"
    outcome.finish(tmp_path, jobs)
    base, api = runstore.records(tmp_path, "build")["py3.11-amd64"]
    assert (base.image_id, api.image_id, api.revision) == ("sha256:base", "sha256:api", "f00d")
    assert api.produced_at
    jobs[1].image_id = "sha256:api2"
    outcome.finish(tmp_path, [jobs[1]])  # a run of --service api alone
    stored = runstore.records(tmp_path, "build")["py3.11-amd64"]
    assert [(r.subject, r.image_id) for r in stored] == [("academy-base", "sha256:base"),
                                                         ("academy-api", "sha256:api2")]
