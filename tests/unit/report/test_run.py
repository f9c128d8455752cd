"""The alignment report: true citations, failures that show, baselines that compare."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dockbuild.errors import Location
from dockbuild.evidence import Status
from dockbuild.imagetest.results import outcome
from dockbuild.report import run as report_run

from .conftest import check_report


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text, f"{path} no longer holds {old!r}"
    file.write_text(text.replace(old, new, 1))


def test_every_citation_quotes_the_lines_it_names(repo: Path, report) -> None:
    paths = report_run.run(repo, lang="all", output="out")
    assert {p.name for p in paths} == {"alignment.ko.md", "alignment.en.md", "results.json",
                                       "junit.xml", "lint.sarif"}
    for lang in ("ko", "en"):
        markdown, sections = report(lang)
        assert check_report(repo, markdown, sections) > 20


def test_the_korean_report_reads_like_the_seed(repo: Path) -> None:
    report_run.run(repo, lang="ko", output="out")
    markdown = (repo / "out/alignment.ko.md").read_text()
    assert markdown.startswith("# Docker 구조 정렬 완료 보고\n")
    for heading in ("## 1. docker/Dockerfile.base (뿌리 강화) — ✅ 반영됨",
                    "## 2. docker/ai-worker-cpu/Dockerfile (통합) — ✅ 반영됨",
                    "## 3. 기타 Dockerfile 레이어 최적화 — ✅ 반영됨",
                    "## 4. .dockerignore — 빌드 방해 없음 — ✅ 반영됨",
                    "## 5. CMD·진입점·상수 검증 — ✅ 반영됨",
                    "## 결론", "**Docker 구조 정렬 완료.**"):
        assert heading in markdown
    assert "runtime: USER appuser | ✅ | L" in markdown
    assert "scripts/ 제외 여부 | ✅ 제외 아님 |" in markdown
    assert "| `python -m apps.worker.video_worker.sqs_main` | L19 `CMD [" in markdown
    # one commit, nothing verified yet: no baseline, and the report says so (no "no change")
    assert "**SSOT**: 기준선 없음: " in markdown and "변경 없음" not in markdown


def test_a_broken_requirement_turns_its_row_and_the_conclusion_to_failure(
        repo: Path, report) -> None:
    edit(repo, "docker/Dockerfile.base", "USER appuser\nCMD", "USER root\nCMD")
    markdown, sections = report("ko")
    assert markdown.startswith("# Docker 구조 정렬 보고 — 미완료")
    row = next(line for line in markdown.splitlines() if "runtime: USER appuser |" in line)
    assert "| ❌ |" in row
    assert "`USER root`" in row
    assert "## 1. docker/Dockerfile.base (뿌리 강화) — ❌ 미반영" in markdown
    anchor = re.search(r'<a id="(s1-\d+)"></a>runtime: USER appuser', row)[1]
    assert f"(#{anchor})" in markdown.split("## 결론")[1]
    data = json.loads((repo / "out/results.json").read_text())
    assert data["status"] == "fail"
    check_report(repo, markdown, sections)


def test_a_changed_port_shows_old_and_new_against_the_baseline(repo: Path) -> None:
    edit(repo, "docker/services.yaml", "ports: [8000]", "ports: [8080]")
    edit(repo, "docker/services.yaml", "smoke: {http: {port: 8000", "smoke: {http: {port: 8080")
    report_run.run(repo, lang="en", output="out", baseline="HEAD")
    markdown = (repo / "out/alignment.en.md").read_text()
    row = next(line for line in markdown.splitlines() if line.startswith('| <a id="s5-2"></a>api'))
    assert "**ports**: `8000 → 8080`" in row
    assert "1 change(s) to constants, ports or entry points" in markdown


def test_without_an_engine_the_image_section_says_it_is_skipped(repo: Path) -> None:
    report_run.run(repo, lang="en", output="out")
    markdown = (repo / "out/alignment.en.md").read_text()
    section = markdown.split("## 6. ")[1].split("## Conclusion")[0]
    assert "no build or test record: this section is skipped" in section
    assert "no engine answered" in section


def test_an_unknown_baseline_is_a_one_line_input_error(repo: Path) -> None:
    from dockbuild.errors import InputError

    with pytest.raises(InputError, match="--baseline 'nope' is not a commit"):
        report_run.run(repo, lang="en", output="out", baseline="nope")


def test_a_failed_image_test_fails_section_6_and_the_conclusion(repo: Path) -> None:
    from dockbuild import runstore

    line = next(i for i, text in enumerate(
        (repo / "docker/services.yaml").read_text().splitlines(), start=1)
        if text.strip() == "video-worker:")
    runstore.save(repo, "image-test", "py3.11-amd64", [outcome(
        check="image.caches", name="caches", image="academy-video-worker:py3.11-amd64",
        variant="py3.11-amd64", status=Status.FAIL,
        message="/var/cache/apt/archives is not empty",
        where=Location(Path("docker/services.yaml"), line),
        requirement=("패키지 캐시 없음", "no package caches"), duration_s=0.1)])
    report_run.run(repo, lang="ko", output="out", python="3.11", platform="linux/amd64")
    markdown = (repo / "out/alignment.ko.md").read_text()
    section = markdown.split("## 6. ")[1].split("## 결론")[0]
    assert section.startswith("빌드·이미지 테스트 — ❌ 미반영 1건")
    assert "| video-worker | py3.11-amd64 | ➖ 빌드된 이미지 없음 |" in section
    assert "❌ 0/1/0" in section
    assert "| <a id=\"s6-1\"></a>패키지 캐시 없음 | ❌ | docker/services.yaml:L" in section
    assert "`image.caches` 위반" in section
    assert "(#s6-1)" in markdown.split("## 결론")[1]
    assert "미완료" in markdown.splitlines()[0]
    suites = ET.parse(repo / "out/junit.xml").getroot().findall("testsuite")
    tested = next(s for s in suites if s.get("name") == "image-test: academy-video-worker"
                  " py3.11-amd64")
    assert tested.get("failures") == "1"
    assert all(s.get("name", "").startswith(("lint: ", "image-test: ")) for s in suites)
    stored = json.loads((repo / "out/results.json").read_text())["images"]
    assert any(t["check"] == "image.caches" for state in stored for t in state["tests"])


def test_builds_are_stored_as_evidence_and_shown_with_their_state(repo: Path) -> None:
    from dockbuild import runstore
    from dockbuild.build.progress import Row

    rows = [Row("academy-base", "py3.11-amd64", "skipped", 0.2, 812.0),
            Row("academy-api", "py3.11-amd64", "failed", 31.5, None, "pip install exited 1")]
    runstore.save(repo, "build", "py3.11-amd64", [row.to_evidence() for row in rows])
    (failed,) = [r for r in runstore.records(repo, "build")["py3.11-amd64"] if r.failed]
    assert (failed.subject, failed.name, failed.message) == (
        "academy-api", "failed", "pip install exited 1")
    report_run.run(repo, lang="en", output="out", python="3.11", platform="linux/amd64")
    section = (repo / "out/alignment.en.md").read_text().split("## 6. ")[1]
    assert section.startswith("Builds and image tests — ❌")
    assert "| api | py3.11-amd64 | ❌ failed | - | - | 31.5 s | - | - |" in section


def test_a_store_of_the_wrong_shape_is_a_one_line_input_error(repo: Path) -> None:
    from dockbuild import runstore
    from dockbuild.errors import InputError

    folder = repo / runstore.FOLDER
    folder.mkdir(parents=True)
    (folder / "image-test.json").write_text(json.dumps(
        {"py3.11-amd64": {"saved": "x", "records": [{"check": "image.user", "status": "ok"}]}}))
    with pytest.raises(InputError) as info:
        report_run.run(repo, lang="en", output="out")
    assert info.value.exit_code == 2
    assert str(info.value.where) == ".cache/results/image-test.json"
    assert "evidence field 'subject' is missing" in info.value.message
    assert "rerun `inv image-test`" in info.value.hint


def test_an_ignored_finding_shows_its_reason(repo: Path) -> None:
    report_run.run(repo, lang="en", output="out")
    markdown = (repo / "out/alignment.en.md").read_text()
    row = next(line for line in markdown.splitlines() if "builder: `pip install" in line)
    assert "| ✅ |" in row
    assert "⚠️ waived DL3013, DL3042: ignored by `# hadolint ignore`" in row
