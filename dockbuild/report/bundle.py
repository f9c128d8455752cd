"""The evidence a report stood on, in one file, so that one report can cover many runners.

Every report writes ``evidence.json`` beside itself: this machine's stored
build and image-test results for the report's variants, and what its engine
held when the report was written (each tag's image id and size, the layers,
the build runs' metadata). That snapshot is what binds the results: a record
is evidence for the image id its runner's tag named, as ``inv report`` checks
against a live engine on one machine.

``inv report --merge A B ...`` reads several such files (one per CI runner,
each of the same commit) instead of this machine's results and engine. Each
image x variant takes its row from the runner whose results for it are the
worst (a failure anywhere is never hidden by a pass elsewhere; then stale,
then untested), newest first among equals; the row names that runner. A
merged report writes the runners it read into its own ``evidence.json``, so
merging is associative.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockbuild import fsio, runstore
from dockbuild.build import layers as layers_mod
from dockbuild.build import outcome
from dockbuild.engine import tags
from dockbuild.errors import InputError
from dockbuild.evidence import Status
from dockbuild.inputs.manifest import Manifest
from dockbuild.report.facts import Facts, ImageState, Merged, state_of

NAME = "evidence.json"
FORMAT = "dockbuild-evidence/1"
KINDS = ("build", "image-test")


def runner_name() -> str:
    """Return this runner as a merged report names it: host, and engine when not the default."""
    host = os.environ.get("DOCKER_HOST", "")
    return f"{socket.gethostname()} ({host})" if host else socket.gethostname()


def of_facts(facts: Facts) -> dict[str, Any]:
    """Return the evidence file of a report written on this machine from ``facts``."""
    root = facts.root
    variants = sorted({state.variant for state in facts.images})
    held = {s.ref: {"id": s.image_id, "size_mb": s.size_mb} for s in facts.images if s.image_id}
    ids = {str(entry["id"]) for entry in held.values()}
    runs = outcome.last_runs(root, variants)
    runner = {
        "runner": runner_name(),
        "written": facts.generated,
        "engine_problem": facts.engine_problem,
        "engine": held,
        "results": {kind: {variant: run for variant, run in runstore.load(root, kind).items()
                           if variant in variants} for kind in KINDS},
        "layers": {i: rows for i, rows in layers_mod.load(root).items() if i in ids},
        "runs": runs,
    }
    return {"format": FORMAT, "revision": facts.revision.sha if facts.revision else "",
            "runners": [runner]}


def write(data: dict[str, Any], out: Path) -> Path:
    """Write an evidence file into the report folder ``out``."""
    path = out / NAME
    fsio.write_json(path, data, indent=1, sort_keys=True)
    return path


def read(paths: Sequence[str | Path], revision: str) -> dict[str, Any]:
    """Return the evidence files at ``paths`` (files, or report folders) as one.

    Raises InputError naming the file when one cannot be read, is not an
    evidence file, or was written at another commit than ``revision`` (this
    checkout's): results of other sources are no evidence for these.
    """
    if not paths:
        msg = "--merge names no evidence file"
        raise InputError(msg, hint="e.g. --merge reports-*/")
    runners: list[dict[str, Any]] = []
    for given in paths:
        path = Path(given) / NAME if Path(given).is_dir() else Path(given)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            msg = f"{path}: cannot be read ({exc.strerror or exc})"
            raise InputError(msg, hint="give each runner's report folder or its evidence.json"
                             ) from None
        except ValueError as exc:
            msg = f"{path}: not JSON ({exc})"
            raise InputError(msg, hint="give the evidence.json a report wrote") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(
                data.get("runners"), list):
            msg = f"{path}: not a report's evidence file (format {FORMAT!r} expected)"
            raise InputError(msg, hint="give the evidence.json a report wrote")
        written_at = str(data.get("revision") or "")
        if revision and written_at != revision:
            msg = (f"{path}: written at commit {written_at[:12] or 'unknown'}, this checkout is"
                   f" {revision[:12]}")
            raise InputError(msg, hint="merge only the evidence of runners of the same commit")
        runners += [(path, runner) for runner in data["runners"] if isinstance(runner, dict)]
    return {"format": FORMAT, "revision": revision, "runners": runners}


@dataclasses.dataclass(frozen=True, slots=True)
class _Runner:
    name: str
    written: str
    problem: str
    engine: dict[str, Any]
    built: dict[str, dict[str, Any]]
    tested: dict[str, list[Any]]


def _runners(evidence: dict[str, Any]) -> list[_Runner]:
    """Decode each runner's results (a bad entry is left out with a warning naming the file)."""
    found = []
    for path, runner in evidence["runners"]:
        name = str(runner.get("runner") or path)
        results = runner.get("results") if isinstance(runner.get("results"), dict) else {}
        parsed = {kind: runstore.parse(results.get(kind) if isinstance(results.get(kind), dict)
                                       else {}, f"{path} ({name})", kind) for kind in KINDS}
        engine = runner.get("engine") if isinstance(runner.get("engine"), dict) else {}
        found.append(_Runner(
            name=name, written=str(runner.get("written", "")),
            problem=str(runner.get("engine_problem") or ""), engine=engine,
            built={v: {r.subject: r for r in rs} for v, rs in parsed["build"].items()},
            tested=parsed["image-test"]))
    return found


def _rank(state: ImageState) -> int:
    """Return how bad a runner's results for one image are: 0 a failure ... 3 all passed."""
    records = [r for r in (state.build, *state.tests) if r is not None]
    if any(r.failed for r in records):
        return 0
    if any(r.status is Status.STALE for r in records):
        return 1
    return 2 if not state.tests else 3


def merged(evidence: dict[str, Any], manifest: Manifest,
           cells: Sequence[tuple[str, str]]) -> Merged:
    """Return the images of ``cells`` as the runners' evidence has them, each from one runner."""
    runners = sorted(_runners(evidence), key=lambda r: r.written, reverse=True)
    states = []
    for python, platform in cells:
        variant = tags.variant(python, platform)
        for image in manifest.images():
            ref = tags.variant_tag(image.image, python, platform)
            candidates = []
            for runner in runners:
                held = runner.engine.get(ref) if isinstance(runner.engine.get(ref), dict) else {}
                size = held.get("size_mb")
                candidates.append(state_of(
                    image.name, image.image, variant, ref, runner.built.get(variant, {}),
                    runner.tested.get(variant, []), image_id=held.get("id") or None,
                    size_mb=float(size) if isinstance(size, (int, float)) else None,
                    problem=runner.problem, source=runner.name))
            with_results = [c for c in candidates if c.build or c.tests]
            present = [c for c in candidates if c.image_id]
            if with_results:
                states.append(min(with_results, key=_rank))  # min is stable: newest first
            elif present:
                states.append(present[0])
            else:
                states.append(ImageState(name=image.name, variant=variant, ref=ref,
                                         image_id=None, size_mb=None, build=None, tests=()))
    layers: dict[str, list[tuple[str, int]]] = {}
    runs: dict[str, dict[str, Any]] = {}
    for _, runner in evidence["runners"]:  # pictures only: a later file's entry wins
        for image_id, rows in dict(runner.get("layers") or {}).items():
            try:
                layers[str(image_id)] = [(str(instr), int(size)) for instr, size in rows]
            except (TypeError, ValueError):
                continue
        for variant, metadata in dict(runner.get("runs") or {}).items():
            runs.setdefault(variant, {}).update(metadata if isinstance(metadata, dict) else {})
    sources = tuple(f"{r.name}: {r.written}" for r in runners)
    return Merged(images=tuple(states), sources=sources, layers=layers, runs=runs)


def to_file(evidence: dict[str, Any]) -> dict[str, Any]:
    """Return merged ``evidence`` as an evidence file (the runners it read, as they were)."""
    return {**evidence, "runners": [runner for _, runner in evidence["runners"]]}
