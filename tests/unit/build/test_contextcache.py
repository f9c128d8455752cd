"""The kept walk and COPY sources: reused while nothing the walk saw changed, and only then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockbuild.build import context, contextcache
from dockbuild.errors import DockbuildError
from dockbuild.inputs.buildcontext import ContextIndex

FILES = {
    ".dockerignore": "**/__pycache__\n**/*.md\n.cache\n",
    "docker/a/Dockerfile": "FROM x\nCOPY req/a.txt req/a.txt\nCOPY app ./app\n",
    "docker/b/Dockerfile": "FROM x\nCOPY req/b.txt ./\nCOPY req/*.cfg ./\n",
    "docker/c/Dockerfile": "FROM x\nARG WHAT\nCOPY ${WHAT} ./\n",
    "req/a.txt": "a==1\n", "req/b.txt": "b==1\n", "req/x.cfg": "",
    "app/main.py": "print(1)\n", "app/NOTES.md": "",
}
DOCKERFILES = [Path(f"docker/{name}/Dockerfile") for name in "abc"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def fresh(root: Path) -> list[tuple[list[str], dict[str, str]]]:
    """What the inputs are without any cache: a new walk, every Dockerfile parsed."""
    index = ContextIndex(root, ".")
    found = []
    for dockerfile in DOCKERFILES:
        files = context.files_for(index, dockerfile)
        found.append((files, context.entries(root, files)))
    return found


def reused(root: Path) -> bool:
    return not contextcache.ContextCache(root).changed


def test_the_inputs_are_those_of_a_fresh_walk_and_parse(repo: Path) -> None:
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)
    assert reused(repo)
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)  # from the kept file


def test_an_edited_file_is_hashed_anew_without_walking_again(repo: Path) -> None:
    contextcache.inputs(repo, DOCKERFILES)
    (repo / "app/main.py").write_text("print(2)\n")
    assert reused(repo)
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)


@pytest.mark.parametrize("change", ["new file", "removed file", "file became folder",
                                    "dockerignore", "new folder"])
def test_a_change_the_walk_would_see_walks_again(repo: Path, change: str) -> None:
    contextcache.inputs(repo, DOCKERFILES)
    if change == "new file":
        (repo / "app/extra.py").write_text("")
    elif change == "removed file":
        (repo / "req/x.cfg").unlink()
    elif change == "file became folder":
        (repo / "app/main.py").unlink()
        (repo / "app/main.py").mkdir()
        (repo / "app/main.py/inner.py").write_text("")
    elif change == "dockerignore":
        (repo / ".dockerignore").write_text("**/__pycache__\n.cache\n")
    else:
        (repo / "app/sub").mkdir()
    assert not reused(repo)
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)


def test_entries_the_walk_skips_change_nothing(repo: Path) -> None:
    contextcache.inputs(repo, DOCKERFILES)
    (repo / "reports.md").write_text("")
    (repo / "app/__pycache__").mkdir()
    assert reused(repo)
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)


def test_copy_sources_are_kept_by_content_and_a_damaged_file_is_ignored(repo: Path) -> None:
    contextcache.inputs(repo, DOCKERFILES)
    kept = json.loads(contextcache.path(repo).read_text())
    assert len(kept["copies"]) == 3 and [None] in kept["copies"].values()  # ${WHAT}: everything
    (repo / "docker/b/Dockerfile").write_text("FROM x\nCOPY req/a.txt ./\n")
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)
    contextcache.path(repo).write_text('{"format": 1, "sent": 5}')
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)
    entry = json.loads(contextcache.path(repo).read_text())
    entry["copies"] = {key: [[1, 2]] for key in entry["copies"]}
    contextcache.path(repo).write_text(json.dumps(entry))
    assert contextcache.inputs(repo, DOCKERFILES) == fresh(repo)


def test_a_dockerfile_that_does_not_parse_still_fails_every_time(repo: Path) -> None:
    contextcache.inputs(repo, DOCKERFILES)
    (repo / "docker/a/Dockerfile").write_text("FROM x\nNOSUCH a b\n")
    for _ in range(2):
        with pytest.raises(DockbuildError):
            contextcache.inputs(repo, DOCKERFILES)


def test_a_no_op_run_writes_nothing(repo: Path) -> None:
    contextcache.inputs(repo, DOCKERFILES)
    before = contextcache.path(repo).stat().st_mtime_ns
    contextcache.inputs(repo, DOCKERFILES)
    assert contextcache.path(repo).stat().st_mtime_ns == before
