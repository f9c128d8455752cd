"""Which cells a report verified, and how it says so: engine-free, from ImageState alone."""

from __future__ import annotations

import dataclasses

from dockbuild.evidence import Evidence, Status
from dockbuild.imagetest.results import outcome
from dockbuild.report import coverage
from dockbuild.report.facts import ImageState, short_id, staleness

ID = "sha256:" + "1" * 64


def _test(status: Status = Status.PASS, *, at: str = "2026-01-02T00:00:00+00:00",
          check: str = "image.user") -> Evidence:
    return outcome(check=check, name="user", image="academy-api:py3.11-amd64",
                   variant="py3.11-amd64", status=status, requirement=("", ""), image_id=ID,
                   produced_at=at)


def _state(name: str, variant: str = "py3.11-amd64", *tests: Evidence,
           image_id: str | None = ID) -> ImageState:
    return ImageState(name=name, variant=variant, ref=f"academy-{name}:{variant}",
                      image_id=image_id, size_mb=None, build=None, tests=tests)


def test_a_cell_is_verified_only_with_passing_tests_of_its_current_id() -> None:
    assert coverage.verified(_state("api", "py3.11-amd64", _test()))
    assert not coverage.verified(_state("api", "py3.11-amd64"))  # built, never tested
    assert not coverage.verified(_state("api", "py3.11-amd64", _test(Status.FAIL)))
    assert not coverage.verified(_state("api", "py3.11-amd64", _test(Status.STALE)))
    assert not coverage.verified(_state("api", "py3.11-amd64", _test(), image_id=None))
    # a refused promotion is about the run, not the image
    refused = _test(Status.SKIP, check="image.promote")
    assert coverage.verified(_state("api", "py3.11-amd64", _test(), refused))
    # verify counts only what it tested itself
    assert not coverage.verified(_state("api", "py3.11-amd64", _test(at="2026-01-01T00:00:00")),
                                 since="2026-01-01T12:00:00+00:00")


def test_the_line_names_verified_partial_and_unverified_variants() -> None:
    states = [_state(n, "py3.11-amd64", _test()) for n in ("base", "api")]
    states += [_state("base", "py3.11-arm64", _test()), _state("api", "py3.11-arm64")]
    states += [_state(n, v, image_id=None) for v in ("py3.13-amd64", "py3.13-arm64")
               for n in ("base", "api")]
    covered = coverage.of(states)
    assert not covered.complete
    assert covered.line("en") == (
        "py3.11-amd64 verified (2 images); py3.11-arm64 partly verified (1 of 2 images;"
        " not verified: api); py3.13-amd64, py3.13-arm64 not verified")
    assert covered.line("ko") == (
        "py3.11-amd64 검증됨 (이미지 2개); py3.11-arm64 일부 검증 (이미지 2개 중 1개;"
        " 미검증: api); py3.13-amd64, py3.13-arm64 미검증")
    complete = coverage.of(states[:2])
    assert complete.complete
    assert complete.to_dict()["line"] == "py3.11-amd64 verified (2 images)"
    assert coverage.of([]).line() == "nothing to verify"


def test_staleness_says_which_id_was_tested_and_what_the_tag_is_now() -> None:
    record = _test()
    assert staleness(record, ID) == ("", "")
    now = "sha256:" + "2" * 64
    assert staleness(record, now)[0] == (
        f"stale: tested {short_id(ID)}, the tag is now sha256:222222222222")
    assert staleness(record, None)[0] == f"stale: tested {short_id(ID)}, the tag is gone"
    assert "no engine answered" in staleness(record, None, "engine unreachable")[0]
    unbound = dataclasses.replace(record, image_id="")
    assert staleness(unbound, ID)[0].startswith("stale: the record names no image id")
    failed_build = dataclasses.replace(record, check="build", status=Status.FAIL, image_id="")
    assert staleness(failed_build, now) == ("", "")  # what happened to the last attempt
