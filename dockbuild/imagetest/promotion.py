"""When ``:latest`` may move: every test of the image held, for that exact image id, in this run.

Pure: the run asks the engine; this module only decides from the records.
``:latest`` never moves on partial evidence. What counts as complete:

- at least one test ran, none failed, and every record names the image id the
  variant tag had when testing began (a record of another id is stale);
- the smoke tests ran when the manifest declares them: ``--no-smoke`` is partial
  evidence, and so is a native run that produced no smoke record;
- a skip is accepted only when it leaves nothing untested that could have run:
  a test that cannot run under emulation (on an emulated variant), or a check
  with nothing to check (no size budget declared, licenseTests this runner does
  not run). Any other skip refuses promotion.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from dockbuild.evidence import Evidence, Status
from dockbuild.imagetest.results import EMULATED

#: Checks whose skip means there is nothing to check, not that something went untested.
NOTHING_TO_CHECK = frozenset({"image.size", "cst.license"})
PROMOTE_CHECK = "image.promote"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """Whether one image may become ``:latest``, and why (the run prints it)."""

    ref: str
    image_id: str
    ok: bool
    why: str


def _accepted_skip(record: Evidence, *, emulated: bool) -> bool:
    if record.check in NOTHING_TO_CHECK:
        return True
    return emulated and (record.check == "smoke" or record.reason == EMULATED)


def decide(ref: str, image_id: str, records: Sequence[Evidence], *, smoke_declared: bool,
           smoke_ran: bool, emulated: bool) -> Decision:
    """Return whether ``ref`` (tested as ``image_id``) may move ``:latest``, from its records.

    ``smoke_declared``: the manifest gives the image smoke tests; ``smoke_ran``:
    this run asked for them (False under ``--no-smoke``); ``emulated``: the
    variant runs under QEMU on this machine.
    """
    mine = [r for r in records if r.subject == ref and r.check != PROMOTE_CHECK]

    def refuse(why: str) -> Decision:
        return Decision(ref=ref, image_id=image_id, ok=False, why=why)

    if not image_id:
        return refuse(f"{ref} is not on the engine")
    if not mine:
        return refuse("no test ran")
    failed = [r.name or r.check for r in mine if r.status is Status.FAIL]
    if failed:
        return refuse(f"{len(failed)} test(s) failed: {', '.join(failed[:5])}")
    others = sorted({r.image_id or "no id" for r in mine if r.image_id != image_id})
    if others or any(r.status is Status.STALE for r in mine):
        return refuse(f"stale evidence: results of {', '.join(others) or 'another image'},"
                      f" the tag is {image_id}")
    if smoke_declared and not smoke_ran:
        return refuse("partial evidence: the smoke tests were not run (--no-smoke)")
    if smoke_declared and not emulated and not any(r.check.startswith("smoke") for r in mine):
        return refuse("partial evidence: no smoke test result")
    skipped = [r.name or r.check for r in mine
               if r.status is Status.SKIP and not _accepted_skip(r, emulated=emulated)]
    if skipped:
        return refuse(f"partial evidence: {len(skipped)} test(s) skipped: {', '.join(skipped[:5])}")
    return Decision(ref=ref, image_id=image_id, ok=True,
                    why=f"{len(mine)} result(s) held for {image_id}")
