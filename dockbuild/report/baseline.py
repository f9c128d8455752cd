"""What changed since the last verified state: the baseline, chosen and compared.

The report's section 5 ("CMD·진입점·상수 ... 변경 여부") compares every image's
interface (report.interfaces: the manifest's command, ports and constants, and
the Dockerfiles' final CMD, ENTRYPOINT, EXPOSE, USER, WORKDIR) with a baseline:
``--baseline REF``, else the last verified state (report.verified), else the
images promoted to ``:latest`` (their OCI revision label, read through git),
else the merge base with main when it is not HEAD itself, else none. A baseline
at this same revision, with a clean tree, claims nothing: "no change" would be
a tautology.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dockbuild import gitinfo
from dockbuild.engine import images as engine_images
from dockbuild.engine import rawapi, tags
from dockbuild.errors import InputError
from dockbuild.report import verified
from dockbuild.report.interfaces import Interface, of_tree

ENGINE_TIMEOUT_S = 2.0


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One field of one image that differs from the baseline, and where each side was read."""

    image: str
    field: str
    old: str
    new: str
    old_where: str = ""
    new_where: str = ""
    inherited: bool = False

    def short(self) -> tuple[str, str]:
        """Return old and new, cut to the words that differ when a long command changed one."""
        old, new = self.old.split(), self.new.split()
        if len(old) == len(new) > 1:
            pairs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
            if len(pairs) == 1:
                return pairs[0]
        return self.old, self.new


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Baseline:
    """What the report compares with: its kind, revision, time, and the interfaces it held."""

    kind: str  # verified, promoted, ref, merge-base or none
    label: str
    interfaces: dict[str, Interface] | None = None
    revision: str | None = None
    time: str | None = None
    same_revision: bool = False
    problem: str = ""
    label_ko: str = ""  # the Korean report's wording of label and problem
    problem_ko: str = ""

    def label_in(self, lang: str) -> str:
        """Return the label in ``lang`` (ko or en)."""
        return self.label_ko if lang == "ko" and self.label_ko else self.label

    def problem_in(self, lang: str) -> str:
        """Return the problem in ``lang`` (ko or en)."""
        return self.problem_ko if lang == "ko" and self.problem_ko else self.problem

    @property
    def short(self) -> str:
        """Return the baseline's abbreviated revision ("" when it has none)."""
        return (self.revision or "")[:7]

    @property
    def comparable(self) -> bool:
        """Return whether a change (or its absence) can be claimed against this baseline."""
        return self.interfaces is not None and not self.same_revision

    def to_dict(self) -> dict[str, Any]:
        """Return the summary results.json keeps (without the interfaces)."""
        return {"kind": self.kind, "label": self.label, "revision": self.revision,
                "time": self.time, "same_revision": self.same_revision, "problem": self.problem}


@dataclasses.dataclass(frozen=True, slots=True)
class ImageChanges:
    """One image as it is now, and its changes against the baseline (none when not comparable)."""

    interface: Interface
    changes: tuple[Change, ...]


def compare(now: Mapping[str, Interface], then: Mapping[str, Interface]) -> list[Change]:
    """Return every field that differs, images added or removed included."""
    changes: list[Change] = []
    for name, current in now.items():
        old = then.get(name)
        if old is None:
            changes.append(Change(image=name, field="image", old="(absent)", new="added"))
            continue
        names = dict.fromkeys(f.name for f in (*current.fields, *old.fields))
        for field in names:
            before, after = old.field(field), current.field(field)
            if old.value(field) == current.value(field):
                continue
            changes.append(Change(
                image=name, field=field, old=old.value(field), new=current.value(field),
                old_where=before.where if before else "", new_where=after.where if after else "",
                inherited=bool((after or before) and (after or before).inherited)))
    changes += [Change(image=name, field="image", old="present", new="(removed)")
                for name in then if name not in now]
    return changes


def against(now: Mapping[str, Interface], base: Baseline) -> dict[str, ImageChanges]:
    """Return, per image, its interface now and its changes (old -> new) against ``base``."""
    then = base.interfaces if base.comparable and base.interfaces is not None else None
    found = compare(now, then) if then is not None else []
    return {name: ImageChanges(interface, tuple(c for c in found if c.image == name))
            for name, interface in now.items()}


