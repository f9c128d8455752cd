"""--changed-since and --shard: what a change touches (from git alone), N runners' shares."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dockbuild.build import changes
from dockbuild.errors import InputError
from dockbuild.inputs import manifest

ALL = ["academy-base", "api", "video-worker", "messaging-worker", "ai-worker-cpu"]


@pytest.fixture
def committed(repo: Path) -> Path:
    """The repository copy as one git commit, so a test can change it after."""
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base"]):
        subprocess.run(["git", *argv], cwd=repo, check=True, capture_output=True)
    return repo


@pytest.mark.parametrize(("edit", "expected"), [
    ("docker/api/Dockerfile", ["api"]),
    ("requirements/messaging-worker.txt", ["messaging-worker"]),
    ("scripts/new_helper.sh", ["ai-worker-cpu"]),  # untracked, under a path ai-worker COPYs
    ("apps/api/views.py", ALL),  # the base copies apps/: every child inherits it
    ("docker/services.yaml", ALL),
    ("README.md", []),  # read by no build (and left out by .dockerignore)
])
def test_the_images_a_change_touches(committed: Path, edit: str, expected: list[str]) -> None:
    path = committed / edit
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write("\n# changed\n")
    assert changes.affected(committed, manifest.load(committed), "HEAD") == expected


def test_an_unknown_ref_is_one_line(committed: Path) -> None:
    with pytest.raises(InputError, match="--changed-since nope: not a commit git knows"):
        changes.affected(committed, manifest.load(committed), "nope")


def test_shards_deal_the_services_and_each_keeps_the_base(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    shares = [changes.shard(loaded, ALL, f"{k}/2") for k in (1, 2)]
    assert shares == [["academy-base", "api", "messaging-worker"],
                      ["academy-base", "video-worker", "ai-worker-cpu"]]
    assert changes.shard(loaded, ALL, "5/5") == ["academy-base"]  # more shards than services
    for wrong in ("0/2", "3/2", "2", "a/b"):
        with pytest.raises(InputError, match="is not K/N"):
            changes.shard(loaded, ALL, wrong)


def test_the_matrix_has_a_cell_per_variant_and_shard_with_work(committed: Path) -> None:
    loaded = manifest.load(committed)
    (committed / "docker/api/Dockerfile").write_text(
        (committed / "docker/api/Dockerfile").read_text() + "# changed\n")
    cells = changes.matrix(committed, loaded, changed_since="HEAD", shards=2)["include"]
    assert [(c["python"], c["platform"], c["shard"], c["services"]) for c in cells] == [
        ("3.11", "linux/amd64", "1/2", ["api"]), ("3.11", "linux/arm64", "1/2", ["api"]),
        ("3.13", "linux/amd64", "1/2", ["api"]), ("3.13", "linux/arm64", "1/2", ["api"])]
    everything = changes.matrix(committed, loaded, changed_since=None, shards=1)["include"]
    assert len(everything) == 4 and everything[0]["services"] == ALL[1:]
    assert [c["arch"] for c in everything] == ["amd64", "arm64", "amd64", "arm64"]
    for wrong in ("0", "two", "-1"):
        with pytest.raises(InputError, match=f"--shards '{wrong}' is not a number of 1 or more"):
            changes.matrix(committed, loaded, changed_since=None, shards=wrong)


def test_nothing_changed_builds_and_tests_nothing_without_an_engine(
        committed: Path, run_cli: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")  # it must not even ask
    built = run_cli("build", "-r", str(committed), "--changed-since", "HEAD")  # type: ignore[operator]
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == "nothing to build: no service changed since HEAD"
    tested = run_cli("image-test", "-r", str(committed), "--changed-since", "HEAD")  # type: ignore[operator]
    assert tested.returncode == 0, tested.stderr
    assert "nothing to test: no image changed, or none in this shard" in tested.stdout
