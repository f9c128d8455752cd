"""Each requirement of the report, broken in a copy of the repository, fails lint at its line.

The copy holds what the images are built from (docker/, .dockerignore,
.hadolint.yaml, the application folders, requirements/). Each case edits one
file the way a careless change would, and names the rule, file and the line
(found by its text after the edit) that lint must report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockbuild.lint import run as lint

BASE = "docker/Dockerfile.base"
AI = "docker/ai-worker-cpu/Dockerfile"
VIDEO = "docker/video-worker/Dockerfile"
MESSAGING = "docker/messaging-worker/Dockerfile"
API = "docker/api/Dockerfile"


def edit(root: Path, path: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) with ``new`` in one file."""
    file = root / path
    text = file.read_text()
    assert old in text, f"{path} no longer holds {old!r}: update this test"
    file.write_text(text.replace(old, new, 1))


def line_of(root: Path, path: str, text: str) -> int:
    """Return the first line of ``path`` that contains ``text``."""
    for number, line in enumerate((root / path).read_text().splitlines(), start=1):
        if text in line:
            return number
    msg = f"{text!r} not in {path}"
    raise AssertionError(msg)


# (id, file to edit, old, new, rule, file of the finding, text of the finding's line)
CASES = [
    ("1-builder-pip-one-run", BASE, "    pip install --upgrade pip \\\n    && pip install",
     "    pip install --upgrade pip\nRUN pip install", "DF307", BASE, "RUN pip install --user"),
    ("1-appuser-uid-1000", BASE, "useradd --uid 1000", "useradd --uid 1001",
     "DF301", BASE, "RUN groupadd"),
    ("1-user-appuser", BASE, "USER appuser\nCMD", "USER root\nCMD", "DF302", BASE, "USER root"),
    ("1-workdir-app", BASE, "WORKDIR /app", "WORKDIR /srv", "DF303", BASE, "WORKDIR /srv"),
    ("1-copy-under-app", BASE, "COPY libs ./libs", "COPY libs /opt/libs",
     "DF304", BASE, "COPY libs /opt/libs"),
    ("1-chown", BASE, "RUN chown -R appuser:appuser /app /home/appuser",
     "RUN chown -R appuser:appuser /app", "DF305", BASE, "COPY --from=builder"),
    ("1-path-local-bin", BASE, "ENV PATH=/home/appuser/.local/bin:$PATH",
     "ENV PATH=/usr/local/bin:$PATH", "DF306", BASE, "ENV PATH="),
    ("2-from-academy-base", AI, "ARG BASE_IMAGE=academy-base:latest",
     "ARG BASE_IMAGE=academy-base:edge", "DF201", AI, "ARG BASE_IMAGE"),
    ("2-no-python-slim", AI, "FROM ${BASE_IMAGE}", "FROM python:3.11-slim",
     "DF202", AI, "FROM python:3.11-slim"),
    ("2-no-copy-of-base-code", AI, "\nCMD", "\nCOPY --chown=appuser:appuser libs ./libs\nCMD",
     "DF308", AI, "COPY --chown=appuser:appuser libs"),
    ("2-ai-apt-packages", AI, "        tesseract-ocr-kor \\\n", "",
     "DF207", AI, "FROM ${BASE_IMAGE}"),
    ("2-scripts-copied", AI, "COPY --chown=appuser:appuser scripts ./scripts\n", "",
     "DF208", AI, "FROM ${BASE_IMAGE}"),
    ("2-scripts-chown", AI, "COPY --chown=appuser:appuser scripts", "COPY scripts",
     "DF305", AI, "COPY scripts"),
    ("3-apt-one-run", VIDEO, "    && apt-get update \\\n    && apt-get install",
     "    && apt-get update\nRUN apt-get install", "DF101", VIDEO,
     "RUN --mount=type=cache,id=video-worker-apt-archives"),
    ("3-apt-as-root", VIDEO, "USER root\n", "", "DF103", VIDEO,
     "RUN --mount=type=cache,id=video-worker-apt-archives"),
    ("3-pip-one-run", MESSAGING, "\nCMD",
     "\nRUN pip install --user --no-cache-dir rich==13.9.4\nCMD",
     "DF104", MESSAGING, "rich==13.9.4"),
    ("3-copy-then-pip", MESSAGING,
     "requirements/messaging-worker.txt requirements/messaging-worker.txt", ". .",
     "DF105", MESSAGING, "COPY --chown=appuser:appuser . ."),
    ("3-api-cmd", API, '"--workers", "2"', '"--workers", "4"', "DF203", API, "CMD ["),
    ("3-api-expose-8000", API, "EXPOSE 8000", "EXPOSE 8080", "DF204", API, "EXPOSE 8080"),
    ("3-api-bind", API, '"0.0.0.0:8000"', '"127.0.0.1:8000"', "DF205", API, "CMD ["),
    ("4-scripts-not-excluded", ".dockerignore", "\n# scripts/ is NOT",
     "\nscripts/\n# scripts/ is NOT",
     "DF401", AI, "COPY --chown=appuser:appuser scripts"),
    ("4-context-has-scripts", AI, "appuser:appuser scripts ./scripts",
     "appuser:appuser script ./scripts",
     "DF402", AI, "script ./scripts"),
    ("5-video-cmd", VIDEO, "video_worker.sqs_main", "video_worker.main", "DF203", VIDEO, "CMD ["),
    ("5-messaging-cmd", MESSAGING, '"-m", ', "", "DF203", MESSAGING, "CMD ["),
    ("5-base-cmd", BASE, '["python", "--version"]', '["python", "-V"]', "DF203", BASE, "CMD ["),
    ("x-secret-env", API, "ENV DJANGO_SETTINGS_MODULE", "ENV AWS_SECRET_ACCESS_KEY=abc123 \\\n"
     "    DJANGO_SETTINGS_MODULE", "DF403", API, "ENV AWS_SECRET_ACCESS_KEY"),
]


