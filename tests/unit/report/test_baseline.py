"""Section 5's baseline: the last verified state, a git ref, no claim against the same revision."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from dockbuild import gitinfo, runstore
from dockbuild.report import baseline, interfaces, verified
from dockbuild.report import run as report_run

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]


def commit(root: Path, message: str) -> None:
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=root, check=True)


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text, f"{path} no longer holds {old!r}"
    file.write_text(text.replace(old, new))


def remember_verified(root: Path) -> None:
    """Store the verified state as verify's report step does when everything holds."""
    verified.save(root, interfaces.of_files(root), gitinfo.revision(root), runstore.now_iso())


def report(root: Path, lang: str = "ko", **options: str) -> str:
    report_run.run(root, lang=lang, output="out", **options)
    return (root / f"out/alignment.{lang}.md").read_text()


def section_5(markdown: str) -> str:
    return markdown.split("## 5. ")[1].split("\n---")[0]


def conclusion(markdown: str) -> str:
    return markdown.split("## 결론")[-1] if "## 결론" in markdown else markdown.split(
        "## Conclusion")[-1]


def move_api_to_8080(root: Path) -> None:
    edit(root, "docker/services.yaml", "8000", "8080")  # ports, the gunicorn bind, the smoke probe
    edit(root, "docker/api/Dockerfile", "8000", "8080")  # EXPOSE and the bind


def test_a_change_since_the_verified_state_shows_old_and_new_and_the_conclusion_names_it(
        repo: Path) -> None:
    remember_verified(repo)
    move_api_to_8080(repo)
    commit(repo, "B: the api listens on 8080")
    markdown = report(repo)
    api = next(line for line in section_5(markdown).splitlines() if "</a>api |" in line)
    assert "**ports**: `8000 → 8080`" in api
    assert "**EXPOSE**: `8000 → 8080`" in api
    assert "**CMD**: `0.0.0.0:8000 → 0.0.0.0:8080`" in api
    others = [line for line in section_5(markdown).splitlines()
              if line.startswith("| <a id=") and "</a>api |" not in line]
    assert others and all("| 없음 |" in line for line in others)
    end = conclusion(markdown)
    assert "대비 변경: " in end
    assert "`ports` `8000 → 8080` (api)" in end
    assert "`EXPOSE` `8000 → 8080` (api)" in end
    assert "SSOT 변경 있음 (5절)" in end and "SSOT 유지" not in end
    assert "진입점(CMD) 변경 있음 — 5절 참조." in markdown
    data = json.loads((repo / "out/results.json").read_text())
    assert data["baseline"]["kind"] == "verified"
    assert data["baseline"]["same_revision"] is False


def test_the_same_revision_is_said_plainly_and_claims_no_change(repo: Path) -> None:
    remember_verified(repo)
    sha = gitinfo.head(repo)
    assert sha is not None
    for ko in (report(repo), report(repo, baseline="HEAD")):
        statement = f"기준이 현재와 같은 리비전({sha[:7]})이라 변경 여부를 판단하지 않음"
        assert f"**SSOT**: {statement}" in ko
        assert f"- {statement}" in conclusion(ko)
        rows = [line for line in section_5(ko).splitlines() if line.startswith("| <a id=")]
        assert rows and all("| ➖ 판단 안 함 |" in line for line in rows)
        assert "| 없음 |" not in section_5(ko)
    english = report(repo, lang="en")
    assert f"the baseline is this same revision ({sha[:7]}): no change can be claimed" in english


def test_a_dirty_tree_against_head_compares_the_working_files(repo: Path) -> None:
    move_api_to_8080(repo)
    markdown = report(repo, lang="en", baseline="HEAD")
    assert "**EXPOSE**: `8000 → 8080`" in section_5(markdown)
    assert "same revision" not in markdown


def test_an_unknown_baseline_ref_is_one_line_and_exit_2(
        repo: Path, run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    result = run_cli("report", "--baseline", "nope", "--output", "out", cwd=repo,
                     env={"DOCKER_HOST": "tcp://127.0.0.1:9"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: --baseline 'nope' is not a commit of this repository"
        " (hint: give a branch, tag or commit, e.g. --baseline main)"]


def test_a_workdir_change_in_the_base_shows_for_each_service_as_inherited(repo: Path) -> None:
    edit(repo, "docker/services.yaml", "workdir: /app", "workdir: /srv/app")
    edit(repo, "docker/Dockerfile.base", "WORKDIR /app", "WORKDIR /srv/app")
    commit(repo, "B: the application lives in /srv/app")
    lines = (repo / "docker/Dockerfile.base").read_text().splitlines()
    line = lines.index("WORKDIR /srv/app") + 1
    markdown = report(repo, lang="en", baseline="HEAD~1")
    rows = [row for row in section_5(markdown).splitlines() if row.startswith("| <a id=")]
    assert len(rows) == 5
    inherited = f"**WORKDIR** (inherited from docker/Dockerfile.base:{line}): `/app → /srv/app`"
    base, services = rows[0], rows[1:]
    assert "**WORKDIR**: `/app → /srv/app`" in base
    assert all(inherited in row for row in services)
    compared = baseline.against(interfaces.of_files(repo), baseline.at_ref(repo, "HEAD~1"))
    changes = [change for item in compared.values() for change in item.changes]
    assert {(c.image, c.inherited) for c in changes if c.field == "WORKDIR"} == {
        ("academy-base", False), ("api", True), ("video-worker", True),
        ("messaging-worker", True), ("ai-worker-cpu", True)}


def test_without_verified_state_the_merge_base_serves_only_when_it_is_not_head(
        repo: Path) -> None:
    assert baseline.choose(repo, None, []).kind == "none"  # on main: merge base is HEAD
    subprocess.run(["git", "checkout", "-qb", "side"], cwd=repo, check=True)
    move_api_to_8080(repo)
    commit(repo, "side: 8080")
    chosen = baseline.choose(repo, None, [])
    assert (chosen.kind, chosen.same_revision) == ("merge-base", False)
    remember_verified(repo)
    assert baseline.choose(repo, None, []).kind == "verified"


def test_a_report_without_builds_and_tests_is_not_a_verified_state(repo: Path) -> None:
    report(repo)
    assert not (repo / verified.PATH).exists()
