"""Benchmark BuildKit builds side by side with plain `docker buildx bake` and with no cache mounts.

    .venv/bin/python bench/bench_build.py [--skip-cold] [--skip-mounts] [--repeat 5]

Prints figures and their targets:
  no-op        `./dev inv build` with everything current, against plain `docker buildx bake`
               of the same five images (the definition `inv bake` writes) with a warm cache
               (target: ratio <= 0.25); median and best of --repeat interleaved runs
  cache mounts after a change in requirements/common.txt (every image rebuilds): the
               rebuild with the Dockerfiles' apt and pip cache mounts against the same
               Dockerfiles with the cache mounts taken out (target: ratio <= 0.5)
  parallel     cold build (--no-cache) of the four services, in parallel against one at
               a time (target: ratio <= 0.75)
  incremental  after a change in one service's own Dockerfile: how many images rebuilt
               (target: 1) and the time
Everything but the no-op figure works in copies of the repository whose images are
renamed academy-bench*-* (removed at the end), so no real file or tag is touched; bake's
images are tagged academy-benchbake-* for the same reason.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dockbuild.build import bake, rootimage  # noqa: E402
from dockbuild.build import run as buildrun  # noqa: E402
from dockbuild.inputs import manifest  # noqa: E402

COPIED = ("docker", "src", "apps", "libs", "scripts", "requirements", "manage.py",
          ".dockerignore")
PYTHON, PLATFORM = "3.11", "linux/amd64"
#: Images of the copies and of bake: removed at the end.
BENCH_PREFIX = "academy-bench"
CACHE_MOUNT = re.compile(r"--mount=type=cache,\S+\s*(\\\n\s*)?")


def timed(argv: list[str], cwd: Path = REPO) -> float:
    """Run a command quietly; return its wall time.

    Python's bytecode cache is on, as on a user's machine (an environment that
    sets PYTHONDONTWRITEBYTECODE would recompile every module on every run).
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**env, "CI": "true"})
    return time.perf_counter() - started


def bake_file(folder: Path) -> Path:
    """Write the bake definition of the five images, tagged academy-benchbake-* (no tag moves)."""
    m = manifest.load(REPO)
    definition = bake.definition(m, PYTHON, PLATFORM,
                                 root_image=rootimage.local_ref(m.project, PYTHON, PLATFORM))
    for name, target in definition["target"].items():
        target["tags"] = [f"{BENCH_PREFIX}bake-{name}:{PYTHON}"]
    path = folder / "docker-bake.json"
    path.write_text(json.dumps(definition))
    return path


def plain_bake(path: Path) -> float:
    """Build the five images with plain `docker buildx bake` (one BuildKit session)."""
    return timed(["docker", "buildx", "bake", "-f", str(path), "--progress=quiet"])


def copy_repo(into: Path, m: manifest.Manifest, prefix: str) -> Path:
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
    text = path.read_text().replace(f"name: {m.base.name}\n", f"name: {prefix}base\n")
    for name in m.services:
        text = text.replace(f"\n  {name}:\n", f"\n  {prefix.removeprefix('academy-')}{name}:\n")
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


def without_cache_mounts(root: Path) -> None:
    """Take every cache mount out of the copy's Dockerfiles (the wheelhouse bind mount stays)."""
    for dockerfile in (root / "docker").rglob("Dockerfile*"):
        dockerfile.write_text(CACHE_MOUNT.sub("", dockerfile.read_text()))


def rebuild_after_common_change(root: Path) -> float:
    """Build the copy warm, change requirements/common.txt, time the rebuild of every image."""
    options = buildrun.Options(python=PYTHON, platform=PLATFORM)
    quiet_run(root, options)
    common = root / "requirements" / "common.txt"
    common.write_text(common.read_text() + f"# bench: changed at {time.time()}\n")
    seconds, statuses = quiet_run(root, options)
    assert statuses.count("built") == len(statuses), statuses
    return seconds


def remove_bench_images() -> None:
    """Remove every image the benchmark tagged."""
    for line in subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                               capture_output=True, text=True, check=True).stdout.split():
        if line.startswith(BENCH_PREFIX):
            subprocess.run(["docker", "rmi", "-f", line], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-cold", action="store_true", help="skip the parallel cold builds")
    parser.add_argument("--skip-noop", action="store_true", help="skip the no-op figure")
    parser.add_argument("--skip-mounts", action="store_true", help="skip the cache-mount figure")
    args = parser.parse_args()
    m = manifest.load(REPO)
    print(f"{'measure':<40}{'dockbuild':>11}{'other':>12}{'ratio':>8}  target (other)")
    try:
        with tempfile.TemporaryDirectory(prefix="dockbuild-bench-") as folder:
            if not args.skip_noop:
                noop(Path(folder), args.repeat)
            if not args.skip_mounts:
                mounts = rebuild_after_common_change(
                    copy_repo(Path(folder) / "mounts", m, f"{BENCH_PREFIX}m-"))
                bare_root = copy_repo(Path(folder) / "bare", m, f"{BENCH_PREFIX}n-")
                without_cache_mounts(bare_root)
                bare = rebuild_after_common_change(bare_root)
                print(f"{'common.txt changed, 5 images rebuilt':<40}{mounts:>10.2f}s{bare:>11.2f}s"
                      f"{mounts / bare:>8.2f}  <= 0.5 (no cache mounts)", flush=True)
            cold(copy_repo(Path(folder) / "cold", m, f"{BENCH_PREFIX}-"), skip=args.skip_cold)
    finally:
        remove_bench_images()


def noop(folder: Path, repeat: int) -> None:
    """The no-op build against plain bake of the same images, both warm, interleaved."""
    subprocess.run([str(REPO / "dev"), "inv", "build"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)  # make everything current first
    path = bake_file(folder)
    plain_bake(path)  # warm bake's own cache
    ours_all, plain_all = [], []
    for _ in range(repeat):  # interleaved, so both see the same machine load
        ours_all.append(timed([str(REPO / "dev"), "inv", "build"]))
        plain_all.append(plain_bake(path))
    for name, pick in (("median", statistics.median), ("best", min)):
        ours, plain = pick(ours_all), pick(plain_all)
        print(f"{'no-op build, 5 images (' + name + ')':<40}{ours:>10.2f}s{plain:>11.2f}s"
              f"{ours / plain:>8.2f}  <= 0.25 (docker buildx bake)", flush=True)


def cold(root: Path, *, skip: bool) -> None:
    """Cold service builds (sequential, parallel), then one changed service."""
    options = buildrun.Options(python=PYTHON, platform=PLATFORM)
    quiet_run(root, dataclasses.replace(options, include_services=False))  # the bench's base
    if not skip:
        cold_services = dataclasses.replace(options, no_cache=True, base=False)
        sequential, _ = quiet_run(root, dataclasses.replace(cold_services, jobs=1))
        parallel, _ = quiet_run(root, cold_services)
        print(f"{'cold 4 services, parallel':<40}{parallel:>10.2f}s{sequential:>11.2f}s"
              f"{parallel / sequential:>8.2f}  <= 0.75 (one at a time)", flush=True)
    else:
        quiet_run(root, options)
    dockerfile = root / "docker" / "messaging-worker" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# bench: a change in this service only\n")
    seconds, statuses = quiet_run(root, options)
    print(f"{'one service changed: rebuilt':<40}{seconds:>10.2f}s{'':>12}{'':>8}  "
          f"{statuses.count('built')} of {len(statuses)} image(s) built (target 1)")


if __name__ == "__main__":
    main()
