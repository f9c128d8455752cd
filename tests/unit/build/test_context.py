"""Build contexts: the files a build reads after .dockerignore, their digest and tar."""

from __future__ import annotations

from pathlib import Path

from dockbuild.build import context
from dockbuild.inputs import buildcontext
from dockbuild.inputs.buildcontext import ContextIndex
from dockbuild.inputs.dockerfile import parse


def test_walk_of_the_real_repository_matches_docker_py(repo_root: Path) -> None:
    """The same file list as the SDK's own exclude_paths, so the hash covers what is sent."""
    from docker.utils import build as sdk

    lines = (repo_root / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    theirs = set(sdk.exclude_paths(str(repo_root), patterns, "docker/Dockerfile.base"))
    ours = {*ContextIndex(repo_root, ".").sent, "docker/Dockerfile.base"}
    assert ours == theirs


def files_for(root: Path, dockerfile: str) -> list[str]:
    return context.files_for(ContextIndex(root, "."), Path(dockerfile))


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
    assert files_for(root, "docker/a/Dockerfile") == [
        "app", "app/main.py", "docker/a/Dockerfile", "req/a.txt"]
    assert files_for(root, "docker/b/Dockerfile") == [
        "docker/b/Dockerfile", "req/b.txt", "req/x.cfg"]


def test_a_variable_in_a_copy_source_sends_the_whole_context(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "docker/c").mkdir()
    (root / "docker/c/Dockerfile").write_text("FROM x\nARG D=app\nCOPY ${D} ./\n")
    files = files_for(root, "docker/c/Dockerfile")
    assert "req/y.txt" in files and "app/main.py" in files
    assert "app/NOTES.md" not in files and "app/__pycache__/main.pyc" not in files


def test_digest_follows_content_and_mode_not_mtime(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    files = files_for(root, "docker/a/Dockerfile")
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
    files = files_for(root, "docker/a/Dockerfile")
    first = context.digest(root, files)
    (root / "req/b.txt").write_text("b==2\n")
    assert files_for(root, "docker/a/Dockerfile") == files
    assert context.digest(root, files) == first


# Pinned before build and lint shared one context model: the files an image's
# `dockbuild.inputs` label hashes must not move when the code that picks them does.
AI_WORKER_FILES = [
    "docker/ai-worker-cpu/Dockerfile",
    "requirements/ai-worker-cpu.txt",
    "scripts",
    "scripts/README.md",  # re-included by `!scripts/README.md` after `*.md`
    "scripts/check_tesseract_langs.py",
]


def test_the_real_ai_worker_hashes_its_requirements_and_scripts_only(repo_root: Path) -> None:
    assert files_for(repo_root, "docker/ai-worker-cpu/Dockerfile") == AI_WORKER_FILES


def test_the_real_base_hashes_what_the_sdk_sends_under_its_copy_sources(repo_root: Path) -> None:
    from docker.utils import build as sdk

    lines = (repo_root / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    sent = sdk.exclude_paths(str(repo_root), patterns, "docker/Dockerfile.base")
    tops = ("requirements/common.txt", "src", "apps", "libs", "manage.py")
    wanted = {p for p in sent if any(p == t or p.startswith(t + "/") for t in tops)}
    files = files_for(repo_root, "docker/Dockerfile.base")
    assert files == sorted({*wanted, "docker/Dockerfile.base"})
    assert "apps" in files and not any("__pycache__" in p for p in files)


def test_a_copys_sources_leave_out_other_stages_urls_and_heredocs() -> None:
    text = ("FROM x AS builder\nFROM x\nCOPY --from=builder /a /b\n"
            "ADD https://example.com/t.tgz req/a.txt /app/\n"
            "COPY <<EOF app/ /app/\nhi\nEOF\n"
            'COPY ["<<odd", "/app/"]\n')
    found = [(c.sources, c.dest, c.from_stage)
             for c in buildcontext.copies(parse(text, "Dockerfile").instructions)]
    assert found == [
        (("/a",), "/b", "builder"),
        (("req/a.txt",), "/app/", None),
        (("app/",), "/app/", None),
        (("<<odd",), "/app/", None),  # JSON form has no heredocs: a file of that name
    ]
    context = buildcontext.context_copies(parse(text, "Dockerfile").instructions)
    assert [c.instruction.line for c in context] == [4, 5, 8]


def test_an_add_from_a_url_reads_only_its_context_sources(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "docker/u").mkdir()
    (root / "docker/u/Dockerfile").write_text(
        "FROM x\nADD https://example.com/t.tgz req/a.txt /app/\nCOPY <<EOF /app/x\nhi\nEOF\n")
    assert files_for(root, "docker/u/Dockerfile") == ["docker/u/Dockerfile", "req/a.txt"]


def test_a_wildcard_matches_with_case_as_copy_does(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "docker/w").mkdir()
    (root / "docker/w/Dockerfile").write_text("FROM x\nCOPY req/*.TXT ./\nCOPY ap? ./\n")
    assert files_for(root, "docker/w/Dockerfile") == ["app", "app/main.py", "docker/w/Dockerfile"]
    assert ContextIndex(root, ".").matching("req/*.TXT") == []


def test_a_wildcard_reaches_a_file_reincluded_in_an_excluded_folder(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / ".dockerignore").write_text("req\n!req/a.txt\n")
    (root / "docker/g").mkdir()
    (root / "docker/g/Dockerfile").write_text("FROM x\nCOPY re* ./\n")
    index = ContextIndex(root, ".")
    assert "req" not in index.sent
    assert index.matching("re*") == ["req"]  # lint's DF402 and the build see the same match
    assert files_for(root, "docker/g/Dockerfile") == ["docker/g/Dockerfile", "req/a.txt"]


def test_nothing_outside_the_context_is_read(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "root")
    (tmp_path / "secret.txt").write_text("x")
    (root / "docker/o").mkdir()
    (root / "docker/o/Dockerfile").write_text("FROM x\nCOPY ../secret.txt ./\n")
    assert files_for(root, "docker/o/Dockerfile") == ["docker/o/Dockerfile"]


def test_under_finds_a_folders_paths_and_nothing_that_only_starts_like_it() -> None:
    sent = frozenset({"a", "a/b", "a/b/c.py", "a-b", "a-b/x", "a.b", "a0", "ab", "a/z",
                      "b", "b/a"})
    index = ContextIndex(Path("/nonexistent"), ".", sent)
    for path in [".", "a", "a/b", "a-b", "b", "a/b/c.py", "missing", "a/"]:
        norm = buildcontext.normal(path)
        expected = sorted(sent) if norm == "." else \
            sorted(p for p in sent if p == norm or p.startswith(norm + "/"))
        assert index.under(path) == expected, path
