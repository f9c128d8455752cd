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

and prints each next to hadolint alone. The targets are cold <= 1.1x and warm <= 0.15x.
"""

from __future__ import annotations

import argparse
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
COPIED = ("docker", ".dockerignore", ".hadolint.yaml", "apps", "libs", "src", "scripts",
          "requirements", "manage.py", "tasks.py")
BIN = Path(sys.executable).parent


def grow(root: Path, services: int) -> list[str]:
    """Copy the repository's build inputs to ``root`` with ``services`` services; return Dockerfiles."""
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
        (folder / "Dockerfile").write_text(f"# {clone}: a clone of {name} for the benchmark\n{text}")
        manifest["services"][clone] = {**entry, "dockerfile": f"docker/{clone}/Dockerfile"}
    manifest_path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return [manifest["base"]["dockerfile"], *(s["dockerfile"] for s in manifest["services"].values())]


def timed(argv: list[str], cwd: Path) -> float:
    """Run a command to completion; return its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in {0, 1}:
        sys.exit(f"{' '.join(argv[:3])} ... failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def median(repeat: int, once: Callable[[], float]) -> float:
    """Return the median of ``repeat`` measurements."""
    return statistics.median(once() for _ in range(repeat))


def main() -> None:
    """Grow, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as temp:
        root = Path(temp)
        files = grow(root, args.services)
        hadolint = [str(BIN / "hadolint"), "--no-color", "--disable-ignore-pragma", "-f", "json",
                    "-c", ".hadolint.yaml", *files]
        lint = [str(BIN / "inv"), "lint"]
        subprocess.run(lint, cwd=root, capture_output=True, check=False)  # warm the OS file cache

        alone = median(args.repeat, lambda: timed(hadolint, root))
        cold = median(args.repeat, lambda: timed([*lint, "--no-cache"], root))
        timed(lint, root)  # fill .cache/lint
        warm = median(args.repeat, lambda: timed(lint, root))

        def after_edit(path: str) -> Callable[[], float]:
            def once() -> float:
                with (root / path).open("a") as out:
                    out.write(f"# edited {time.time_ns()}\n")
                return timed(lint, root)
            return once

        one = median(args.repeat, after_edit(files[-1]))
        base = median(args.repeat, after_edit(files[0]))

    rows = [("hadolint alone", alone), ("inv lint --no-cache (cold)", cold),
            ("inv lint, nothing changed (warm)", warm),
            ("inv lint, one service edited", one), ("inv lint, Dockerfile.base edited", base)]
    print(f"{len(files)} Dockerfiles ({args.services} services + base), median of {args.repeat}")
    print(f"{'run':<36}{'seconds':>9}{'x hadolint':>12}")
    for label, seconds in rows:
        print(f"{label:<36}{seconds:>9.2f}{seconds / alone:>11.2f}x")
    print(f"targets: cold <= 1.10x (is {cold / alone:.2f}x), warm <= 0.15x (is {warm / alone:.2f}x)")


if __name__ == "__main__":
    main()
