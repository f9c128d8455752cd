"""Lint every image of the manifest: replay the last run when nothing it read changed.

The replay check reads only bytes and folder listings, so this module imports
neither the manifest's YAML nor BuildKit's parser nor the rules: those load
(from fullrun.py) only when something changed and the images are checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dockbuild.inputs.manifest_file import MANIFEST
from dockbuild.lint import config as lintconfig
from dockbuild.lint import hadolint
from dockbuild.lint import replay as lintreplay
from dockbuild.lint.cache import LintCache, code_fingerprint
from dockbuild.lint.result import LintResult

if TYPE_CHECKING:
    from dockbuild.inputs.manifest import Manifest
    from dockbuild.lint.rules.base import Rule

__all__ = ["LintResult", "run"]


def replay_key(root: Path, *, with_hadolint: bool = True) -> list[str | bytes]:
    """Return what a run is replayed by: the code, the lint config, hadolint's binary, the
    manifest's bytes (the Dockerfiles and contexts are compared by the replay itself)."""
    signature = hadolint.signature(hadolint.binary()) if with_hadolint else "-"
    try:
        manifest = (root / MANIFEST).read_bytes()
    except OSError:
        manifest = b""
    return [code_fingerprint(), lintconfig.digest_of(root), signature, manifest]


def run(
    root: Path,
    *,
    use_cache: bool = True,
    rules: Sequence[Rule] | None = None,
    with_hadolint: bool = True,
    manifest: Manifest | None = None,
) -> LintResult:
    """Lint the repository at ``root``.

    ``rules`` and ``with_hadolint`` narrow a run (the rule fixtures test one
    rule at a time); a narrowed run neither reads nor writes the cache.
    ``manifest``, when the caller has loaded it already, is not read again.
    """
    narrowed = rules is not None or not with_hadolint
    cache = LintCache(root, enabled=not narrowed, reads=use_cache)
    parts = replay_key(root, with_hadolint=with_hadolint)
    last = lintreplay.replay(root, cache, parts)
    if last is not None:
        return LintResult(last["load"], tools=last["tools"],
                          stats={**last["stats"], "replayed": 1}, errors=last["errors"],
                          unusable=last["unusable_records"],
                          outputs=last["outputs"], remember=last["remember"])
    from dockbuild.lint.fullrun import FullRun
    from dockbuild.lint.rules import ALL_RULES

    return FullRun(root, cache, tuple(ALL_RULES if rules is None else rules), with_hadolint,
                   manifest).go(parts)
