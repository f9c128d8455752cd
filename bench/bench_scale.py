"""Benchmark the tool on a generated monorepo of 50 to 500 small services on the academy base.

    .venv/bin/python bench/bench_scale.py [--sizes 50,100,250,500] [--repeat 3]
        [--skip-build] [--skip-base | --base-sizes 500] [--shards 4] [--keep]

Copies the build inputs (docker/, .dockerignore, .hadolint.yaml, the application
folders, requirements/, the wheel cache) into a temporary git repository, renames
the base academy-scale-base and replaces the four services by generated ones,
scale-svc001 ... (images academy-scale-svc001 ...): each its own Dockerfile, its own
module scale/svcNNN/main.py (its manifest ``copies``) and its own requirements file
(named for it; a subset of the small pins the real images install, picked by the
service's number, so the wheelhouse needs nothing new; one in fifty also installs
boto3, whose botocore is ~100 MB installed: in every service it would fill the disk);
one in a hundred installs a small apt package. Variants: Python
3.11 on linux/amd64 only. Then, for each size in ascending order (the repository
grows, so each size builds only the services it adds), prints, median of --repeat
paired, interleaved runs:

  lint cold           `inv lint --no-cache` against one hadolint call over the same files
                      (target <= 0.7x)
  lint warm           `inv lint` with nothing changed, against the same (target <= 0.05x)
  matrix              `inv matrix --changed-since HEAD --shards N`, nothing changed
  build --changed     `inv build --changed-since HEAD`, nothing changed (plans, builds nothing)
  status              `inv status` with everything current, against plain
                      `docker buildx bake` of the same targets (the definition `inv bake`
                      writes, tagged academy-scale-bake-*) with a warm cache (target < 1 s)
  no-op build         `inv build` with everything current, against the same (target < 1 s)
  engine: inspect     `docker image inspect` of every service tag in one call: what the engine
                      alone takes to say what each tag names (the floor of status and no-op)
  one service         `inv build` after editing one service's module (1 image rebuilt),
                      against bake after another edit of the same module
  base changed        `inv build` after editing a file the base copies (every image
                      rebuilds); --base-sizes picks the sizes, --skip-base none

--skip-build measures only lint and planning (no engine needed). The images this
made are removed at the end unless --keep; nothing outside the temporary copy is
written, and no real tag moves.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import yaml  # noqa: E402
from bench_lint import BIN, paired, timed  # noqa: E402

from dockbuild.build import bake, rootimage  # noqa: E402
from dockbuild.inputs import manifest as manifest_mod  # noqa: E402

COPIED = ("docker", ".dockerignore", ".hadolint.yaml", ".gitignore", "apps", "libs", "src",
          "scripts", "requirements", "manage.py")
PYTHON, PLATFORM = "3.11", "linux/amd64"
PREFIX = "academy-scale-"  # every image of the copy and of bake starts with it
#: Small pins the real images install already (the wheelhouse has them): each service a subset.
PINS = ("asgiref==3.13.0", "sqlparse==0.6.1", "gunicorn==27.0.1", "six==1.17.0",
        "jmespath==1.1.0", "urllib3==2.8.0", "python-dateutil==2.9.0.post0")
HEAVY, HEAVY_EVERY = "boto3==1.44.8", 50  # services 25, 75, 125, ... install it too
APT = ("tree", "bc", "less", "jq", "patch")  # small Debian packages, one per apt service
APT_EVERY = 100  # services 10, 110, 210, ... install one
FINISHED = re.compile(r"^\S+: (built|skipped|failed|not built)\b")  # a plain progress line

DOCKERFILE = """\
# {name}: a generated service of the scale benchmark (module scale/{short}/main.py).
# User (appuser), WORKDIR (/app) and the application code come from the base.
ARG BASE_IMAGE={base}:latest
# Empty unless the build is given a wheelhouse as the named context "wheels".
FROM scratch AS wheels
FROM ${{BASE_IMAGE}}
{apt}
# Offline builds point pip at the mounted wheelhouse (see Dockerfile.base).
ARG PIP_NO_INDEX
ARG PIP_FIND_LINKS
COPY --chown=appuser:appuser {requirements} {requirements}
RUN --mount=type=bind,from=wheels,target=/wheels \\
    --mount=type=cache,target=/home/appuser/.cache/pip,uid=1000,gid=1000,sharing=locked \\
    pip install --user -r {requirements}

