"""reports/index.html: self-contained, drawn from stored evidence, opened in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dockbuild.evidence import Evidence, Requirement, Severity, Status
from dockbuild.report import html
from dockbuild.report.facts import ImageState

RUN = {"academy-base": {"dockbuild.status": "built", "dockbuild.started": 0.0,
                        "dockbuild.seconds": 34.0},
       "api": {"dockbuild.status": "built", "dockbuild.started": 34.5, "dockbuild.seconds": 6.3},
       "video-worker": {"dockbuild.status": "failed", "dockbuild.started": 34.6,
                        "dockbuild.seconds": 12.0},
       "messaging-worker": {"dockbuild.status": "skipped", "dockbuild.seconds": 0.0}}


def _test(image_id: str, status: Status) -> Evidence:
    return Evidence(check="image.user", subject="academy-api:py3.11-amd64", status=status,
                    severity=Severity.ERROR, location=None, message="user",
                    requirement=Requirement("사용자", "user"), image_id=image_id)


def _state(name: str, image_id: str | None, tests: tuple[Evidence, ...] = (),
           variant: str = "py3.11-amd64") -> ImageState:
    return ImageState(name=name, variant=variant, ref=f"{name}:{variant}", image_id=image_id,
                      size_mb=None, build=None, tests=tests)


def test_the_timeline_draws_each_image_of_the_last_run() -> None:
    svg = html.timeline({"py3.11-amd64": RUN, "py3.11-arm64": {}})
    assert svg.startswith("<svg")
    for text in ("academy-base", "video-worker", "34.0 s", "skipped", "py3.11-amd64: the last"):
        assert text in svg
    assert "py3.11-arm64" not in svg  # a variant with no run draws nothing
    assert html.timeline({}) == ""
    skipped = {"academy-base": {"dockbuild.status": "skipped", "dockbuild.seconds": 0.0}}
    assert html.timeline({"py3.11-amd64": skipped}) == ""
    assert html.untimed({"py3.11-amd64": skipped, "py3.13-amd64": RUN}) == [
        "py3.11-amd64: nothing built in the last run (every image skipped: inputs unchanged)"]


def test_sizes_stack_layers_against_the_budget_with_the_parents_in_grey() -> None:
    base, api = _state("academy-base", "sha256:b"), _state("api", "sha256:a")
    layers = {"sha256:b": [("ADD rootfs.tar /", 90_000_000), ("RUN pip install", 20_000_000)],
              "sha256:a": [("ADD rootfs.tar /", 90_000_000), ("RUN pip install", 20_000_000),
                           ("RUN pip install -r requirements/api.txt", 60_000_000)]}
    svg = html.sizes([base, api], layers, {"academy-base": None, "api": 150},
                     {"academy-base": None, "api": "academy-base"})
    assert " 170 MB" in svg and " 110 MB" in svg
    assert svg.count('style="fill: #c8c8c8') >= 2  # api's two inherited layers
    assert html.sizes([_state("api", None)], layers, {}, {}) == ""


def test_the_test_grid_belongs_to_the_current_image_id() -> None:
    grid = html.test_grid([
        _state("academy-base", "sha256:b", (_test("sha256:b", Status.PASS),)),
        _state("api", "sha256:a2", (_test("sha256:a1", Status.PASS),)),
        _state("api", "sha256:a3", (_test("sha256:a3", Status.FAIL),), variant="py3.11-arm64"),
        _state("academy-base", None, variant="py3.11-arm64")])
    assert '<td class="pass">1 passed</td>' in grid
    assert '<td class="stale">tested an older image</td>' in grid  # a rebuilt api
    assert '<td class="fail">1 of 1 failed</td>' in grid
    assert '<td class="none">not built</td>' in grid


@pytest.mark.browser
def test_the_page_opens_in_chromium_with_no_network(repo: Path, tmp_path: Path) -> None:
    from dockbuild.report import run as report_run

    (repo / ".cache/build").mkdir(parents=True, exist_ok=True)
    (repo / ".cache/build/metadata-py3.11-amd64.json").write_text(json.dumps(RUN))
    report_run.run(repo, lang="all", output="out", lint_records=())
    page = repo / "out" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']https?:|url\(["']?https?:|@import""", text)
    chromium = [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox",
                "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",  # no network at all
                f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*chromium, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    for heading in ("Build timeline", "Image sizes by layer", "Image tests", "Report (ko)",
                    "Report (en)"):
        assert f">{heading}<" in dom, heading
    assert "<svg" in dom and "the last build run" in dom
    shot = tmp_path / "report.png"
    subprocess.run([*chromium, f"--screenshot={shot}", "--window-size=1280,2400",
                    page.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 20_000  # a page with pictures, not a blank one
