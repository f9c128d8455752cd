"""Build contexts: the walk docker-py does, COPY sources, the input digest, the tar."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from dockbuild.build import context


def test_walk_of_the_real_repository_matches_docker_py(repo_root: Path) -> None:
    """The same file list as the SDK's own exclude_paths, so the hash covers what is sent."""
    from docker.utils import build as sdk

    lines = (repo_root / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    theirs = set(sdk.exclude_paths(str(repo_root), patterns, "docker/Dockerfile.base"))
    ours = set(context._walk(repo_root, ".", context.read_dockerignore(repo_root)))
    ours.add("docker/Dockerfile.base")
    assert ours == theirs


def make_repo(tmp_path: Path) -> Path:
    files = {
        ".dockerignore": "**/__pycache__\n**/*.md\n",
        "docker/a/Dockerfile": "FROM x\nCOPY --chown=1:1 req/a.txt req/a.txt\n"
                               "COPY --from=builder /x /y\nCOPY app ./app\n",
        "docker/b/Dockerfile": "FROM x\nCOPY req/b.txt ./\nCOPY req/*.cfg ./\n",
        "req/a.txt": "a==1\n", "req/b.txt": "b==1\n", "req/x.cfg": "", "req/y.txt": "",
        "app/main.py": "print(1)\n", "app/__pycache__/main.pyc": "junk", "app/NOTES.md": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_an_image_reads_only_what_its_dockerfile_copies(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    assert context.files_for(root, Path("docker/a/Dockerfile")) == [
        "app", "app/main.py", "docker/a/Dockerfile", "req/a.txt"]
    assert context.files_for(root, Path("docker/b/Dockerfile")) == [
        "docker/b/Dockerfile", "req/b.txt", "req/x.cfg"]


def test_a_variable_in_a_copy_source_sends_the_whole_context(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "docker/c").mkdir()
    (root / "docker/c/Dockerfile").write_text("FROM x\nARG D=app\nCOPY ${D} ./\n")
    files = context.files_for(root, Path("docker/c/Dockerfile"))
    assert "req/y.txt" in files and "app/main.py" in files
    assert "app/NOTES.md" not in files and "app/__pycache__/main.pyc" not in files


def test_digest_follows_content_and_mode_not_mtime(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    files = context.files_for(root, Path("docker/a/Dockerfile"))
    first = context.digest(root, files)
    (root / "app/main.py").touch()
    assert context.digest(root, files) == first
    (root / "app/main.py").chmod(0o755)
    second = context.digest(root, files)
    assert second != first
    (root / "app/main.py").write_text("print(2)\n")
    assert context.digest(root, files) != second


def test_a_change_in_another_images_files_leaves_the_digest_alone(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    files = context.files_for(root, Path("docker/a/Dockerfile"))
    first = context.digest(root, files)
    (root / "req/b.txt").write_text("b==2\n")
    assert context.files_for(root, Path("docker/a/Dockerfile")) == files
    assert context.digest(root, files) == first


def test_tar_holds_the_files_owned_by_root(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    files = context.files_for(root, Path("docker/a/Dockerfile"))
    out = io.BytesIO()
    context.write_tar(root, files, out)
    out.seek(0)
    with tarfile.open(fileobj=out) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == files
        assert {(m.uid, m.gid) for m in members} == {(0, 0)}
        assert tar.extractfile("req/a.txt").read() == b"a==1\n"  # type: ignore[union-attr]
