"""The lint engine on a copy of the repository: bad input, ignores, config, the cache."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dockbuild.evidence import Status
from dockbuild.lint import run as lint
from dockbuild.lint.result import LintResult

API = "docker/api/Dockerfile"
VIDEO = "docker/video-worker/Dockerfile"
Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(run_cli: Cli) -> Cli:
    """Return a runner of ``python -m dockbuild --root ROOT lint ARGS``."""
    return lambda root, *args: run_cli("--root", str(root), "lint", *args)


def failures(result: LintResult) -> set[tuple[str, str, int]]:
    return {(r.check, r.location.file, r.location.line) for r in result.findings if r.location}


def test_the_repository_itself_lints_without_errors(repo_root: Path) -> None:
    result = lint.run(repo_root, use_cache=False)
    assert [(r.check, r.location, r.message) for r in result.findings
            if r.severity.value == "error"] == []
    assert result.unusable == []


def test_hadolints_dl3045_is_settled_by_the_inherited_workdir(repo: Path) -> None:
    result = lint.run(repo, use_cache=False)
    settled = [r for r in result.records if r.check == "DL3045"]
    assert settled and all(r.status is Status.PASS for r in settled)
    assert all("inherited from docker/Dockerfile.base" in r.message for r in settled)


@pytest.mark.parametrize(("content", "line", "message"), [
    (b"ARG BASE_IMAGE=academy-base:latest\nFROM ${BASE_IMAGE}\nRUN echo caf\xe9\n", 3,
     "is not valid UTF-8"),
    (b"", 1, "has no instructions"),
    (b"ARG BASE_IMAGE=academy-base:latest\nFROM ${BASE_IMAGE}\nRUN <<EOF\necho x\n", 3,
     "unterminated heredoc"),
])
def test_an_unusable_dockerfile_is_one_line_at_its_line_and_the_rest_is_linted(
    repo: Path, cli: Cli, content: bytes, line: int, message: str
) -> None:
    (repo / API).write_bytes(content)
    done = cli(repo, "--format", "json", "--no-cache")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert f"{API}:{line}: {message}" in done.stderr
    document = json.loads(done.stdout)
    found = {(f["rule"], f["file"], f["line"]) for f in document["findings"]}
    assert ("DF001", API, line) in found
    checked = {c["subject"] for c in document["checks"] if c["source"] == "policy"}
    assert {"video-worker", "messaging-worker", "ai-worker-cpu", "academy-base"} <= checked


def test_crlf_is_a_warning_and_the_file_is_still_checked(repo: Path) -> None:
    text = (repo / API).read_text().replace("\n", "\r\n")
    (repo / API).write_text(text, newline="")
    result = lint.run(repo, use_cache=False)
    assert ("DF002", API, 1) in failures(result)
    assert any(r.check == "DF204" and r.status is Status.PASS and r.subject == "api"
               for r in result.records)


def test_a_missing_dockerignore_is_a_warning_not_a_crash(repo: Path, cli: Cli) -> None:
    (repo / ".dockerignore").unlink()
    done = cli(repo, "--no-cache")
    assert "DF407" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_bad_manifest_exits_2_with_its_line(repo: Path, cli: Cli) -> None:
    manifest = repo / "docker/services.yaml"
    manifest.write_text(manifest.read_text().replace("ports: [8000]", "prots: [8000]"))
    done = cli(repo, "--no-cache")
    assert done.returncode == 2
    assert done.stderr.startswith("error: docker/services.yaml:")
    assert done.stdout == ""


def test_a_pragma_ignores_with_its_reason_for_both_sources(repo: Path) -> None:
    dockerfile = repo / API
    text = dockerfile.read_text().replace(
        "EXPOSE 8000", "# lint: ignore=expose-disagrees-with-manifest moving to 8080\nEXPOSE 8080")
    text = text.replace("FROM ${BASE_IMAGE}\n",
                        "FROM ${BASE_IMAGE}\n# a throwaway folder\n# hadolint ignore=DL3003\n"
                        "RUN cd /tmp && echo a\n")
    dockerfile.write_text(text)
    result = lint.run(repo, use_cache=False)
    ignored = {r.check: r.reason for r in result.records if r.status is Status.SKIP and r.reason}
    assert "DF204" not in {r.check for r in result.findings}
    assert ignored["DF204"].endswith(": moving to 8080")
    assert ignored.get("DL3003", "").endswith(": a throwaway folder")


def test_the_config_turns_rules_off_and_changes_levels(repo: Path, cli: Cli) -> None:
    config = repo / ".hadolint.yaml"
    config.write_text(config.read_text().replace("  warning: []", "  warning: [DF204]")
                      .replace("  - DL3066\n", "  - DL3066\n  - DF203\n"))
    (repo / API).write_text((repo / API).read_text().replace("EXPOSE 8000", "EXPOSE 8080")
                            .replace('"--workers", "2"', '"--workers", "3"'))
    done = cli(repo, "--format", "json", "--no-cache")
    document = json.loads(done.stdout)
    by_rule = {f["rule"]: f["severity"] for f in document["findings"]}
    assert by_rule == {"DF204": "warning"}
    assert done.returncode == 0


def test_a_second_run_replays_and_an_edit_relints_only_what_it_affects(repo: Path) -> None:
    first = lint.run(repo)
    assert first.stats["cached"] == 0
    again = lint.run(repo)
    assert again.stats.get("replayed") == 1
    assert again.records == first.records

    with (repo / API).open("a") as out:
        out.write("# a comment\n")
    one = lint.run(repo)
    assert one.stats["images"] - one.stats["cached"] == 1
    assert one.stats["hadolint_files"] == 1

    with (repo / "docker/Dockerfile.base").open("a") as out:
        out.write("# a comment\n")
    base = lint.run(repo)
    assert base.stats["cached"] == 0  # every service inherits from the base
    assert base.stats["hadolint_files"] == 1  # but only the base's hadolint findings changed


def test_what_a_full_run_printed_is_replayed_without_rendering_again(repo: Path) -> None:
    first = lint.run(repo)
    assert "replayed" not in first.stats
    text = first.output("text", lambda r: f"{len(r.records)} records")
    again = lint.run(repo)
    assert again.stats.get("replayed") == 1
    assert again.output("text", lambda _: pytest.fail("rendered again")) == text


#: What a replay must not import: the cost a warm run avoids (YAML, BuildKit's parser, rules).
HEAVY = ("yaml", "dockerfile", "bashlex", "dockbuild.inputs.manifest", "dockbuild.lint.fullrun",
         "dockbuild.lint.rules")
IMPORTS = ("import json, sys; from pathlib import Path; from dockbuild import commands; "
           "commands.lint(Path(sys.argv[1]), fmt='json', output=sys.argv[2]); "
           "print(json.dumps([m for m in {heavy} if m in sys.modules]))")


def test_a_replayed_run_loads_no_yaml_parser_or_rules_and_a_config_edit_is_seen(
        repo: Path, tmp_path: Path) -> None:
    def modules() -> list[str]:
        done = subprocess.run([sys.executable, "-c", IMPORTS.format(heavy=HEAVY), str(repo),
                               str(tmp_path / "out.json")], capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout.splitlines()[-1])

    assert set(modules()) >= {"yaml", "dockerfile", "dockbuild.lint.fullrun"}  # a full run
    first = json.loads((tmp_path / "out.json").read_text())
    assert modules() == []  # replayed
    assert json.loads((tmp_path / "out.json").read_text()) == first
    with (repo / ".hadolint.yaml").open("a") as out:
        out.write("\n# a comment changes the config's digest\n")
    assert "dockbuild.lint.fullrun" in modules()


@pytest.mark.parametrize("wrong", ["5", "[1, 2]", '{"py3.11-amd64": 5}'])
def test_every_cache_entry_damaged_is_a_miss_and_the_run_rewrites_it(
        repo: Path, cli: Cli, wrong: str) -> None:
    first = cli(repo, "--format", "json")
    assert first.returncode == 0, first.stderr
    entries = sorted((repo / ".cache/lint").rglob("*.json"))
    assert {p.parent.name for p in entries} >= {"runs", "image", "hadolint", "context", "tools"}
    for entry in entries:
        entry.write_text(wrong)
    again = cli(repo, "--format", "json")
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert json.loads(again.stdout)["findings"] == json.loads(first.stdout)["findings"]
    assert all(p.read_text() != wrong for p in entries if p.exists())
    assert lint.run(repo).stats.get("replayed") == 1  # rewritten whole: the next run replays


def test_no_cache_repairs_a_damaged_entry(repo: Path) -> None:
    lint.run(repo)
    for entry in (repo / ".cache/lint/runs").glob("*.json"):
        entry.write_text("[1, 2]")
    assert lint.run(repo, use_cache=False).stats.get("replayed") is None
    assert lint.run(repo).stats.get("replayed") == 1


def test_a_new_file_in_the_context_is_noticed_by_a_warm_run(repo: Path) -> None:
    lint.run(repo)
    (repo / "apps/secrets.yaml").write_text("secret: 1\n")
    assert ("DF404", "apps/secrets.yaml", 1) in failures(lint.run(repo))
    (repo / "apps/secrets.yaml").unlink()
    (repo / "apps/worker/video_worker/sqs_main.py").unlink()
    result = lint.run(repo)
    assert "DF404" not in {c for c, _, _ in failures(result)}
    assert any(c == "DF206" and f == VIDEO for c, f, _ in failures(result))


def test_output_file_and_formats(repo: Path, cli: Cli, tmp_path: Path) -> None:
    for fmt in ("text", "json", "sarif", "junit"):
        target = tmp_path / f"lint.{fmt}"
        done = cli(repo, "--format", fmt, "--output", str(target))
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert target.read_text()
        assert "written to" in done.stderr


def test_an_unparseable_base_skips_what_services_would_inherit(repo: Path) -> None:
    (repo / "docker/Dockerfile.base").write_text("FROM python:3.11-slim\nRUN <<EOF\nnever closed\n")
    result = lint.run(repo, use_cache=False)
    assert [(r.check, r.location.file) for r in result.unusable if r.location] == [
        ("DF001", "docker/Dockerfile.base")]
    inherited = {"DF103", "DF203", "DF302", "DF303", "DF304", "DF305", "DF306", "DF308"}
    wrong = [(r.check, r.subject) for r in result.findings if r.check in inherited]
    assert wrong == []
    skipped = {r.check for r in result.records
               if r.subject == "api" and r.status is Status.SKIP}
    assert {"DF303", "DF306"} <= skipped
