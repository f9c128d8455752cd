"""Sections 1-5 hold the team's rows, in its words, each citing the lines that prove it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from dockbuild.report import rows

from .conftest import check_report

#: The team's hand-written report: each section's rows, in its words (section 5 by service).
SEED = {
    1: ["builder: `pip install --upgrade pip`와 `common.txt` 설치 단일 RUN",
        "runtime: appuser UID 1000 생성", "runtime: USER appuser", "/app 경로 유지",
        "chown 처리", "PATH에 .local/bin 포함"],
    2: ["FROM academy-base:latest 상속", "FROM python:3.11-slim 폐기",
        "src, apps, libs, manage.py 복사 제거", "AI 전용 시스템 패키지(OCR 등)",
        "scripts 복사만 추가"],
    3: ["video-worker", "messaging-worker", "api"],
    4: ["scripts/ 제외 여부", "ai-worker-cpu 빌드 시 컨텍스트"],
    5: ["base", "api", "video-worker", "messaging-worker", "ai-worker-cpu"],
}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def section_of(markdown: str, number: int) -> str:
    return markdown.split(f"\n## {number}. ")[1].split("\n## ")[0]


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith('| <a id="')]


def test_the_korean_report_holds_every_seed_row_and_at_most_twice_as_many(report) -> None:
    markdown, _ = report("ko")
    for number, wordings in SEED.items():
        found = table_rows(section_of(markdown, number))
        for wording in wordings:
            assert any(re.search(rf"</a>(?:[✅❌⚠️] )?{re.escape(wording)} \|", line)
                       for line in found), f"section {number} lacks {wording!r}"
        assert len(found) <= 2 * len(wordings), f"section {number} has {len(found)} rows"


def test_every_citation_quotes_its_lines_and_the_code_its_row_names(repo: Path, report) -> None:
    for lang in ("ko", "en"):
        markdown, sections = report(lang)
        assert check_report(repo, markdown, sections) >= 20
    markdown, _ = report("ko")
    lines = (repo / "docker/Dockerfile.base").read_text().splitlines()
    user = lines.index("USER appuser") + 1
    chown = lines.index("RUN chown -R appuser:appuser /app /home/appuser") + 1
    assert f"runtime: USER appuser | ✅ | L{user} `USER appuser` |" in markdown
    assert f"L{chown} `RUN chown -R appuser:appuser /app /home/appuser`" in markdown
    assert f"docker/Dockerfile.base L{user} (상속) `USER appuser`" in markdown
    apt = next(line for line in table_rows(markdown) if "AI 전용 시스템 패키지" in line)
    for package in ("tesseract-ocr-kor", "ffmpeg", "libgl1", "libglib2.0-0",
                    "--no-install-recommends"):
        assert package in apt
    assert "FROM python:3.11-slim 폐기 | ✅ | 미사용 |" in markdown


def test_a_citation_of_the_wrong_line_fails_the_check(
        repo: Path, report, monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = tuple(dataclasses.replace(s, cite=(r"^FROM\b",)) if s.key == "final-user" else s
                  for s in rows.BASE)
    monkeypatch.setattr(rows, "BASE", wrong)
    markdown, sections = report("ko")
    with pytest.raises(AssertionError, match="final-user"):
        check_report(repo, markdown, sections)


def test_one_language_per_report(report) -> None:
    english, _ = report("en")
    assert not HANGUL.findall(english), HANGUL.findall(english)[:5]
    korean, _ = report("ko")
    # outside code spans, links, anchors, file names and ids, no English words
    prose = re.sub(r"``.+?``|`[^`]*`|<[^>]+>|\(#[\w-]+\)|\([^()]*\.(?:yaml|md)\)", " ", korean)
    prose = re.sub(r"[\w.-]*/[\w./${}-]*|\b(?:DF|DL|L)\d+(?:-\d+)?\b|\bimage\.[\w-]+", " ", prose)
    allowed = {"Docker", "Dockerfile", "SSOT", "CMD", "RUN", "COPY", "USER", "FROM", "WORKDIR",
               "PATH", "EXPOSE", "UID", "apt", "apt-get", "pip", "chown", "builder", "runtime",
               "appuser", "root", "update", "install", "rm", "hadolint", "git", "BuildKit",
               "ENV", "ARG", "LABEL", "LF", "UTC", "i3", "main", "AI", "OCR", "scripts", "src",
               "apps", "libs", "manage.py", "base", "api", "video-worker", "messaging-worker",
               "ai-worker-cpu", "academy-base", "latest", "python", "non-root", "appendix",
               "details", "summary", "import", "setuid", "setgid", "Env", "sha256",
               "dockerignore", "requirements", "results.json", "python:3.11-slim", "ffmpeg",
               "libgl1", "libglib2.0-0", "tesseract-ocr", "tesseract-ocr-kor"}
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_.:-]*[A-Za-z0-9]", prose))
    unknown = {w for w in words if w not in allowed and not re.fullmatch(r"[0-9a-f]{7,40}", w)
               and not w.startswith(("academy-", "py3"))
               and not re.fullmatch(r"[A-Z_]{3,}|\S+\.txt", w)}
    assert not unknown, " ".join(sorted(unknown))


def test_a_broken_requirement_turns_its_row_section_and_bullet_to_failure(
        repo: Path, report) -> None:
    file = repo / "docker/ai-worker-cpu/Dockerfile"
    file.write_text(file.read_text().replace(" --no-install-recommends", "", 1))
    markdown, sections = report("ko")
    row = next(line for line in table_rows(markdown) if "AI 전용 시스템 패키지" in line)
    assert "| ❌ |" in row
    assert "apt-get install에 `--no-install-recommends` 없음" in row  # the rule's Korean message
    assert "## 2. docker/ai-worker-cpu/Dockerfile (통합) — ❌ 미반영 1건" in markdown
    conclusion = markdown.split("## 결론")[1]
    assert markdown.startswith("# Docker 구조 정렬 보고 — 미완료")
    bullet = next(line for line in conclusion.splitlines()
                  if line.startswith("- docker/ai-worker-cpu/Dockerfile"))
    anchor = re.search(r'<a id="(s2-\d+)"></a>AI', row)[1]
    assert bullet.startswith("- docker/ai-worker-cpu/Dockerfile ❌") and f"(#{anchor})" in bullet
    check_report(repo, markdown, sections)


def test_a_waived_finding_shows_its_mark_and_reason(repo: Path, report) -> None:
    file = repo / "docker/video-worker/Dockerfile"
    text = file.read_text().replace("install -y --no-install-recommends ffmpeg",
                                    "install -y ffmpeg", 1)
    file.write_text(text.replace("USER root\nRUN ", "USER root\n# lint: ignore=DF102 ffmpeg needs"
                                 " its recommended codecs\nRUN ", 1))
    markdown, sections = report("en")
    line = next(row for row in table_rows(section_of(markdown, 3)) if "video-worker" in row)
    assert "⚠️ waived DF102: " in line
    assert "ffmpeg needs its recommended codecs" in line
    base = next(row for row in table_rows(markdown) if "builder:" in row)
    assert "⚠️ waived DL3013" in base
    conclusion = markdown.split("## Conclusion")[1]
    assert "Waived: " in conclusion and "DF102" in conclusion
    check_report(repo, markdown, sections)