COPY --chown=appuser:appuser scale/{short} ./scale/{short}
CMD ["python", "-m", "scale.{short}.main"]
"""
APT_BLOCK = """
# System packages need root; the image goes back to appuser right after.
USER root
RUN --mount=type=cache,id={name}-apt-archives,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,id={name}-apt-lists,target=/var/lib/apt/lists,sharing=locked \\
    rm -f /etc/apt/apt.conf.d/docker-clean \\
    && apt-get update \\
    && apt-get install -y --no-install-recommends {package}
USER appuser
"""
MODULE = '''\
"""{name}: one of the scale benchmark's generated services."""

NUMBER = {number}


def main() -> None:
    """Print which service this is."""
    print(f"service {{NUMBER}} of the scale benchmark")


if __name__ == "__main__":
    main()
'''


def git(root: Path, *args: str) -> str:
    """Run git quietly in the copy (an identity of its own: nothing global is needed)."""
    return subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                           "-c", "commit.gpgsign=false", *args], cwd=root, check=True,
                          capture_output=True, text=True).stdout


def copy_inputs(root: Path) -> None:
    """Copy the build inputs and the wheel cache; keep the base, drop the real services."""
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, root / name)
    if (REPO / ".cache" / "wheels").is_dir():
        shutil.copytree(REPO / ".cache" / "wheels", root / ".cache" / "wheels")
    path = root / manifest_mod.MANIFEST
    manifest = yaml.safe_load(path.read_text())
    for name, entry in manifest["services"].items():
        shutil.rmtree(root / Path(entry["dockerfile"]).parent)
        (root / "docker" / "tests" / f"{name}.yaml").unlink(missing_ok=True)
    manifest["base"]["name"] = f"{PREFIX}base"
    manifest["variants"] = {"python": [PYTHON], "platforms": [PLATFORM],
                            "default": {"python": PYTHON, "platform": PLATFORM}}
    manifest["services"] = {}
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    (root / "scale").mkdir()


def service_name(number: int) -> str:
    """Return the manifest name of generated service ``number`` (image academy-scale-svcNNN)."""
    return f"scale-svc{number:03d}"


def requirements_text(number: int) -> str:
    """Return service ``number``'s requirements: the pins its binary digits pick, under a line
    naming the service (no two files alike, so no two images share the pip layer)."""
    chosen = [pin for bit, pin in enumerate(PINS) if number >> bit & 1]
    if number % HEAVY_EVERY == HEAVY_EVERY // 2:
        chosen.append(HEAVY)
    return f"# {service_name(number)}: its own subset of the pinned packages\n" + \
        "".join(f"{pin}\n" for pin in chosen)


def grow(root: Path, services: int) -> list[str]:
    """Add generated services until the manifest lists ``services``; return every Dockerfile."""
    path = root / manifest_mod.MANIFEST
    manifest = yaml.safe_load(path.read_text())
    base = manifest["base"]["name"]
    for number in range(len(manifest["services"]) + 1, services + 1):
        name, short = service_name(number), f"svc{number:03d}"
        requirements = f"requirements/{name}.txt"
        apt = ""
        entry: dict[str, object] = {"dockerfile": f"docker/{name}/Dockerfile",
                                    "requirements": requirements,
                                    "cmd": ["python", "-m", f"scale.{short}.main"],
                                    "copies": [f"scale/{short}"], "size_budget_mb": 900}
        if number % APT_EVERY == APT_EVERY // 10:
            package = APT[number // APT_EVERY % len(APT)]
            apt = APT_BLOCK.format(name=name, package=package)
            entry["apt"] = [package]
        (root / "docker" / name).mkdir()
        (root / "docker" / name / "Dockerfile").write_text(DOCKERFILE.format(
            name=name, short=short, base=base, apt=apt, requirements=requirements))
        (root / requirements).write_text(requirements_text(number))
        (root / "scale" / short).mkdir()
        (root / "scale" / short / "main.py").write_text(MODULE.format(name=name, number=number))
        manifest["services"][name] = entry
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, width=200))
    return [manifest["base"]["dockerfile"],
            *(entry["dockerfile"] for entry in manifest["services"].values())]


# -- running the tool and bake ---------------------------------------------------------------
def inv(*args: str) -> list[str]:
    """Return the command line of one ``inv`` verb (the venv's, as a user runs it)."""
    return [str(BIN / "inv"), *args]


def median_of(repeat: int, once: Callable[[], tuple[float, float]]) -> dict[str, float]:
    """Return the median wall time of ``repeat`` runs (no partner to pair with)."""
    return {"wall": statistics.median(once()[0] for _ in range(repeat))}


def build(root: Path, label: str) -> tuple[float, dict[str, int]]:
    """Run ``inv build`` with its progress condensed to a line every 25 images; return the
    time and how many images ended in each status (from the run's metadata file)."""
    started = time.perf_counter()
    done = 0
    with subprocess.Popen(inv("build"), cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as proc:
        assert proc.stdout is not None
        tail: list[str] = []
        for line in proc.stdout:
            tail = [*tail[-30:], line.rstrip()]
            if FINISHED.match(line):
                done += 1
                if done % 25 == 0:
                    print(f"    {label}: {done} images done, {time.perf_counter() - started:.0f} s",
                          flush=True)
    if proc.returncode != 0:
        sys.exit(f"inv build failed ({proc.returncode}):\n" + "\n".join(tail))
    seconds = time.perf_counter() - started
    note_images()
    meta = json.loads((root / ".cache/build/metadata-py3.11-amd64.json").read_text())
    counts: dict[str, int] = {}
    for entry in meta.values():
        counts[entry["dockbuild.status"]] = counts.get(entry["dockbuild.status"], 0) + 1
    return seconds, counts


def bake_file(root: Path) -> Path:
    """Write the definition `inv bake` writes for the copy, tagged academy-scale-bake-*."""
    m = manifest_mod.load(root)
    definition = bake.definition(m, PYTHON, PLATFORM,
                                 root_image=rootimage.local_ref(m.project, PYTHON, PLATFORM))
    for name, target in definition["target"].items():
        target["tags"] = [f"{PREFIX}bake-{name.removeprefix(PREFIX)}:{PYTHON}"]
    path = root / ".cache" / "docker-bake.json"
    path.write_text(bake.render(definition))
    return path


def plain_bake(root: Path, path: Path) -> tuple[float, float]:
    """Build the targets with plain `docker buildx bake` (one BuildKit session)."""
    return timed(["docker", "buildx", "bake", "-f", str(path), "--progress=quiet"], root)


def edit(path: Path) -> None:
    """Change a file's content (a comment: the image must still build and run)."""
    with path.open("a") as out:
        out.write(f"# bench: edited {time.time_ns()}\n")


#: Every image id that carried an academy-scale-* tag at some point of the run (an image a
#: later build superseded is untagged then, and still the bench's to remove).
MADE: set[str] = set()


def tagged() -> dict[str, str]:
    """Return tag -> image id of every academy-scale-* image on the engine."""
    listed = subprocess.run(["docker", "images", "--no-trunc", "--format",
                             "{{.Repository}}:{{.Tag}} {{.ID}}"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    pairs = (line.split() for line in listed)
    return {ref: image for ref, image in pairs if ref.startswith(PREFIX)}


def note_images() -> None:
    """Remember the ids the academy-scale-* tags name now."""
    MADE.update(tagged().values())


def remove_images() -> int:
    """Remove the academy-scale-* tags and every image they ever named; return how many ids."""
    refs = list(tagged())
    note_images()
    for batch in (refs, sorted(MADE)):
        for start in range(0, len(batch), 100):
            subprocess.run(["docker", "rmi", "-f", *batch[start:start + 100]], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return len(MADE)


# -- the figures of one size -----------------------------------------------------------------
Figures = dict[str, dict[str, float]]


def lint_figures(root: Path, files: list[str], repeat: int) -> Figures:
    """Lint cold and warm, each paired with one hadolint call over the same files."""
    hadolint = [str(BIN / "hadolint"), "--no-color", "--disable-ignore-pragma", "-f", "json",
                "-c", ".hadolint.yaml", *files]

    def alone() -> tuple[float, float]:
        return timed(hadolint, root, {"GHCRTS": ""})  # as a user runs it

    timed(inv("lint"), root)  # the OS file cache warm, .cache/lint filled
    return {"lint cold": paired(repeat, alone, lambda: timed(inv("lint", "--no-cache"), root)),
            "lint warm": paired(repeat, alone, lambda: timed(inv("lint"), root))}


def planning_figures(root: Path, repeat: int, shards: int) -> Figures:
    """--changed-since HEAD with nothing changed: the matrix, and a build that plans nothing."""
    matrix = inv("matrix", "--changed-since", "HEAD", "--shards", str(shards))
    return {f"matrix --shards {shards}": median_of(repeat, lambda: timed(matrix, root)),
            "build --changed-since": median_of(
                repeat, lambda: timed(inv("build", "--changed-since", "HEAD"), root))}


def build_figures(root: Path, size: int, repeat: int, *, base: bool) -> Figures:
    """Build what is new, then status, no-op, one changed service, changed base."""
    seconds, counts = build(root, f"{size} services: building")
    print(f"    built {counts.get('built', 0)} new image(s) in {seconds:.0f} s", flush=True)
    path = bake_file(root)
    print("    bake: warming its cache", flush=True)
    plain_bake(root, path)
    note_images()
    figures = {
        "status": paired(repeat, lambda: plain_bake(root, path),
                         lambda: timed(inv("status"), root)),
        "no-op build": paired(repeat, lambda: plain_bake(root, path),
                              lambda: timed(inv("build"), root)),
    }
    refs = [ref for ref in tagged() if not ref.startswith(f"{PREFIX}bake-")]
    figures["engine: inspect"] = median_of(
        repeat, lambda: timed(["docker", "image", "inspect", *refs], root))
    module = root / "scale" / "svc001" / "main.py"

    def bake_after_edit() -> tuple[float, float]:
        edit(module)
        took = plain_bake(root, path)
        note_images()  # the image this replaced is untagged now, and still the bench's
        return took

    def ours_after_edit() -> tuple[float, float]:
        edit(module)
        took = timed(inv("build"), root)
        note_images()
        return took

    figures["one service changed"] = paired(repeat, bake_after_edit, ours_after_edit)
    meta = json.loads((root / ".cache/build/metadata-py3.11-amd64.json").read_text())
    figures["one service changed"]["built"] = sum(
        entry["dockbuild.status"] == "built" for entry in meta.values())
    if base:
        edit(root / "src" / "config" / "__init__.py")
        seconds, counts = build(root, f"{size} services: base changed")
        figures["base changed"] = {"wall": seconds, "built": counts.get("built", 0)}
    return figures


# -- printing --------------------------------------------------------------------------------
TARGETS = {"lint cold": ("ratio", 0.7), "lint warm": ("ratio", 0.05), "status": ("wall", 1.0),
           "no-op build": ("wall", 1.0)}
OTHER = {"lint cold": "hadolint alone", "lint warm": "hadolint alone",
         "status": "plain bake", "no-op build": "plain bake",
         "one service changed": "bake after an edit"}


def verdict(name: str, figure: dict[str, float]) -> str:
    """Return "ok"/"MISSED" against the figure's target, "" when it has none."""
    if name not in TARGETS:
        return ""
    key, limit = TARGETS[name]
    return "ok" if figure[key] <= limit else "MISSED"


def show(size: int, figures: Figures) -> None:
    """Print one size's table."""
    print(f"\n{size} services (+ base): median of paired, interleaved runs")
    print(f"  {'figure':<26}{'seconds':>9}{'other':>9}  {'other is':<20}{'ratio':>7}"
          f"  {'target':<14}")
    for name, fig in figures.items():
        other = f"{fig['base']:>9.2f}" if "base" in fig else f"{'':>9}"
        ratio = f"{fig['ratio']:>6.2f}x" if "ratio" in fig else f"{'':>7}"
        target = ""
        if name in TARGETS:
            key, limit = TARGETS[name]
            target = f"{'<=' if key == 'ratio' else '<'} {limit:g}{'x' if key == 'ratio' else ' s'}"
        note = f"  {int(fig['built'])} built" if "built" in fig else ""
        print(f"  {name:<26}{fig['wall']:>9.2f}{other}  {OTHER.get(name, ''):<20}{ratio}"
              f"  {target:<9}{verdict(name, fig):<7}{note}")


def growth(results: dict[int, Figures]) -> None:
    """Print each figure across the sizes, and how it grows from the smallest to the largest."""
    sizes = sorted(results)
    names = list(dict.fromkeys(name for figures in results.values() for name in figures))
    print("\nhow each figure grows (seconds; ratio to the other in brackets)")
    print(f"  {'figure':<26}" + "".join(f"{size:>16}" for size in sizes) + "   growth")
    for name in names:
        cells = []
        for size in sizes:
            fig = results[size].get(name)
            cells.append(f"{'-':>16}" if fig is None else
                         f"{fig['wall']:>8.2f}" + (f" ({fig['ratio']:.2f}x)" if "ratio" in fig
                                                   else "        "))
        known = [results[s][name]["wall"] for s in sizes if name in results[s]]
        grew = f"   x{known[-1] / known[0]:.1f}" if len(known) > 1 and known[0] else ""
        print(f"  {name:<26}" + "".join(cells) + grew)


def main() -> None:
    """Generate, grow, measure, print; remove what was made."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,250,500")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--skip-build", action="store_true",
                        help="lint and planning only (no engine)")
    parser.add_argument("--skip-base", action="store_true",
                        help="leave out the changed base (every image rebuilds)")
    parser.add_argument("--base-sizes", default="",
                        help="the sizes that measure the changed base (default: every size)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the images and the temporary copy (its path is printed)")
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    base_sizes = {int(size) for size in args.base_sizes.split(",")} if args.base_sizes else \
        set(sizes)
    if args.skip_base:
        base_sizes = set()
    # Python's bytecode cache on, as on a user's machine; plain progress lines
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["CI"] = "true"
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results: dict[int, Figures] = {}
    try:
        copy_inputs(root)
        git(root, "init", "-q")
        for size in sizes:
            files = grow(root, size)
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"{size} services")
            print(f"{size} services: lint and planning", flush=True)
            figures = lint_figures(root, files, args.repeat)
            figures.update(planning_figures(root, args.repeat, args.shards))
            if not args.skip_build:
                figures.update(build_figures(root, size, args.repeat, base=size in base_sizes))
            results[size] = figures
            show(size, figures)
        growth(results)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nload average now {load}; {os.cpu_count()} cores")
    finally:
        if args.keep:
            if not args.skip_build:
                note_images()
                (root / ".bench-images").write_text("".join(f"{i}\n" for i in sorted(MADE)))
            print(f"kept: {root} and its images ({PREFIX}*; every id the bench tagged is"
                  f" listed in {root / '.bench-images'})")
        else:
            if not args.skip_build:
                print(f"removed {remove_images()} images the bench tagged ({PREFIX}*)")
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
