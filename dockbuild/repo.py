"""The repository one command works on: found once, its manifest loaded at most once."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from dockbuild.errors import InputError
from dockbuild.inputs.manifest_file import MANIFEST, find_root

if TYPE_CHECKING:
    from dockbuild.inputs import manifest as manifest_mod
    from dockbuild.lint.run import LintResult


def resolve_root(root: Path | str | None) -> Path:
    """Return the repository to work on: ``root`` when given, else found from the cwd."""
    if root is None:
        return find_root()
    root = Path(root).resolve()
    if not (root / MANIFEST).is_file():
        msg = f"--root {root} holds no {MANIFEST}"
        raise InputError(msg, hint="point --root at the repository's top folder")
    return root


@dataclasses.dataclass(slots=True)
class Repo:
    """One command's repository, resolved once; its manifest, loaded at most once."""

    root: Path
    manifest: manifest_mod.Manifest | None = None
    lint: LintResult | None = None  # what verify's lint step found, for its report
    since: str = ""  # when verify began: its report counts only results from then on
    coverage: tuple[bool, str] | None = None  # what the last report found verified, and its line

    def load(self) -> manifest_mod.Manifest:
        """Return the manifest, reading it on first use."""
        if self.manifest is None:
            from dockbuild.inputs import manifest as manifest_mod  # YAML: only when needed

            self.manifest = manifest_mod.load(self.root)
        return self.manifest


#: What a verb accepts as its repository: a folder, None (found from the cwd), or a Repo.
Root = Path | str | Repo | None


def of(root: Root) -> Repo:
    """Return ``root`` as a Repo, so verify's steps share one resolve and one manifest load."""
    return root if isinstance(root, Repo) else Repo(resolve_root(root))
