"""What each image was last built from, so a stale one can say which input changed.

The input hash says only "same or not". Beside it, every build run keeps, per
variant, each image's parts as they were: every context file it read (kind,
mode, sha256), the parent reference and id. ``inv status`` compares them with
the parts now and names the difference: the Dockerfile, a context file added,
removed or edited, or the parent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from dockbuild import fsio
from dockbuild.build.plan import BuildStep


class Job(Protocol):
    """What this module reads of a build job (build.outcome.Job)."""

    step: BuildStep
    status: str
    inputs: str
    entries: dict[str, str]
    parent: tuple[str, str]


def path(root: Path, variant: str) -> Path:
    """Return the file that keeps one variant's last inputs."""
    return root / ".cache" / "build" / f"inputs-{variant}.json"


def load(root: Path, variant: str) -> dict[str, dict[str, Any]]:
    """Return image name -> its last inputs; {} when none or unreadable (then nothing is said)."""
    try:
        data = json.loads(path(root, variant).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): entry for name, entry in data.items()
            if isinstance(entry, dict) and isinstance(entry.get("files"), dict)}


def save(root: Path, variant: str, jobs: Iterable[Job]) -> None:
    """Merge the inputs of every image that is now current (built, or skipped as unchanged)."""
    known = load(root, variant)
    now = dict(known)
    for job in jobs:
        if job.status in ("built", "skipped") and job.inputs:
            now[job.step.name] = {"inputs": job.inputs, "files": job.entries,
                                  "parent": list(job.parent)}
    if now != known:  # a no-op build writes nothing
        fsio.write_json(path(root, variant), now, indent=1, sort_keys=True)


def changes(last: Mapping[str, Any] | None, job: Job) -> list[str]:
    """Return what differs between the image's last build and its inputs now (pure)."""
    if not last:
        return ["no record of what it was built from"]
    said = []
    dockerfile = job.step.dockerfile.as_posix()
    before: dict[str, str] = dict(last.get("files") or {})
    for name in sorted(set(before) | set(job.entries)):
        if before.get(name) == job.entries.get(name):
            continue
        what = "the Dockerfile" if name == dockerfile else name
        if name not in before:
            said.append(f"{what} is new to the build")
        elif name not in job.entries:
            said.append(f"{what} no longer reaches the build")
        else:
            said.append(f"{what} changed")
    parent_ref, parent_id = [*(last.get("parent") or []), "", ""][:2]
    if job.parent[1] and parent_id != job.parent[1]:
        said.append(f"parent {job.parent[0]} is another image ({parent_id[7:19] or '?'}"
                    f" -> {job.parent[1][7:19]})")
    elif job.parent[0] and parent_ref != job.parent[0]:
        said.append(f"parent reference {parent_ref} -> {job.parent[0]}")
    return said or ["the build recipe changed (platform, Python or this tool's hash version)"]
