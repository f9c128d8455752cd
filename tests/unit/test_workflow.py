"""`inv verify`: every step runs, the worst failure decides, lint and the manifest run once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockbuild import commands, workflow
from dockbuild.errors import ChecksFailed, EnvironmentProblem, InputError, ManifestError
from dockbuild.inputs import manifest as manifest_mod
from dockbuild.lint import run as lint_mod
from dockbuild.report import facts as report_facts


def test_every_step_runs_and_the_worst_exit_code_wins(capsys: pytest.CaptureFixture[str]) -> None:
    failures = {"build": ChecksFailed("image api failed"),
                "image-test": EnvironmentProblem("no engine answers")}
    ran = []

    def call(step: workflow.Step) -> None:
        ran.append(step.name)
        if step.name in failures:
            raise failures[step.name]

    with pytest.raises(ChecksFailed) as caught:
        workflow.run(workflow.STEPS, call)
    assert ran == ["lint", "build", "image-test", "report"]
    assert caught.value.exit_code == 2
    assert str(caught.value) == "verify: build, image-test did not hold (see above and reports/)"
    out = capsys.readouterr().out
    assert "build       failed (exit 1): image api failed" in out
    assert "report      ok" in out


def test_all_steps_holding_is_no_error(capsys: pytest.CaptureFixture[str]) -> None:
    workflow.run(workflow.STEPS, lambda step: None)
    assert capsys.readouterr().out.rstrip().endswith("verify: everything holds")


def test_a_broken_manifest_stops_verify_at_once_and_the_summary_says_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    ran = []

    def call(step: workflow.Step) -> None:
        ran.append(step.name)
        msg = "bad manifest"
        raise ManifestError(msg)

    with pytest.raises(ChecksFailed) as info:
        workflow.run(workflow.STEPS, call)
    assert ran == ["lint"]
    assert info.value.exit_code == 2
    out = capsys.readouterr().out
    assert "verify summary\n  lint        failed (exit 2): bad manifest" in out


def test_a_wrong_service_stops_verify_before_lint(run_cli: Any, repo_root: Path) -> None:
    done = run_cli("verify", "-r", str(repo_root), "--service", "apii")
    assert done.returncode == 2
    assert "==> lint" not in done.stdout
    assert done.stderr.strip() == ("error: docker/services.yaml: no service called apii in the"
                                   " manifest (hint: known: api, video-worker, messaging-worker,"
                                   " ai-worker-cpu)")


def test_each_step_gets_only_the_options_its_verb_takes() -> None:
    given = {"python": "3.11", "platform": "linux/amd64", "services": ("api",),
             "baseline": "main", "lang": "en", "cache_from": "r:5000", "cache_to": "r:5000",
             "changed_since": "origin/main", "shard": "1/2"}
    picked = {step.verb: step.pick(given) for step in workflow.STEPS}
    assert picked["lint"] == {}
    assert picked["image_test"] == {
        "python": "3.11", "platform": "linux/amd64", "services": ("api",),
        "changed_since": "origin/main", "shard": "1/2"}  # the same images as the build
    assert picked["build"] == {**picked["image_test"], "cache_from": "r:5000",
                               "cache_to": "r:5000"}  # the registry cache is the build's
    assert picked["report"] == {"lang": "en", "baseline": "main", "python": "3.11",
                                "platform": "linux/amd64"}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Count lint runs and manifest loads; remember the records lint made."""
    counts: dict[str, Any] = {"lint": 0, "load": 0}
    real_lint, real_load = lint_mod.run, manifest_mod.load

    def lint(*args: Any, **kwargs: Any) -> lint_mod.LintResult:
        counts["lint"] += 1
        counts["records"] = (result := real_lint(*args, **kwargs)).records
        return result

    def load(root: Path) -> manifest_mod.Manifest:
        counts["load"] += 1
        return real_load(root)

    monkeypatch.setattr(lint_mod, "run", lint)
    monkeypatch.setattr(manifest_mod, "load", load)
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")  # no unit test waits for an engine
    return counts


def test_verify_lints_and_loads_once_and_reports_what_lint_found(
        repo: Path, counted: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    reported: dict[str, Any] = {}
    real_gather = report_facts.gather

    def gather(*args: Any, **kwargs: Any) -> Any:
        reported["lint_records"] = kwargs["lint_records"]
        return real_gather(*args, **kwargs)

    def image_test(*_args: Any, **_kwargs: Any) -> None:
        msg = "1 image test(s) failed: academy-api image.cmd"
        raise ChecksFailed(msg)

    monkeypatch.setattr(report_facts, "gather", gather)
    monkeypatch.setattr(commands, "build", lambda *_args, **_kwargs: [])
    monkeypatch.setattr(commands, "image_test", image_test)
    with pytest.raises(ChecksFailed) as caught:
        commands.verify(repo, lang="en")
    assert caught.value.exit_code == 1
    assert "image-test did not hold" in str(caught.value)
    assert (counted["lint"], counted["load"]) == (1, 1)
    assert reported["lint_records"] == counted["records"]
    assert (repo / "reports/alignment.en.md").is_file()
    out = capsys.readouterr().out.rstrip().splitlines()
    assert out[-1] == ("verify coverage: py3.11-amd64, py3.11-arm64, py3.13-amd64, py3.13-arm64"
                       " not verified")


def test_report_alone_still_lints(repo: Path, counted: dict[str, Any]) -> None:
    commands.report(repo, lang="en")
    assert (counted["lint"], counted["load"]) == (1, 1)
    assert (repo / "reports/alignment.en.md").is_file()


def test_a_root_without_a_manifest_is_one_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"holds no docker/services\.yaml"):
        commands.verify(tmp_path)


def test_the_summary_ends_with_what_was_verified(capsys: pytest.CaptureFixture[str]) -> None:
    line = "py3.11-amd64 verified (5 images); py3.11-arm64, py3.13-amd64 not verified"
    workflow.run(workflow.STEPS, lambda step: None, coverage=lambda: (False, line))
    out = capsys.readouterr().out.rstrip().splitlines()
    assert out[-2:] == ["verify: every step held", f"verify coverage: {line}"]
    workflow.run(workflow.STEPS, lambda step: None,
                 coverage=lambda: (True, "py3.11-amd64 verified (5 images)"))
    assert capsys.readouterr().out.rstrip().splitlines()[-2:] == [
        "verify: everything holds", "verify coverage: py3.11-amd64 verified (5 images)"]
    workflow.run(workflow.STEPS, lambda step: None, coverage=lambda: None)
    assert capsys.readouterr().out.rstrip().splitlines()[-2:] == [
        "verify: every step held", "verify coverage: unknown: the report was not written"]
