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
from dockbuild.inputs import manifest
from dockbuild.report import run as report_run

from .conftest import check_report


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text, f"{path} no longer holds {old!r}"
    file.write_text(text.replace(old, new, 1))


def test_every_citation_quotes_the_lines_it_names(repo: Path, report) -> None:
    paths = report_run.run(repo, lang="all", output="out").paths
    assert {p.name for p in paths} == {"alignment.ko.md", "alignment.en.md", "results.json",
                                       "junit.xml", "lint.sarif", "index.html", "evidence.json"}
    for lang in ("ko", "en"):
        markdown, sections = report(lang)
        assert check_report(repo, markdown, sections) > 20


def test_the_korean_report_reads_like_the_seed(repo: Path) -> None:
    report_run.run(repo, lang="ko", output="out")
    markdown = (repo / "out/alignment.ko.md").read_text()
    # the Dockerfiles hold, but no image was built or tested here: not "complete"
    assert markdown.startswith("# Docker 구조 정렬 보고 — 이미지 일부 미검증\n")
    for heading in ("## 1. docker/Dockerfile.base (뿌리 강화) — ✅ 반영됨",
                    "## 2. docker/ai-worker-cpu/Dockerfile (통합) — ✅ 반영됨",
                    "## 3. 기타 Dockerfile 레이어 최적화 — ✅ 반영됨",
                    "## 4. .dockerignore — 빌드 방해 없음 — ✅ 반영됨",
                    "## 5. CMD·진입점·상수 검증 — ✅ 반영됨",
                    "## 결론", "**Dockerfile 구조 정렬 반영됨; 이미지 검증은 일부만.**"):
        assert heading in markdown
    assert "runtime: USER appuser | ✅ | L" in markdown
    assert "scripts/ 제외 여부 | ✅ 제외 아님 |" in markdown
    cmd_line = next(n for n, line in enumerate(
        (repo / "docker/video-worker/Dockerfile").read_text().splitlines(), 1)
        if line.startswith("CMD "))
    assert f"| `python -m apps.worker.video_worker.sqs_main` | L{cmd_line} `CMD [" in markdown
    # one commit, nothing verified yet: no baseline, and the report says so (no "no change")
    assert "**SSOT**: 기준선 없음: " in markdown and "변경 없음" not in markdown
    assert "진입점(CMD) 변경 여부 미확인 (비교할 기준선 없음)." in markdown  # not "미변경 확인됨"
    assert "미변경 확인됨" not in markdown and "SSOT 유지" not in markdown


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


VIDEO_ID = "sha256:" + "a" * 64


def fake_engine(monkeypatch: pytest.MonkeyPatch, ids: dict[str, str]) -> None:
    """Answer the report's image lookups from ``ids`` (ref -> id): no engine is asked."""
    from dockbuild.report import facts

    def inspect(ref: str, **_: object) -> dict[str, object] | None:
        return {"Id": ids[ref], "Size": 300e6} if ref in ids else None

    monkeypatch.setattr(facts.engine_images, "inspect", inspect)


