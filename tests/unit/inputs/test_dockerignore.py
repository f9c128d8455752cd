""".dockerignore: the rules docker-py applies, its matcher, without importing the SDK's package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockbuild.inputs.dockerignore import DockerIgnore, sdk_build


def test_decide_agrees_with_the_sdk_on_every_path_of_the_repository(repo_root: Path) -> None:
    ignore = DockerIgnore.read(repo_root)
    paths = [p.relative_to(repo_root).as_posix() for p in repo_root.glob("*")]
    paths += [p.relative_to(repo_root).as_posix() for folder in ("apps", "scripts", "docker")
              for p in (repo_root / folder).rglob("*")]
    for path in paths:
        assert (ignore.decide(path) is not None) == ignore.excluded(path), path


def test_the_walk_is_the_sdks_exclude_paths(repo_root: Path) -> None:
    text = (repo_root / ".dockerignore").read_text()
    ignore = DockerIgnore(text)
    patterns = [line.strip() for line in text.splitlines()
                if line.strip() and not line.strip().startswith("#")]
    sdk = sdk_build().exclude_paths(str(repo_root / "scripts"), patterns, dockerfile="x")
    assert ignore.walk(repo_root / "scripts") == sdk - {"x"}


def test_the_deciding_line_is_reported_and_negations_reinclude() -> None:
    ignore = DockerIgnore(".git\n# docs\n*.md\n!scripts/README.md\nscripts/tmp\n")
    rule = ignore.decide("README.md")
    assert rule is not None and (rule.line, rule.pattern) == (3, "*.md")
    assert ignore.decide("scripts/README.md") is None
    assert ignore.decide("scripts/tmp/a.py") is not None
    assert ignore.decide("scripts/run.py") is None


def test_a_missing_file_excludes_nothing(tmp_path: Path) -> None:
    ignore = DockerIgnore.read(tmp_path)
    assert not ignore.exists
    assert ignore.decide(".git") is None


def test_the_sdk_package_itself_is_never_imported(repo_root: Path) -> None:
    code = ("import sys; from pathlib import Path;"
            "from dockbuild.inputs.dockerignore import DockerIgnore;"
            "DockerIgnore.read(Path('.')).walk(Path('scripts'));"
            "print('docker' in sys.modules, 'requests' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def ignored(path: str, *lines: str) -> bool:
    return DockerIgnore("\n".join(lines)).excluded(path)


@pytest.mark.parametrize(("path", "lines", "expected"), [
    (".git/config", [".git"], True),
    ("src/app.py", ["*.py"], False),             # * stays in one folder
    ("app.py", ["*.py"], True),
    ("a/b/__pycache__", ["**/__pycache__"], True),  # the walk then prunes the folder
    ("x.pyc", ["**/*.py[cod]"], True),           # **/ also matches no folder at all
    ("scripts/README.md", ["*.md", "!scripts/README.md"], False),
    ("README.md", ["*.md", "!scripts/README.md"], True),
    ("docs/a.md", ["docs", "!docs/a.md", "docs/a.md"], True),  # the last match wins
    ("id_rsa.pub", ["**/id_*"], True),
    ("dir/file", ["/dir/"], True),               # leading and trailing slashes are cleaned
])
def test_dockerignore_rules(path: str, lines: list[str], expected: bool) -> None:
    assert ignored(path, *lines) is expected


def _tree(root: Path) -> None:
    files = ["a/x.py", "a/b/y.py", "a/b/NOTES.md", "docs/keep.md", "docs/other.md",
             "skipped/z.py", "c-d/e.py", "c.d/f.py", "README.md", ".git/HEAD"]
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "link").symlink_to("a")  # a link to a folder is sent, never entered


IGNORE = ".git\n*.md\n**/*.md\n!docs/keep.md\nskipped\n"


def test_the_listed_walk_sends_what_the_sdks_walk_sends(tmp_path: Path) -> None:
    _tree(tmp_path)
    ignore = DockerIgnore(IGNORE)
    sent, listed = ignore.walk_listed(tmp_path)
    assert sent == ignore.walk(tmp_path)
    assert "docs/keep.md" in sent and "skipped" not in sent and "link" in sent
    # excluded folders are entered only when a negation may bring something back
    assert set(listed) == {".", "a", "a/b", "docs", "c-d", "c.d"}
    assert listed["."] == sorted([".git/", "README.md", "a/", "c-d/", "c.d/", "docs/", "link",
                                  "skipped/"])


def test_skipped_says_which_new_entries_cannot_change_the_walk(tmp_path: Path) -> None:
    ignore = DockerIgnore(IGNORE)
    assert ignore.skipped("notes.md", is_dir=False)
    assert ignore.skipped("skipped", is_dir=True)
    assert not ignore.skipped("docs", is_dir=True)  # not excluded at all
    assert not ignore.skipped("new.py", is_dir=False)
    negated = DockerIgnore("docs\n!docs/keep.md\n")
    assert not negated.skipped("docs", is_dir=True)  # excluded, but entered for the negation
    assert negated.skipped("docs", is_dir=False)


PATTERNS = [".git\n*.md\n!scripts/README.md\n**/__pycache__\n**/*.py[cod]\n",
            "Docs/**\n!docs/keep/**\nbuild?\n[ab]*/x\n*/tmp\n**\n!src\n",
            "  spaced  \n/abs/path\n./rel\n../up\nfoo/\n!foo/bar\n[!c]d\n[\n"]
PATHS = ["README.md", "readme.MD", "scripts/README.md", "scripts/x.md", "a/__pycache__/m.pyc",
         "a/b.pyc", "a/b.py", "docs/x", "docs/keep/y", "DOCS/z", "build1", "build12", "a1/x",
         "c/tmp", "c/tmp/deep/er", "src", "src/a", "spaced", "abs/path", "rel", "up", "foo",
         "foo/bar", "foo/baz", "cd", "dd", "[", ".git", ".git/HEAD", "x/.dockerignore",
         ".dockerignore"]


@pytest.mark.parametrize("text", PATTERNS)
def test_the_compiled_matcher_answers_as_the_sdks(text: str) -> None:
    ignore = DockerIgnore(text)
    sdk = sdk_build().PatternMatcher([rule.pattern for rule in ignore.rules])
    for path in PATHS:
        assert ignore.matches(path) == bool(sdk.matches(path)), path


def test_the_compiled_matcher_agrees_on_the_whole_repository(repo_root: Path) -> None:
    ignore = DockerIgnore.read(repo_root)
    sdk = sdk_build().PatternMatcher([rule.pattern for rule in ignore.rules])
    for path in repo_root.rglob("*"):
        rel = path.relative_to(repo_root).as_posix()
        if not rel.startswith((".venv/", ".nox/", ".git/")):
            assert ignore.matches(rel) == bool(sdk.matches(rel)), rel
