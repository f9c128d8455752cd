"""Benchmark `inv lint` against hadolint alone on a copy of the repository grown to N services.

    python bench/bench_lint.py [--services 500] [--repeat 3]

Copies the build inputs (docker/, .dockerignore, .hadolint.yaml, the
application folders, requirements/, tasks.py) into a temporary folder, clones
the four services until the manifest lists N of them (each with its own
Dockerfile), then times, median of --repeat runs:

  hadolint alone   one hadolint process over every Dockerfile (what lint runs)
  cold             `inv lint --no-cache`
  warm             `inv lint` again with nothing changed (cache under .cache/lint)
  one service      `inv lint` after editing one service's Dockerfile
  base             `inv lint` after editing Dockerfile.base (every service inherits it)

Each run is paired with a run of hadolint alone right before it (a shared
machine's load then hits both alike) and shown next to it: the wall-time
ratio (what the targets are about: cold <= 1.1x, warm <= 0.15x) and the
CPU-time ratio (user + sys, which the machine's load barely moves).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dockbuild.lint import hadolint as lint_hadolint  # noqa: E402

COPIED = ("docker", ".dockerignore", ".hadolint.yaml", "apps", "libs", "src", "scripts",
          "requirements", "manage.py", "tasks.py")
BIN = Path(sys.executable).parent


def grow(root: Path, services: int) -> list[str]:
    """Copy the build inputs to ``root`` with ``services`` services; return the Dockerfiles."""
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, root / name)
    manifest_path = root / "docker/services.yaml"
    manifest = yaml.safe_load(manifest_path.read_text())
    originals = list(manifest["services"].items())
    number = 0
    while len(manifest["services"]) < services:
        name, entry = originals[number % len(originals)]
        number += 1
        clone = f"{name}-{number:03d}"
        folder = root / "docker" / clone
        folder.mkdir()
        text = (root / entry["dockerfile"]).read_text()
        (folder / "Dockerfile").write_text(f"# {clone}: a clone of {name}\n{text}")
        manifest["services"][clone] = {**entry, "dockerfile": f"docker/{clone}/Dockerfile"}
    manifest_path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    services_files = [s["dockerfile"] for s in manifest["services"].values()]
    return [manifest["base"]["dockerfile"], *services_files]


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command to completion; return its wall time and its CPU time (user + sys)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False,
                          env=None if env is None else {**os.environ, **env})
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in {0, 1}:
        sys.exit(f"{' '.join(argv[:3])} ... failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def timed_shares(argv: list[str], files: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``argv`` + files as lint shares them out: one process per core at once, with
    lint's RTS options; return the wall time and the CPU time of them all."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "GHCRTS": lint_hadolint.RTS}
    procs = [subprocess.Popen([*argv, *part], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
             for part in lint_hadolint.shares(cwd, files, lint_hadolint.cores())]
    codes = [proc.wait() for proc in procs]
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if any(code not in {0, 1} for code in codes):
        sys.exit(f"{' '.join(argv[:3])} ... failed ({codes})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


Timing = Callable[[], tuple[float, float]]


def paired(repeat: int, baseline: Timing, measured: Timing) -> dict[str, float]:
    """Alternate baseline and measured runs, so the machine's load hits both alike.

    Returns medians: baseline and measured wall time, their ratio, and the CPU-time ratio.
    """
    pairs = [(baseline(), measured()) for _ in range(repeat)]
    return {
        "base": statistics.median(b[0] for b, _ in pairs),
        "wall": statistics.median(m[0] for _, m in pairs),
        "ratio": statistics.median(m[0] / b[0] for b, m in pairs),
        "cpu": statistics.median(m[1] / b[1] for b, m in pairs),
    }


def main() -> None:
    """Grow, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plain = {"GHCRTS": ""}  # hadolint as a user would run it, whatever the shell exports
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as temp:
        root = Path(temp)
        files = grow(root, args.services)
        options = [str(BIN / "hadolint"), "--no-color", "--disable-ignore-pragma", "-f", "json",
                   "-c", ".hadolint.yaml"]
        hadolint = [*options, *files]
        lint = [str(BIN / "inv"), "lint"]
        subprocess.run(lint, cwd=root, capture_output=True, check=False)  # warm the OS file cache

        def alone() -> tuple[float, float]:
            return timed(hadolint, root, plain)

        rows = [("inv lint --no-cache (cold)",
                 paired(args.repeat, alone, lambda: timed([*lint, "--no-cache"], root)))]
        shares = len(lint_hadolint.shares(root, files, lint_hadolint.cores()))
        rows.append((f"hadolint as lint runs it ({shares} x {lint_hadolint.RTS})",
                     paired(args.repeat, alone, lambda: timed_shares(options, files, root))))
        timed(lint, root)  # fill .cache/lint
        rows.append(("inv lint, nothing changed (warm)",
                     paired(args.repeat, alone, lambda: timed(lint, root))))

        def after_edit(path: str) -> Timing:
            def once() -> tuple[float, float]:
                with (root / path).open("a") as out:
                    out.write(f"# edited {time.time_ns()}\n")
                return timed(lint, root)
            return once

        rows.append(("inv lint, one service edited", paired(args.repeat, alone,
                                                            after_edit(files[-1]))))
        rows.append(("inv lint, Dockerfile.base edited", paired(args.repeat, alone,
                                                                after_edit(files[0]))))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(files)} Dockerfiles ({args.services} services + base); each run paired with a"
          f" run of hadolint alone, median of {args.repeat}; load average now {load}")
    print(f"{'run':<36}{'seconds':>9}{'hadolint alone':>16}{'wall ratio':>12}{'cpu ratio':>11}")
    for label, m in rows:
        print(f"{label:<36}{m['wall']:>9.2f}{m['base']:>16.2f}{m['ratio']:>11.2f}x{m['cpu']:>10.2f}x")
    cold, warm = rows[0][1]["ratio"], rows[2][1]["ratio"]
    print(f"targets: cold <= 1.10x (measured {cold:.2f}x), warm <= 0.15x (measured {warm:.2f}x)")


if __name__ == "__main__":
    main()