def at_ref(root: Path, ref: str, *, kind: str = "ref") -> Baseline:
    """Read the manifest and Dockerfiles as they were at git ``ref``."""
    if not gitinfo.is_commit(root, ref):
        msg = f"--baseline {ref!r} is not a commit of this repository"
        raise InputError(msg, hint="give a branch, tag or commit, e.g. --baseline main")
    sha = gitinfo.rev_parse(root, ref) or ref
    label = f"git `{ref}` ({sha[:7]})" if not sha.startswith(ref) else f"git {sha[:7]}"
    label_ko = label
    if kind == "merge-base":
        label, label_ko = f"merge base with main ({sha[:7]})", f"main과의 병합 기준 ({sha[:7]})"
    try:
        found = of_tree(lambda path: gitinfo.show(root, sha, Path(path)))
    except ValueError as exc:
        return Baseline(kind=kind, label=label, label_ko=label_ko, revision=sha,
                        problem=f"at {sha[:7]}: {exc}",
                        problem_ko=f"{sha[:7]}의 파일을 읽을 수 없음: `{exc}`")
    return Baseline(kind=kind, label=label, label_ko=label_ko, interfaces=found, revision=sha)


def promoted(root: Path, images: Sequence[tuple[str, str]]) -> Baseline | None:
    """Return the interfaces of the images tagged ``:latest``, at their OCI revision labels.

    ``images`` pairs each image's manifest name with its repository. None when no
    engine answers over the raw API within the timeout, or no image carries a revision.
    """
    revisions: dict[str, str] = {}
    created = ""
    for name, repository in images:
        try:
            info = engine_images.inspect(tags.latest_tag(repository), timeout=ENGINE_TIMEOUT_S,
                                         sdk=False)
        except rawapi.Unreachable:
            return None
        labels = engine_images.labels(info)
        revision = labels.get(f"{tags.OCI}.revision", "")
        if revision and gitinfo.is_commit(root, revision):
            revisions[name] = revision
            created = max(created, labels.get(f"{tags.OCI}.created", ""))
    if not revisions:
        return None
    found: dict[str, Interface] = {}
    for revision in dict.fromkeys(revisions.values()):
        try:
            tree = of_tree(lambda path, r=revision: gitinfo.show(root, r, Path(path)))
        except ValueError:
            continue
        found.update({n: tree[n] for n, r in revisions.items() if r == revision and n in tree})
    shown = sorted({r[:7] for r in revisions.values()})
    return Baseline(kind="promoted", label=f"promoted :latest ({', '.join(shown)})",
                    label_ko=f"`:latest`로 승격된 이미지 ({', '.join(shown)})", interfaces=found,
                    revision=next(iter(revisions.values())) if len(shown) == 1 else None,
                    time=created or None)


def choose(root: Path, ref: str | None, images: Sequence[tuple[str, str]]) -> Baseline:
    """Return ``ref``, else the verified state, else :latest, else the merge base, else none."""
    current = gitinfo.revision(root)
    if ref:
        return settle(at_ref(root, ref), current)
    found = verified.load(root)
    if found is not None:
        interfaces, revision, time, dirty = found
        label = f"last verified state ({(revision or '?')[:7]}, {time})"
        base = Baseline(kind="verified", label=label, interfaces=interfaces,
                        label_ko=f"마지막 검증 상태 ({(revision or '?')[:7]}, {time})",
                        revision=revision, time=time)
        return settle(base, current, dirty_then=dirty)
    found_promoted = promoted(root, images)
    if found_promoted is not None:
        return settle(found_promoted, current)
    merge = gitinfo.merge_base(root, "main")
    if merge and current and (merge != current.sha or current.dirty):
        return settle(at_ref(root, merge, kind="merge-base"), current)
    if current:
        problem = ("no verified state (run `inv verify`), no image promoted to :latest, and the"
                   " merge base with main is this revision")
        problem_ko = ("검증 상태 없음(`inv verify` 실행), `:latest`로 승격된 이미지 없음,"
                      " main과의 병합 기준이 현재 리비전")
    else:
        problem, problem_ko = "not a git repository", "git 저장소가 아님"
    return Baseline(kind="none", label="none", label_ko="없음", problem=problem,
                    problem_ko=problem_ko)


def settle(base: Baseline, current: gitinfo.Revision | None, *, dirty_then: bool = False
           ) -> Baseline:
    """Mark ``base`` as the same revision when it is HEAD and neither side had uncommitted edits."""
    same = bool(current and base.revision == current.sha and not current.dirty and not dirty_then)
    return dataclasses.replace(base, same_revision=same)
