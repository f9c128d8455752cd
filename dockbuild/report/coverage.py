"""Which image x variant cells a report covers were built and tested passing for their current id.

Pure: it reads ImageState (facts has already marked stale results). A cell is
verified when its image is on the engine, its last build did not fail and is
not stale, and it has image-test results, all of them for the tag's current id
and none failing (skips of tests that cannot run, e.g. under emulation, count
as held, as they do for promotion). The line it writes is what section 6's
heading, the conclusion and `inv verify` end with:
"py3.11-amd64 verified (5 images); py3.11-arm64, py3.13-amd64, py3.13-arm64 not verified".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from dockbuild.evidence import Status
from dockbuild.report.facts import ImageState
from dockbuild.report.phrases import t

_HELD = (Status.PASS, Status.SKIP)
#: records about the run rather than the image: a refused promotion is not a failed test
_ABOUT_THE_RUN = frozenset({"image.promote"})



def word(key: str, lang: str, **values: object) -> str:
    """Return the coverage wording ``key`` in ``lang`` (ko or en): report.phrases' ``cov_`` keys."""
    return t(f"cov_{key}", lang, **values)


def verified(state: ImageState, since: str = "") -> bool:
    """Return whether one cell was built and tested passing for the image its tag names now.

    ``since`` (an ISO time, as runstore writes them): only tests produced from
    then on count, so verify says what *this* run verified.
    """
    if not state.image_id:
        return False
    if state.build is not None and state.build.status in (Status.FAIL, Status.STALE):
        return False
    tests = [t for t in state.tests if t.check not in _ABOUT_THE_RUN]
    return (bool(tests) and all(t.status in _HELD for t in tests)
            and all(t.produced_at >= since for t in tests))


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    """One variant of the report: its images, verified or not."""

    variant: str
    verified: tuple[str, ...]
    missing: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Coverage:
    """The cells a report covers, variant by variant."""

    cells: tuple[Cell, ...]

    @property
    def complete(self) -> bool:
        """Return True when every image of every covered variant is verified."""
        return bool(self.cells) and not any(cell.missing for cell in self.cells)

    def line(self, lang: str = "en") -> str:
        """Return what was verified and what was not, in ``lang``."""
        if not self.cells:
            return word("nothing", lang)
        full = [c for c in self.cells if c.verified and not c.missing]
        none = [c for c in self.cells if not c.verified]
        parts = []
        if full:
            parts.append(word("verified", lang, variants=", ".join(c.variant for c in full),
                              n=sum(len(c.verified) for c in full)))
        for cell in self.cells:
            if cell.verified and cell.missing:
                parts.append(word("partly", lang, variant=cell.variant, k=len(cell.verified),
                                  n=len(cell.verified) + len(cell.missing),
                                  names=", ".join(cell.missing)))
        if none:
            parts.append(word("not_verified", lang, variants=", ".join(c.variant for c in none)))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        """Return results.json's view: complete or not, the line, and each variant's images."""
        return {"complete": self.complete, "line": self.line("en"),
                "cells": [dataclasses.asdict(cell) for cell in self.cells]}


def of(states: Sequence[ImageState], since: str = "") -> Coverage:
    """Return the coverage of ``states``, variants in the order the report lists them."""
    by_variant: dict[str, tuple[list[str], list[str]]] = {}
    for state in states:
        done, missing = by_variant.setdefault(state.variant, ([], []))
        (done if verified(state, since) else missing).append(state.name)
    return Coverage(tuple(Cell(variant, tuple(done), tuple(missing))
                          for variant, (done, missing) in by_variant.items()))


def stale_count(states: Sequence[ImageState]) -> int:
    """Return how many stored results are stale (tests and builds)."""
    records = [r for s in states for r in (*s.tests, *((s.build,) if s.build else ()))]
    return sum(r.status is Status.STALE for r in records)
