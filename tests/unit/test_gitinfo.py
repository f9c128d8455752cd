"""What git says about a checkout, and what it says outside one: nothing, without failing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dockbuild import gitinfo

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A repository on main with one commit of notes.txt, and a branch side one commit ahead."""
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    (root / "notes.txt").write_text("one\n")
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "start"], cwd=root, check=True)
    subprocess.run([*GIT, "checkout", "-qb", "side"], cwd=root, check=True)
    (root / "notes.txt").write_text("two\n")
    subprocess.run([*GIT, "commit", "-qam", "second"], cwd=root, check=True)
    return root


def rev(root: Path, ref: str) -> str:
    return subprocess.run(["git", "rev-parse", ref], cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_revision_names_head_its_branch_and_a_dirty_tree(checkout: Path) -> None:
    clean = gitinfo.revision(checkout)
    assert clean == gitinfo.Revision(sha=rev(checkout, "HEAD"), branch="side", dirty=False)
    assert clean.short == clean.sha[:12]
    (checkout / "notes.txt").write_text("three\n")
    assert gitinfo.revision(checkout).dirty is True  # type: ignore[union-attr]


def test_refs_merge_base_and_files_at_a_ref(checkout: Path) -> None:
    assert gitinfo.head(checkout) == rev(checkout, "HEAD")
    assert gitinfo.merge_base(checkout, "main") == rev(checkout, "main")
    assert gitinfo.merge_base(checkout, "nope") is None
    assert gitinfo.is_commit(checkout, "main")
    assert not gitinfo.is_commit(checkout, "nope")
    assert gitinfo.show(checkout, "main", Path("notes.txt")) == "one\n"
    assert gitinfo.show(checkout, "main", Path("absent.txt")) is None


def test_oci_meta_describes_the_tree_and_falls_back_without_tags_or_remote(
        checkout: Path) -> None:
    sha = rev(checkout, "HEAD")
    assert gitinfo.oci_meta(checkout) == {"revision": sha, "version": sha[:7],
                                          "source": "unknown"}
    subprocess.run(["git", "remote", "add", "origin", "https://example.org/a.git"],
                   cwd=checkout, check=True)
    subprocess.run([*GIT, "tag", "v1"], cwd=checkout, check=True)
    assert gitinfo.oci_meta(checkout)["source"] == "https://example.org/a.git"
    assert gitinfo.oci_meta(checkout)["version"] == "v1"


def test_outside_git_every_answer_is_empty(tmp_path: Path) -> None:
    assert gitinfo.revision(tmp_path) is None
    assert gitinfo.head(tmp_path) is None
    assert gitinfo.merge_base(tmp_path, "main") is None
    assert not gitinfo.is_commit(tmp_path, "HEAD")
    assert gitinfo.show(tmp_path, "HEAD", Path("x")) is None
    assert gitinfo.oci_meta(tmp_path) == {"revision": "unknown", "version": "unknown",
                                          "source": "unknown"}


def test_without_git_installed_every_answer_is_empty(checkout: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(checkout))  # no git on it
    assert gitinfo.revision(checkout) is None
    assert not gitinfo.is_commit(checkout, "HEAD")
