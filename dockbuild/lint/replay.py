"""The whole-run cache: replay the last run when none of its inputs changed.

A run's inputs are the manifest, every Dockerfile it names, the lint config,
the code and hadolint's binary, and the listing of each build context (the
entries of every folder its walk entered: a file added or removed that
.dockerignore keeps changes it). When all are as they were, the stored records are the answer, and
nothing is parsed, walked or run.
"""

from __future__ import annotations

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


def replay(root: Path, cache: LintCache, parts: list[str | bytes]) -> dict[str, Any] | None:
    """Return the last run's summary when its inputs are unchanged (records load on demand)."""
    key = digest(str(root))
    last = cache.get("runs", key)
    if not last or last["inputs"] != _inputs(root, parts, last["files"]):
        return None
    if not _contexts_unchanged(root, last["contexts"]):
        return None

    def records() -> list[Evidence]:
        stored = cache.get("runs", f"{key}-records") or []
        return [Evidence.from_dict(r) for r in stored]

    def remember(outputs: dict[str, str]) -> None:
        cache.put("runs", key, {**last, "outputs": outputs})

    return {**last, "load": records, "remember": remember}


def save(root: Path, cache: LintCache, parts: list[str | bytes], files: list[str],
         contexts: dict[str, ContextIndex], outcome: dict[str, Any]) -> None:
    """Store a run: what it read, its records, and what the exit code depends on."""
    if not cache.enabled:
        return
    key = digest(str(root))
    listed = {folder: index.state() for folder, index in contexts.items()}
    records: list[Evidence] = outcome["records"]
    cache.put("runs", f"{key}-records", [r.to_dict() for r in records])
    failed = [r for r in records if r.failed]
    cache.put("runs", key, {
        "inputs": _inputs(root, parts, files), "files": files, "contexts": listed,
        "tools": outcome["tools"], "stats": outcome["stats"], "outputs": {},
        "errors": sum(r.severity.value == "error" for r in failed),
        "unusable": [r.to_dict() for r in failed if r.check == "DF001"],
    })


def context_index(root: Path, cache: LintCache, folder: str) -> ContextIndex:
    """Return a context's index, reusing the last walk when the context did not change."""
    key = digest("context", str(root), folder)
    stored = cache.get("context", key)
    if stored:
        probe = ContextIndex(root, folder, frozenset(stored["sent"]))
        if probe.unchanged(stored):
            return probe
    index = ContextIndex(root, folder)
    cache.put("context", key, {**index.state(), "sent": sorted(index.sent)})
    return index
