"""Benchmark our structure-test runner against the real container-structure-test.

    python bench/bench_cst.py [--repeat 3] [--jobs 1] [--no-bytecode]

Runs both tools, as commands, over tests/cst_corpus (images built first and not
timed) and prints, median of --repeat runs, side by side with the ratio
ours / real:

  corpus         every config of the corpus, one process per config, --jobs at a time
  metadata only  one metadataTest-only file (md_env.yaml), start-up dominated,
                 median of 5 x --repeat runs

Wall time per run, and CPU time (user + sys of the tool processes; the engine's
own work is not in it). The real tool comes from the same environment as this
Python (requirements/dev.txt) or PATH.

Our runs may keep Python's bytecode, as an installed dockbuild does, even where
the environment sets PYTHONDONTWRITEBYTECODE (which would time the compiling of
dockbuild's modules, about 0.09 s a run, on a checkout without a cache);
--no-bytecode keeps the environment's setting.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cst_corpus"))

import differential

METADATA_ONLY = differential.CORPUS / "configs" / "full" / "md_env.yaml"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(argvs: list[list[str]], jobs: int, *,
              bytecode: bool = True) -> tuple[float, float]:
    """Run every argv to completion, ``jobs`` at a time; return wall and CPU seconds."""
    # Python may keep its bytecode, as an installed dockbuild does: a sandbox that sets
    # PYTHONDONTWRITEBYTECODE would otherwise time the compilation of every module
    # (about 0.09 s a run), which no user pays. --no-bytecode measures that case.
    env = {**os.environ, **differential.CALLER_ENV, "PYTHONPATH": str(differential.REPO)}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)

    def one(argv: list[str]) -> None:
        subprocess.run(argv, cwd=differential.CORPUS, capture_output=True, check=False,
                       timeout=differential.TIMEOUT_S, env=env)

    cpu = _children_cpu()
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, argvs))
    return time.perf_counter() - start, _children_cpu() - cpu


def median_of(repeat: int, body: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    runs = [body() for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="configs run at once (default 1)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE for our runs if it is set")
    args = parser.parse_args(argv)
    tags = differential.build_images()
    try:
        return _bench(args, tags)
    finally:  # the images are this run's own: none stays on the engine
        subprocess.run(["docker", "rmi", "--force", *tags.values()], check=False,
                       capture_output=True)


def _bench(args: argparse.Namespace, tags: dict[str, str]) -> int:
    corpus = [(path, tags[path.parent.name]) for path in differential.configs()]
    cases = {  # label -> (work, runs): the one-file case is cheap, so it is run more often
        f"corpus ({len(corpus)} configs)": (corpus, args.repeat),
        "metadata only (1 config)": ([(METADATA_ONLY, tags["full"])], 5 * args.repeat),
    }
    print(f"{'case':<28}{'real wall':>11}{'ours wall':>11}{'ratio':>8}"
          f"{'real cpu':>10}{'ours cpu':>10}{'ratio':>8}")
    for label, (work, runs) in cases.items():
        real = median_of(runs, lambda w=work: timed_run(
            [differential.real_argv(p, i) for p, i in w], args.jobs))
        ours = median_of(runs, lambda w=work: timed_run(
            [differential.ours_argv(p, i) for p, i in w], args.jobs,
            bytecode=not args.no_bytecode))
        print(f"{label:<28}{real[0]:>10.2f}s{ours[0]:>10.2f}s{ours[0] / real[0]:>7.2f}x"
              f"{real[1]:>9.2f}s{ours[1]:>9.2f}s{ours[1] / max(real[1], 1e-9):>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