def test_a_failed_image_test_fails_section_6_and_the_conclusion(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild import runstore

    fake_engine(monkeypatch, {"academy-video-worker:py3.11-amd64": VIDEO_ID})
    line = next(i for i, text in enumerate(
        (repo / "docker/services.yaml").read_text().splitlines(), start=1)
        if text.strip() == "video-worker:")
    runstore.save(repo, "image-test", "py3.11-amd64", [outcome(
        check="image.caches", name="caches", image="academy-video-worker:py3.11-amd64",
        variant="py3.11-amd64", status=Status.FAIL,
        message="/var/cache/apt/archives is not empty",
        where=Location(Path("docker/services.yaml"), line),
        requirement=("패키지 캐시 없음", "no package caches"), duration_s=0.1,
        image_id=VIDEO_ID)])
    report_run.run(repo, lang="ko", output="out", python="3.11", platform="linux/amd64")
    markdown = (repo / "out/alignment.ko.md").read_text()
    section = markdown.split("## 6. ")[1].split("## 결론")[0]
    assert section.startswith("빌드·이미지 테스트 — ❌ 미반영 1건; py3.11-amd64 미검증")
    assert "| video-worker | py3.11-amd64 | ✅ 있음 | `aaaaaaaaaaaa` |" in section
    assert "| api | py3.11-amd64 | ➖ 빌드된 이미지 없음 |" in section
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


@pytest.mark.parametrize("stored", [
    5, [1, 2], {"py3.11-amd64": 5}, {"py3.11-amd64": {"images": 5}},
    {"py3.11-amd64": {"saved": "x", "records": [{"check": "image.user", "status": "ok"}]}},
])
def test_a_store_of_the_wrong_shape_is_not_run_and_the_next_run_rewrites_it(
        repo: Path, stored: object, caplog: pytest.LogCaptureFixture) -> None:
    from dockbuild import runstore

    folder = repo / runstore.FOLDER
    folder.mkdir(parents=True)
    (folder / "image-test.json").write_text(json.dumps(stored))
    report_run.run(repo, lang="en", output="out")
    section = (repo / "out/alignment.en.md").read_text().split("## 6. ")[1]
    assert "✅" not in section.split("\n")[0]  # nothing passes on evidence that does not read
    if isinstance(stored, dict):
        assert ".cache/results/image-test.json: " in caplog.text
        assert "the next `inv image-test` rewrites it" in caplog.text
    runstore.save(repo, "image-test", "py3.11-arm64", [_passing("academy-api:py3.11-arm64", "x")])
    assert json.loads((folder / "image-test.json").read_text()).keys() == {"py3.11-arm64"}


def test_an_ignored_finding_shows_its_reason(repo: Path) -> None:
    report_run.run(repo, lang="en", output="out")
    markdown = (repo / "out/alignment.en.md").read_text()
    row = next(line for line in markdown.splitlines() if "builder: `pip install" in line)
    assert "| ✅ |" in row
    assert "⚠️ waived DL3013: ignored by `# hadolint ignore`" in row
def _passing(ref: str, image_id: str, variant: str = "py3.11-amd64") -> object:
    return outcome(check="image.user", name="user", image=ref, variant=variant,
                   status=Status.PASS, requirement=("사용자", "user"), image_id=image_id)


def test_results_of_a_rebuilt_image_are_stale_never_passing(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild import runstore

    refs = {f"{image.image}:py3.11-amd64": f"sha256:{n}" + "0" * 63 for n, image in enumerate(
        manifest.load(repo).images(), start=1)}
    runstore.save(repo, "image-test", "py3.11-amd64",
                  [_passing(ref, image_id) for ref, image_id in refs.items()])
    video = "academy-video-worker:py3.11-amd64"
    tested = refs[video]
    fake_engine(monkeypatch, {**refs, video: "sha256:" + "f" * 64})  # rebuilt since its tests
    report_run.run(repo, lang="en", output="out", python="3.11", platform="linux/amd64")
    markdown = (repo / "out/alignment.en.md").read_text()
    section = markdown.split("## 6. ")[1].split("## Conclusion")[0]
    assert section.startswith("Builds and image tests — ⚠️ 1 stale result(s);"
                              " py3.11-amd64 partly verified (4 of 5 images;"
                              " not verified: video-worker)")
    short = tested[:19]
    assert (f"| ⚠️ stale: tested {short}, the tag is now sha256:ffffffffffff (1/1) |"
            in section)
    conclusion = markdown.split("## Conclusion")[1]
    assert "- Coverage: ⚠️ 1 stale result(s); py3.11-amd64 partly verified" in conclusion
    data = json.loads((repo / "out/results.json").read_text())
    (state,) = [s for s in data["images"] if s["ref"] == video]
    assert [t["status"] for t in state["tests"]] == ["stale"]
    assert next(s for s in data["sections"] if s["key"] == "images")["status"] == "stale"
    assert data["coverage"]["complete"] is False
    suites = ET.parse(repo / "out/junit.xml").getroot().findall("testsuite")
    stale_suite = next(s for s in suites if s.get("name") == "image-test: academy-video-worker"
                       " py3.11-amd64")
    assert (stale_suite.get("failures"), stale_suite.get("skipped")) == ("0", "1")
    # the tag is gone: still stale, and saying so
    fake_engine(monkeypatch, {ref: i for ref, i in refs.items() if ref != video})
    report_run.run(repo, lang="en", output="out", python="3.11", platform="linux/amd64")
    assert "tag is gone" in (repo / "out/alignment.en.md").read_text()


def test_section_6_is_complete_only_when_every_cell_it_covers_was_verified(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild import runstore

    refs = {f"{image.image}:py3.11-amd64": "sha256:" + "c" * 64
            for image in manifest.load(repo).images()}
    runstore.save(repo, "image-test", "py3.11-amd64",
                  [_passing(ref, image_id) for ref, image_id in refs.items()])
    fake_engine(monkeypatch, refs)
    report_run.run(repo, lang="en", output="out")
    heading = next(line for line in (repo / "out/alignment.en.md").read_text().splitlines()
                   if line.startswith("## 6. "))
    assert heading == ("## 6. Builds and image tests — ➖ py3.11-amd64 verified (5 images);"
                       " py3.11-arm64, py3.13-amd64, py3.13-arm64 not verified")
    report_run.run(repo, lang="ko", output="out", python="3.11", platform="linux/amd64")
    markdown = (repo / "out/alignment.ko.md").read_text()
    assert "## 6. 빌드·이미지 테스트 — ✅ py3.11-amd64 검증됨 (이미지 5개)" in markdown
    assert "- 검증 범위: ✅ py3.11-amd64 검증됨 (이미지 5개)" in markdown.split("## 결론")[1]


def test_one_fully_verified_variant_becomes_the_next_baseline_unless_a_result_is_stale(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild import runstore
    from dockbuild.report import verified

    refs = {f"{image.image}:py3.11-amd64": "sha256:" + "d" * 64
            for image in manifest.load(repo).images()}
    runstore.save(repo, "image-test", "py3.11-amd64",
                  [_passing(ref, image_id) for ref, image_id in refs.items()])
    video = "academy-video-worker:py3.11-amd64"
    fake_engine(monkeypatch, {**refs, video: "sha256:" + "e" * 64})  # video rebuilt: stale
    report_run.run(repo, lang="en", output="out")
    assert verified.load(repo) is None
    fake_engine(monkeypatch, refs)  # every image of py3.11-amd64 tested as it is now
    report_run.run(repo, lang="en", output="out")  # the other three variants: not verified
    stored = verified.load(repo)
    assert stored is not None and set(stored[0]) == {i.name for i in manifest.load(repo).images()}
