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
