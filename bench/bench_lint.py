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
import os
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


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run a command to completion; return its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False,
                          env=None if env is None else {**os.environ, **env})
    elapsed = time.perf_counter() - start
    if done.returncode not in {0, 1}:
        sys.exit(f"{' '.join(argv[:3])} ... failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def paired(repeat: int, baseline: Callable[[], float], measured: Callable[[], float]
           ) -> tuple[float, float, float]:
    """Alternate baseline and measured runs (the machine's load hits both alike).

    Returns the median baseline, the median measured time and the median ratio.
    """
    pairs = [(baseline(), measured()) for _ in range(repeat)]
    return (statistics.median(b for b, _ in pairs), statistics.median(m for _, m in pairs),
            statistics.median(m / b for b, m in pairs))


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
        hadolint = [str(BIN / "hadolint"), "--no-color", "--disable-ignore-pragma", "-f", "json",
                    "-c", ".hadolint.yaml", *files]
        lint = [str(BIN / "inv"), "lint"]
        subprocess.run(lint, cwd=root, capture_output=True, check=False)  # warm the OS file cache

        def alone() -> float:
            return timed(hadolint, root, plain)

        rows = [("inv lint --no-cache (cold)",
                 paired(args.repeat, alone, lambda: timed([*lint, "--no-cache"], root)))]
        rows.append(("hadolint as lint runs it (-A64m)",
                     paired(args.repeat, alone,
                            lambda: timed(hadolint, root, {"GHCRTS": "-A64m"}))))
        timed(lint, root)  # fill .cache/lint
        rows.append(("inv lint, nothing changed (warm)",
                     paired(args.repeat, alone, lambda: timed(lint, root))))

        def after_edit(path: str) -> Callable[[], float]:
            def once() -> float:
                with (root / path).open("a") as out:
                    out.write(f"# edited {time.time_ns()}\n")
                return timed(lint, root)
            return once

        rows.append(("inv lint, one service edited", paired(args.repeat, alone,
                                                            after_edit(files[-1]))))
        rows.append(("inv lint, Dockerfile.base edited", paired(args.repeat, alone,
                                                                after_edit(files[0]))))
    print(f"{len(files)} Dockerfiles ({args.services} services + base); each run paired with a"
          f" run of hadolint alone, median of {args.repeat}")
    print(f"{'run':<36}{'seconds':>9}{'hadolint alone':>16}{'ratio':>9}")
    for label, (base, seconds, ratio) in rows:
        print(f"{label:<36}{seconds:>9.2f}{base:>16.2f}{ratio:>8.2f}x")
    cold, warm = rows[0][1][2], rows[2][1][2]
    print(f"targets: cold <= 1.10x (measured {cold:.2f}x), warm <= 0.15x (measured {warm:.2f}x)")


if __name__ == "__main__":
    main()
