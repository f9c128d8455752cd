"""Build progress: the summary table and plain lines without a terminal."""

from __future__ import annotations

import pytest

from dockbuild.build import progress


def test_summary_table_is_aligned() -> None:
    text = progress.summary([
        progress.Row("academy-base", "py3.11-amd64", "skipped", 0.0, 245.2, "inputs unchanged"),
        progress.Row("academy-api", "py3.11-amd64", "failed", 3.25, None, "RUN exited 1"),
    ])
    lines = text.splitlines()
    assert lines[0].split() == ["image", "variant", "status", "time", "size"]
    assert lines[1].index("skipped") == lines[2].index("failed")
    assert "245 MB" in lines[1] and "3.2s" in lines[2] and " - " in lines[2]


def test_plain_lines_in_ci_or_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("CI", "true")
    assert progress.plain_wanted(io.StringIO())
    monkeypatch.delenv("CI")
    assert progress.plain_wanted(io.StringIO())  # not a TTY
    out = io.StringIO()
    view = progress.view(out)
    view.state("api", "building")
    view.step("api", "#1 [internal] load build definition from Dockerfile")
    view.step("api", "#5 [stage-1 2/9] RUN pip install -r requirements/api.txt")
    view.step("api", "#5 0.512 Collecting Django")
    view.step("api", "#5 CACHED")
    view.step("api", "#5 [stage-1 2/9] RUN pip install -r requirements/api.txt")  # repeated
    assert out.getvalue() == (
        "api: building\napi: [stage-1 2/9] RUN pip install -r requirements/api.txt\n")
