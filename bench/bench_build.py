"""Benchmark the builds side by side with plain `docker build` (classic builder, same engine).

    .venv/bin/python bench/bench_build.py [--skip-cold] [--repeat 5]

Prints three figures and their targets:
  no-op        `./dev inv build` with everything current, against plain `docker build`
               of the same five images with a warm cache (target: ratio <= 0.30);
               median and best of --repeat interleaved runs (best ~ a quiet machine)
  incremental  after a change in one service's own Dockerfile: how many images rebuilt
               (target: 1) and the time
  parallel     cold build (--no-cache) of the four services, in parallel against one at
               a time (target: ratio <= 0.75); plain sequential `docker build` alongside
The incremental and parallel runs work in a copy of the repository whose images are
renamed academy-bench-* (removed at the end), so no real file or tag is touched.
The no-op figure builds the five amd64 images first when they are not current.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dockbuild.build import plan, rootimage, wheelhouse  # noqa: E402
from dockbuild.build import run as buildrun  # noqa: E402
from dockbuild.inputs import manifest  # noqa: E402

COPIED = ("docker", "src", "apps", "libs", "scripts", "requirements", "manage.py",
          ".dockerignore")
PYTHON, PLATFORM = "3.11", "linux/amd64"
#: Images of the copy: removed at the end.
BENCH_PREFIX = "academy-bench-"


def timed(argv: list[str], cwd: Path = REPO) -> float:
    """Run a command quietly; return its wall time."""
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "DOCKER_BUILDKIT": "0", "CI": "true"})
    return time.perf_counter() - started


def plain_docker_argv(root: Path, step: plan.BuildStep, parent_ref: str,
                      no_cache: bool = False, url: str = "") -> list[str]:
    """Return the plain `docker build` of one step with the build's own arguments."""
    args = {step.parent_arg: parent_ref,
            **wheelhouse.build_args(url or f"http://127.0.0.1:{wheelhouse.PORT}", PYTHON,
                                    PLATFORM)}
    argv = ["docker", "build", "-q", "--platform", PLATFORM, "--network", "host",
            "-f", str(root / step.dockerfile)]
    if no_cache:
        argv.append("--no-cache")
    for key, value in args.items():
        argv += ["--build-arg", f"{key}={value}"]
    return [*argv, str(root)]


def plain_docker_all(root: Path, steps: list[plan.BuildStep], no_cache: bool = False) -> float:
    """Build every step with plain `docker build`, one after the other."""
    m = manifest.load(root)
    total = 0.0
    with wheelhouse.serve(root / ".cache" / "wheels") as url:  # as during our builds
        for step in steps:
            if step.parent is None:
                parent = rootimage.local_ref(m.project, PYTHON, PLATFORM)
            else:
                parent = f"{m.get(step.parent).image}:{step.variant}"
            total += timed(plain_docker_argv(root, step, parent, no_cache, url))
    return total


def copy_repo(into: Path, m: manifest.Manifest) -> Path:
    """Copy the build inputs and wheel cache; rename its images so no real tag moves."""
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, into / name)
    if (REPO / ".cache" / "wheels").is_dir():
        shutil.copytree(REPO / ".cache" / "wheels", into / ".cache" / "wheels")
    path = into / manifest.MANIFEST
    text = path.read_text().replace(f"name: {m.base.name}\n", f"name: {BENCH_PREFIX}base\n")
    for name in m.services:
        text = text.replace(f"\n  {name}:\n", f"\n  bench-{name}:\n")
    path.write_text(text)
    return into


def quiet_run(root: Path, options: buildrun.Options) -> tuple[float, list[str]]:
    """Run a build in-process with its output hidden; return the time and the statuses."""
    import contextlib
    import io

    os.environ["CI"] = "true"
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        rows = buildrun.run(root, options)
    return time.perf_counter() - started, [row.status for row in rows]


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-cold", action="store_true", help="skip the parallel cold builds")
    parser.add_argument("--skip-noop", action="store_true", help="skip the no-op figure")
    args = parser.parse_args()
    m = manifest.load(REPO)
    steps = plan.plan(m, PYTHON, PLATFORM)

    print(f"{'measure':<34}{'dockbuild':>11}{'plain docker':>14}{'ratio':>8}  target")
    if not args.skip_noop:
        subprocess.run([str(REPO / "dev"), "inv", "build"], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)  # make everything current first
        ours_all, plain_all = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same machine load
            ours_all.append(timed([str(REPO / "dev"), "inv", "build"]))
            plain_all.append(plain_docker_all(REPO, steps))
        for name, pick in (("median", statistics.median), ("best", min)):
            ours, plain = pick(ours_all), pick(plain_all)
            print(f"{'no-op build, 5 images (' + name + ')':<34}{ours:>10.2f}s{plain:>13.2f}s"
                  f"{ours / plain:>8.2f}  <= 0.30", flush=True)

    with tempfile.TemporaryDirectory(prefix="dockbuild-bench-") as folder:
        root = copy_repo(Path(folder), m)
        try:
            cold(root, skip=args.skip_cold)
        finally:
            for line in subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                                       capture_output=True, text=True, check=True).stdout.split():
                if line.startswith(BENCH_PREFIX):
                    subprocess.run(["docker", "rmi", "-f", line], check=False,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cold(root: Path, *, skip: bool) -> None:
    """Cold service builds (sequential, parallel, plain docker), then one changed service."""
    options = buildrun.Options(python=PYTHON, platform=PLATFORM)
    quiet_run(root, dataclasses.replace(options, include_services=False))  # the bench's base
    steps = plan.plan(manifest.load(root), PYTHON, PLATFORM)
    if not skip:
        cold_services = dataclasses.replace(options, no_cache=True, base=False)
        sequential, _ = quiet_run(root, dataclasses.replace(cold_services, jobs=1))
        parallel, _ = quiet_run(root, cold_services)
        print(f"{'cold 4 services, parallel':<34}{parallel:>10.2f}s{'':>14}"
              f"{parallel / sequential:>8.2f}  <= 0.75 (of one at a time)", flush=True)
        plain_seq = plain_docker_all(root, steps[1:], no_cache=True)
        print(f"{'cold 4 services, one at a time':<34}{sequential:>10.2f}s{plain_seq:>13.2f}s"
              f"{sequential / plain_seq:>8.2f}  (plain docker, one at a time)", flush=True)
    else:
        quiet_run(root, options)
    dockerfile = root / "docker" / "messaging-worker" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# bench: a change in this service only\n")
    seconds, statuses = quiet_run(root, options)
    print(f"{'one service changed: rebuilt':<34}{seconds:>10.2f}s{'':>14}{'':>8}  "
          f"{statuses.count('built')} of {len(statuses)} image(s) built (target 1)")


if __name__ == "__main__":
    main()
