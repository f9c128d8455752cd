"""What the built images say about a row: the image test that confirms it, and on which image.

The one door from the report's rows to the image states of report.facts, so
that how fresh a state is (which results still belong to the tag's image)
is decided in one place.
"""

from __future__ import annotations

import dataclasses

from dockbuild.evidence import Evidence, Status
from dockbuild.report.facts import Facts


@dataclasses.dataclass(frozen=True, slots=True)
class Confirmation:
    """An image test's verdict on one row: the record and the short id of the image it ran on."""

    record: Evidence
    image_id: str

    @property
    def status(self) -> Status:
        """Return whether the image confirms the row."""
        return self.record.status


def confirmation(facts: Facts, image: str, check: str) -> Confirmation | None:
    """Return the image test ``check`` of ``image`` (a failure first), or None when none ran."""
    if not check:
        return None
    found = [(state, test) for state in facts.images if state.name == image
             for test in state.tests if test.check == check]
    if not found:
        return None
    found.sort(key=lambda item: item[1].status is not Status.FAIL)
    state, test = found[0]
    image_id = test.image_id or state.image_id or ""
    return Confirmation(test, image_id.removeprefix("sha256:")[:12])
