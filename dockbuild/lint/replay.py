"""The whole-run cache: replay the last run when none of its inputs changed.

A run's inputs are the manifest, every Dockerfile it names, the lint config,
the code and hadolint's binary, and the listing of each build context (the
entries of every folder its walk entered: a file added or removed that
.dockerignore keeps changes it). When all are as they were, the stored records are the answer, and
nothing is parsed, walked or run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockbuild.evidence import Evidence
from dockbuild.inputs.buildcontext import ContextIndex
from dockbuild.lint.cache import LintCache, digest


def _inputs(root: Path, parts: list[str | bytes], files: list[str]) -> str:
    everything = [str(root), *parts]
    for path in files:
        try:
            everything += [path, (root / path).read_bytes()]
        except OSError:
            everything += [path, b"\0missing"]
    return digest(*everything)


def _contexts_unchanged(root: Path, stored: dict[str, Any]) -> bool:
    for folder, entry in stored.items():
        index = ContextIndex(root, folder, frozenset())
        if not index.unchanged(entry):
            return False
    return True


#: The whole-run entry's fields and their types; an entry without them is a miss.
_RUN_FIELDS = {"inputs": str, "files": list, "contexts": dict, "tools": dict, "stats": dict,
               "outputs": dict, "errors": int, "unusable": list, "records": str}


def _still_valid(root: Path, parts: list[str | bytes], entry: Any) -> dict[str, Any] | None:
    """Return the stored run when its inputs are unchanged; raise on an entry of the wrong shape."""
    for field, kind in _RUN_FIELDS.items():
        if not isinstance(entry[field], kind):
            msg = f"{field} is not {kind.__name__}"
            raise TypeError(msg)
    if entry["inputs"] != _inputs(root, parts, [str(path) for path in entry["files"]]):
        return None
    if not _contexts_unchanged(root, entry["contexts"]):
        return None
    unusable = [Evidence.from_dict(r) for r in entry["unusable"]]
    return {**entry, "unusable_records": unusable}


def replay(root: Path, cache: LintCache, parts: list[str | bytes]) -> dict[str, Any] | None:
    """Return the last run's summary when its inputs are unchanged (records load on demand).

    The records file must hash to the digest the summary recorded, so a
    damaged or edited one is a miss (and the run that follows rewrites both).
    """
    key = digest(str(root))
    last = cache.read("runs", key, lambda entry: _still_valid(root, parts, entry))
    if last is None or not cache.sealed("runs", f"{key}-records", last["records"]):
        return None

    def records() -> list[Evidence]:
        stored = cache.read("runs", f"{key}-records",
                            lambda entry: [Evidence.from_dict(r) for r in entry])
        return stored or []

    def remember(outputs: dict[str, str]) -> None:
        kept = {k: v for k, v in last.items() if k != "unusable_records"}
        cache.put("runs", key, {**kept, "outputs": outputs})

    return {**last, "load": records, "remember": remember}


def save(root: Path, cache: LintCache, parts: list[str | bytes], files: list[str],
         contexts: dict[str, ContextIndex], outcome: dict[str, Any]
         ) -> Callable[[dict[str, str]], None] | None:
    """Store a run: what it read, its records (sealed by digest), what the exit code depends on.

    Returns how to add the outputs this run prints to the stored entry, so the
    next run replays them without loading a record (None when nothing is stored).
    """
    if not cache.enabled:
        return None
    key = digest(str(root))
    listed = {folder: index.state() for folder, index in contexts.items()}
    records: list[Evidence] = outcome["records"]
    sealed = cache.put("runs", f"{key}-records", [r.to_dict() for r in records])
    failed = [r for r in records if r.failed]
    entry = {
        "inputs": _inputs(root, parts, files), "files": files, "contexts": listed,
        "tools": outcome["tools"], "stats": outcome["stats"], "outputs": {},
        "errors": sum(r.severity.value == "error" for r in failed),
        "unusable": [r.to_dict() for r in failed if r.check == "DF001"], "records": sealed,
    }
    cache.put("runs", key, entry)
    return lambda outputs: cache.put("runs", key, {**entry, "outputs": outputs})


def context_index(root: Path, cache: LintCache, folder: str) -> ContextIndex:
    """Return a context's index, reusing the last walk when the context did not change."""
    key = digest("context", str(root), folder)

    def reuse(stored: Any) -> ContextIndex | None:
        probe = ContextIndex(root, folder, frozenset(str(path) for path in stored["sent"]))
        return probe if probe.unchanged(stored) else None

    probe = cache.read("context", key, reuse)
    if probe is not None:
        return probe
    index = ContextIndex(root, folder)
    cache.put("context", key, {**index.state(), "sent": sorted(index.sent)})
    return index
