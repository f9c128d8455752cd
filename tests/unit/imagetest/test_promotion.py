"""When :latest may move: complete evidence for the exact image id, never partial or stale."""

from __future__ import annotations

import dataclasses

from dockbuild.evidence import Evidence
from dockbuild.imagetest import promotion
from dockbuild.imagetest.results import EMULATED, FAIL, PASS, SKIP, outcome

REF, ID = "academy-api:py3.11-amd64", "sha256:new"


def _test(check: str, status: object = PASS, *, image_id: str = ID, reason: str = "",
          name: str = "") -> Evidence:
    record = outcome(check=check, name=name or check, image=REF, variant="py3.11-amd64",
                     status=status, requirement=("요구", "requirement"), image_id=image_id)  # type: ignore[arg-type]
    return dataclasses.replace(record, reason=reason) if reason else record


COMPLETE = [_test("cst.command"), _test("image.user"), _test("smoke.http"),
            _test("image.size", SKIP, reason="no budget")]


def _decide(records: list[Evidence], *, smoke_ran: bool = True,
            emulated: bool = False) -> promotion.Decision:
    return promotion.decide(REF, ID, records, smoke_declared=True, smoke_ran=smoke_ran,
                            emulated=emulated)


def test_complete_evidence_for_the_tested_id_promotes() -> None:
    decision = _decide(COMPLETE)
    assert decision.ok, decision.why
    assert decision.image_id == ID


def test_a_failure_refuses_and_names_the_test() -> None:
    decision = _decide([*COMPLETE, _test("image.workdir", FAIL, name="workdir")])
    assert not decision.ok
    assert decision.why == "1 test(s) failed: workdir"


def test_a_result_of_another_image_id_is_stale_evidence() -> None:
    decision = _decide([*COMPLETE, _test("image.caches", image_id="sha256:old")])
    assert not decision.ok
    assert decision.why.startswith("stale evidence: results of sha256:old")


def test_no_smoke_is_partial_evidence() -> None:
    without_smoke = [r for r in COMPLETE if not r.check.startswith("smoke")]
    assert _decide(without_smoke, smoke_ran=False).why == (
        "partial evidence: the smoke tests were not run (--no-smoke)")
    assert _decide(without_smoke).why == "partial evidence: no smoke test result"


def test_only_emulation_and_nothing_to_check_skips_are_accepted() -> None:
    emulated = [r for r in COMPLETE if not r.check.startswith("smoke")]
    emulated += [_test("smoke", SKIP, reason="smoke tests run natively only"),
                 _test("cst.command", SKIP, reason=EMULATED, name="ffmpeg")]
    assert _decide(emulated, emulated=True).ok
    # the same skips on a native run left something untested
    assert not _decide([*COMPLETE, _test("cst.command", SKIP, reason=EMULATED)]).ok
    other = _decide([*COMPLETE, _test("cst.file-existence", SKIP, reason="probe failed",
                                      name="/app")])
    assert other.why == "partial evidence: 1 test(s) skipped: /app"


def test_nothing_tested_or_no_image_refuses() -> None:
    assert _decide([]).why == "no test ran"
    assert promotion.decide(REF, "", COMPLETE, smoke_declared=True, smoke_ran=True,
                            emulated=False).why == f"{REF} is not on the engine"
