"""``inv status`` on a real engine: current, stale with the input that changed, missing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration import tiny_repo

pytestmark = pytest.mark.docker

PREFIX = "dbstatus"


@pytest.fixture(scope="module")
def api() -> Iterator[Any]:
    with tiny_repo.engine_api(PREFIX) as client:
        yield client


def _states(run_cli: Any, repo: Path) -> dict[str, dict[str, Any]]:
    done = run_cli("status", "-r", str(repo), "--format", "json")
    assert done.returncode == 0, done.stderr
    return {row["image"]: row for row in json.loads(done.stdout)["images"]}


def test_status_says_what_a_build_would_do_and_why(
        api: Any, run_cli: Any, tmp_path: Path) -> None:
    busybox = tiny_repo.busybox_image(tmp_path, PREFIX)
    repo = tiny_repo.write(tmp_path / "repo", busybox, seconds=0, prefix=PREFIX)
    base, tool = f"{PREFIX}-slow-base", f"{PREFIX}-tool"
    assert {name: row["state"] for name, row in _states(run_cli, repo).items()} == {
        base: "missing", tool: "missing"}
    built = run_cli("build", "-r", str(repo))
    assert built.returncode == 0, built.stdout + built.stderr
    now = _states(run_cli, repo)
    assert [now[base]["state"], now[tool]["state"]] == ["current", "current"]
    assert now[tool]["tested"] == "not tested" and now[tool]["promoted"] is False

    with (repo / "docker/tool/Dockerfile").open("a") as out:
        out.write("LABEL changed=yes\n")
    now = _states(run_cli, repo)
    assert now[base]["state"] == "current"
    assert (now[tool]["state"], now[tool]["why"]) == ("stale", ["the Dockerfile changed"])

    (repo / "app/new.py").write_text("print(2)\n")
    now = _states(run_cli, repo)
    assert (now[base]["state"], now[base]["why"]) == ("stale", ["app/new.py is new to the build"])
    assert now[tool]["why"] == [f"its parent {base} is stale"]
    text = run_cli("status", "-r", str(repo)).stdout
    assert "0 current, 2 stale, 0 missing of 2 images" in text



def test_clean_removes_a_superseded_image_and_keeps_the_current_one(
        api: Any, run_cli: Any, tmp_path: Path) -> None:
    busybox = tiny_repo.busybox_image(tmp_path, PREFIX)
    repo = tiny_repo.write(tmp_path / "repo", busybox, seconds=0, prefix=PREFIX)
    assert run_cli("build", "-r", str(repo)).returncode == 0
    first = api.inspect_image(f"{PREFIX}-tool:py3.11-amd64")["Id"]
    with (repo / "docker/tool/Dockerfile").open("a") as out:
        out.write("LABEL again=yes\n")
    assert run_cli("build", "-r", str(repo)).returncode == 0
    current = api.inspect_image(f"{PREFIX}-tool:py3.11-amd64")["Id"]
    listed = run_cli("clean", "-r", str(repo)).stdout
    assert first[7:19] in listed and current[7:19] not in listed
    done = run_cli("clean", "-r", str(repo), "--what", "images")
    assert done.returncode == 0, done.stderr
    assert "removed images" in done.stdout and first[7:19] in done.stdout
    ids = {image["Id"] for image in api.images(all=True)}
    assert first not in ids and current in ids


def test_status_changed_since_shows_only_the_images_a_change_touched(
        api: Any, run_cli: Any, tmp_path: Path) -> None:
    import subprocess

    busybox = tiny_repo.busybox_image(tmp_path, PREFIX)
    repo = tiny_repo.write(tmp_path / "repo", busybox, seconds=0, prefix=PREFIX,
                           services=("one", "two"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=repo, check=True)
    dockerfile = repo / "docker/two/Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# changed\n")
    done = run_cli("status", "-r", str(repo), "--format", "json", "--changed-since", "HEAD")
    assert done.returncode == 0, done.stderr
    assert [row["image"] for row in json.loads(done.stdout)["images"]] == [f"{PREFIX}-two"]
    everything = _states(run_cli, repo)
    assert sorted(everything) == sorted(f"{PREFIX}-{n}" for n in ("slow-base", "one", "two"))
