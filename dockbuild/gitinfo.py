"""The only module that asks git: the revision, a ref's files, the OCI source labels.

Every question answers None (or a fallback) outside a git checkout or without
git installed: the build and the report work on an exported tree too.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dockbuild import proc
from dockbuild.errors import CommandFailed, EnvironmentProblem


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """The git revision a report describes."""

    sha: str
    branch: str
    dirty: bool

    @property
    def short(self) -> str:
        """Return the abbreviated sha."""
        return self.sha[:12]


def _git(root: Path, *args: str) -> str | None:
    """Return git's output in ``root``, or None when git is missing or the command failed."""
    try:
        return proc.run(["git", *args], cwd=root).stdout
    except (CommandFailed, EnvironmentProblem):
        return None


def _line(root: Path, *args: str) -> str | None:
    """Return git's one-line answer, stripped; None when it failed or said nothing."""
    return (_git(root, *args) or "").strip() or None


def head(root: Path) -> str | None:
    """Return the sha of HEAD, or None outside git."""
    return _line(root, "rev-parse", "HEAD")


def revision(root: Path) -> Revision | None:
    """Return HEAD's sha, branch and whether the work tree differs from it; None outside git."""
    sha = head(root)
    branch = _line(root, "rev-parse", "--abbrev-ref", "HEAD")
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    if sha is None or branch is None or status is None:
        return None
    return Revision(sha=sha, branch=branch, dirty=bool(status.strip()))


def merge_base(root: Path, other: str) -> str | None:
    """Return the merge base of HEAD with ``other``, or None when there is none."""
    return _line(root, "merge-base", "HEAD", other)


def is_commit(root: Path, ref: str) -> bool:
    """Return whether ``ref`` names a commit of the repository at ``root``."""
    return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is not None


def rev_parse(root: Path, ref: str) -> str | None:
    """Return the full sha of the commit ``ref`` names, or None when it names none."""
    return _line(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")


def show(root: Path, ref: str, path: Path) -> str | None:
    """Return the text of ``path`` at ``ref``, or None when it did not exist there."""
    return _git(root, "show", f"{ref}:{path.as_posix()}")


def changed_since(root: Path, ref: str) -> set[str] | None:
    """Return the paths that differ between ``ref`` and the work tree, untracked files included.

    None when ``ref`` names no commit (or outside git).
    """
    if not is_commit(root, ref):
        return None
    changed = _git(root, "diff", "--name-only", "--no-renames", ref, "--")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard")
    if changed is None or untracked is None:
        return None
    return {line for line in (changed + untracked).splitlines() if line}


def oci_meta(root: Path) -> dict[str, str]:
    """Return the OCI revision, version and source of the working tree (empty-safe)."""
    sha = head(root) or "unknown"
    version = _line(root, "describe", "--tags", "--always", "--dirty") or sha[:12]
    source = _line(root, "config", "--get", "remote.origin.url") or "unknown"
    return {"revision": sha, "version": version, "source": source}