def findings(root: Path) -> set[tuple[str, str, int]]:
    """Return (rule, file, line) of every failing record."""
    result = lint.run(root, use_cache=False)
    return {(r.check, r.location.file, r.location.line) for r in result.findings if r.location}


def test_the_copy_lints_clean(repo: Path) -> None:
    result = lint.run(repo, use_cache=False)
    assert [r for r in result.findings if r.severity.value == "error"] == []


@pytest.mark.parametrize(("path", "old", "new", "rule", "file", "text"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_breaking_a_requirement_fails_at_its_line(
    repo: Path, path: str, old: str, new: str, rule: str, file: str, text: str
) -> None:
    edit(repo, path, old, new)
    assert (rule, file, line_of(repo, file, text)) in findings(repo)


def test_a_missing_entry_module_fails_at_the_cmd(repo: Path) -> None:
    (repo / "apps/worker/video_worker/sqs_main.py").unlink()
    assert ("DF206", VIDEO, line_of(repo, VIDEO, "CMD [")) in findings(repo)


def test_a_secret_file_in_the_context_fails(repo: Path) -> None:
    (repo / "apps/secrets.yaml").write_text("django_secret_key: x\n")
    assert ("DF404", "apps/secrets.yaml", 1) in findings(repo)


def test_a_missing_dockerignore_is_reported(repo: Path) -> None:
    (repo / ".dockerignore").unlink()
    assert ("DF407", ".dockerignore", 1) in findings(repo)


def test_every_report_section_is_covered() -> None:
    sections = {case[0].split("-", 1)[0] for case in CASES}
    assert {"1", "2", "3", "4", "5"} <= sections


def test_the_cli_exits_1_and_prints_only_json_on_stdout(repo: Path) -> None:
    edit(repo, API, "EXPOSE 8000", "EXPOSE 8080")
    done = subprocess.run([sys.executable, "-m", "dockbuild", "--root", str(repo), "lint",
                           "--format", "json", "--no-cache"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert {"file": API, "line": line_of(repo, API, "EXPOSE"), "rule": "DF204"}.items() <= {
        k: v for f in document["findings"] if f["rule"] == "DF204" for k, v in f.items()}.items()
    assert done.stderr.strip().startswith("error: lint found")
