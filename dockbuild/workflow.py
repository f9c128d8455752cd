"""`inv verify`: lint, build, image-test and report, in order, continuing past failures.

Every step runs even when an earlier one failed (an image that did not build
is reported as such), the report is always written, and the exit code is the
worst of the steps: 2 for unusable input or environment, 1 for failed checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dockbuild import commands
from dockbuild.errors import ChecksFailed, DockbuildError, ManifestError


def _step(name: str, call: Callable[[], Any], outcomes: list[tuple[str, str, float]],
          errors: list[DockbuildError]) -> None:
    print(f"\n==> {name}", flush=True)
    started = time.monotonic()
    try:
        call()
    except ManifestError:
        raise  # nothing can be checked or reported without a manifest
    except DockbuildError as exc:
        errors.append(exc)
        outcomes.append((name, f"failed (exit {exc.exit_code}): {str(exc).splitlines()[0]}",
                         time.monotonic() - started))
        print(f"error: {exc}", flush=True)
        return
    outcomes.append((name, "ok", time.monotonic() - started))


def run(root: Path, *, python: str | None, platform: str | None, services: Sequence[str],
        baseline: str | None, lang: str | None) -> None:
    """Run the four steps; raise the worst failure at the end, after the report is written."""
    outcomes: list[tuple[str, str, float]] = []
    errors: list[DockbuildError] = []
    _step("lint", lambda: commands.lint(root), outcomes, errors)
    _step("build", lambda: commands.build(root, python=python, platform=platform,
                                          services=services), outcomes, errors)
    _step("image-test", lambda: commands.image_test(root, python=python, platform=platform,
                                                    services=services), outcomes, errors)
    _step("report", lambda: commands.report(root, lang=lang, baseline=baseline, python=python,
                                            platform=platform), outcomes, errors)
    print("\nverify summary")
    for name, outcome, seconds in outcomes:
        print(f"  {name:<11} {outcome}  ({seconds:.1f} s)")
    if errors:
        worst = max(errors, key=lambda exc: exc.exit_code)
        failed = ", ".join(name for name, outcome, _ in outcomes if outcome != "ok")
        msg = f"verify: {failed} did not hold (see above and reports/)"
        failure = ChecksFailed(msg)
        failure.exit_code = worst.exit_code  # 2 when a step met unusable input or environment
        raise failure
    print("verify: everything holds")
