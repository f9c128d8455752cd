"""`inv verify` as data: lint, build, image-test and report, in order, continuing past failures.

Every step runs even when an earlier one failed (an image that did not build
is reported as such), the report is always written, and the exit code is the
worst of the steps: 2 for unusable input or environment, 1 for failed checks.
No verb is imported here: commands.verify runs each step's verb.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dockbuild.errors import ChecksFailed, DockbuildError, ManifestError


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """One verb verify runs, and which of verify's options it passes on to it."""

    name: str
    verb: str
    options: tuple[str, ...] = ()

    def pick(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Return the options of ``given`` that this step's verb takes."""
        return {key: given[key] for key in self.options}


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How one step went, for the summary."""

    name: str
    text: str
    seconds: float

    @property
    def ok(self) -> bool:
        """Return whether the step held."""
        return self.text == "ok"


_CELL = ("python", "platform")
STEPS = (
    Step("lint", "lint"),
    Step("build", "build", (*_CELL, "services", "cache_from", "cache_to", "changed_since",
                            "shard")),
    Step("image-test", "image_test", (*_CELL, "services", "changed_since", "shard")),
    Step("report", "report", ("lang", "baseline", *_CELL)),
)


def _step(step: Step, call: Callable[[Step], object], outcomes: list[Outcome],
          errors: list[DockbuildError]) -> None:
    print(f"\n==> {step.name}", flush=True)
    started = time.monotonic()
    try:
        call(step)
    except DockbuildError as exc:
        errors.append(exc)
        outcomes.append(Outcome(step.name,
                                f"failed (exit {exc.exit_code}): {str(exc).splitlines()[0]}",
                                time.monotonic() - started))
        print(f"error: {exc}", flush=True)
        return
    outcomes.append(Outcome(step.name, "ok", time.monotonic() - started))


def run(steps: Sequence[Step], call: Callable[[Step], object],
        coverage: Callable[[], tuple[bool, str] | None] | None = None) -> None:
    """Run every step through ``call``; raise the worst failure at the end, after the report.

    ``coverage`` returns what the report found verified (complete?, the line);
    the summary ends with that line, and "everything holds" only when complete.
    """
    outcomes: list[Outcome] = []
    errors: list[DockbuildError] = []
    for step in steps:
        _step(step, call, outcomes, errors)
        if any(isinstance(exc, ManifestError) for exc in errors):
            break  # nothing more can be checked or reported without a manifest
    print("\nverify summary")
    for outcome in outcomes:
        print(f"  {outcome.name:<11} {outcome.text}  ({outcome.seconds:.1f} s)")
    complete, line = True, ""
    if coverage is not None:
        complete, line = coverage() or (False, "unknown: the report was not written")
    if not errors:
        print("verify: everything holds" if complete else "verify: every step held")
    if line:
        print(f"verify coverage: {line}")
    if errors:
        worst = max(errors, key=lambda exc: exc.exit_code)
        failed = ", ".join(outcome.name for outcome in outcomes if not outcome.ok)
        msg = f"verify: {failed} did not hold (see above and reports/)"
        failure = ChecksFailed(msg)
        failure.exit_code = worst.exit_code  # 2 when a step met unusable input or environment
        raise failure
