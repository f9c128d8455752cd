"""What a change did to each image's contents: packages added, removed, changed; size by layer.

Beside section 5's "changed?" for commands and ports. The baseline is the last
verified state (report.verified keeps each verified image's id, size and
layers); both sides' packages come from the SBOMs kept by image id
(dockbuild.contents.store). A package change the parent image made shows once,
at the parent, and as "inherited" in each child; a rebuild whose contents did
not change says so. Without a baseline, or without an SBOM for either side, the
row says which is missing: never "unchanged".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from dockbuild.build import layers as layers_mod
from dockbuild.contents import sbom, store
from dockbuild.contents.packages import Package
from dockbuild.report import verified
from dockbuild.report.facts import Facts, ImageState, short_id
from dockbuild.report.phrases import cell, code, t

_MB = 1e6
_KIND = {"deb": "Debian", "pypi": "Python"}


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class Change:
    """One package that differs: ``+`` added, ``-`` removed, ``~`` another version."""

    kind: str
    sign: str
    name: str
    old: str = ""
    new: str = ""

    def text(self) -> str:
        """Return the change as the report shows it: ``+ffmpeg 7:5.1.9`` ..."""
        if self.sign == "+":
            return f"+{self.name} {self.new}"
        if self.sign == "-":
            return f"-{self.name} {self.old}"
        return f"{self.name} {self.old} → {self.new}"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ImageDiff:
    """One image x variant against its baseline."""

    name: str
    variant: str
    ref: str
    #: changed, unchanged, same-image, no-baseline, no-sbom, no-baseline-sbom
    state: str
    changes: tuple[Change, ...] = ()
    inherited: tuple[Change, ...] = ()
    parent: str = ""
    old_id: str = ""
    new_id: str = ""
    size_mb: tuple[float | None, float | None] = (None, None)
    layers: tuple[tuple[int, str, int, int], ...] = ()  # index, instruction, old, new bytes

    def to_dict(self) -> dict[str, Any]:
        """Return the diff as results.json carries it."""
        return {**dataclasses.asdict(self),
                "changes": [c.text() for c in self.changes],
                "inherited": [c.text() for c in self.inherited]}


def changes(old: Sequence[Package], new: Sequence[Package]) -> list[Change]:
    """Return what differs from ``old`` to ``new`` (pure)."""
    before = {p.key: p for p in old}
    after = {p.key: p for p in new}
    found = [Change(p.kind, "+", p.name, new=p.version)
             for key, p in after.items() if key not in before]
    found += [Change(p.kind, "-", p.name, old=p.version)
              for key, p in before.items() if key not in after]
    found += [Change(p.kind, "~", p.name, before[key].version, p.version)
              for key, p in after.items() if key in before and before[key].version != p.version]
    return sorted(found, key=lambda c: (c.kind, c.name.lower(), c.sign))


@dataclasses.dataclass(frozen=True, slots=True)
class Contents:
    """Every image x variant of one report against the last verified images (when, or "")."""

    images: tuple[ImageDiff, ...]
    when: str = ""


def of(facts: Facts) -> Contents:
    """Return every image x variant of the report against the last verified images."""
    kept = verified.images(facts.root)
    baseline = kept[0] if kept else None
    layers = layers_mod.load(facts.root) if facts.layers is None else facts.layers
    found: dict[str, ImageDiff] = {}
    for state in facts.images:
        found[state.ref] = _diff(facts, state, baseline, layers, found)
    return Contents(tuple(found.values()), kept[1] if kept else "")


def _diff(facts: Facts, state: ImageState, baseline: dict[str, dict[str, Any]] | None,
          layers: dict[str, list[tuple[str, int]]], done: dict[str, ImageDiff]) -> ImageDiff:
    image = facts.manifest.get(state.name)
    parent = ""
    if image.parent:  # the parent's tag of the same variant
        parent = f"{facts.manifest.get(image.parent).image}:{state.variant}"
    common = {"name": state.name, "variant": state.variant, "ref": state.ref, "parent": parent,
              "new_id": state.image_id or ""}
    if not state.image_id:
        return ImageDiff(state="no-image", **common)
    old = (baseline or {}).get(state.ref)
    if old is None:
        return ImageDiff(state="no-baseline", **common)
    common["old_id"] = str(old["id"])
    common["size_mb"] = (old.get("size_mb"), state.size_mb)
    if old.get("layers") and layers.get(state.image_id):  # unknown on either side: no claim
        common["layers"] = _layers(old["layers"], layers[state.image_id])
    if old["id"] == state.image_id:
        return ImageDiff(state="same-image", **common)
    new_text, old_text = store.load(facts.root, state.image_id), store.load(facts.root, old["id"])
    if new_text is None:
        return ImageDiff(state="no-sbom", **common)
    if old_text is None:
        return ImageDiff(state="no-baseline-sbom", **common)
    mine = changes(sbom.packages_of(old_text), sbom.packages_of(new_text))
    above = done.get(parent)
    from_parent = set(above.changes) | set(above.inherited) if above else set()
    own = tuple(c for c in mine if c not in from_parent)
    inherited = tuple(c for c in mine if c in from_parent)
    return ImageDiff(state="changed" if mine else "unchanged", changes=own,
                     inherited=inherited, **common)


def _layers(old: Sequence[Sequence[Any]], new: Sequence[Sequence[Any]]
            ) -> tuple[tuple[int, str, int, int], ...]:
    """Return the layers whose size changed by 0.1 MB or more, position by position."""
    grown = []
    for index in range(max(len(old), len(new))):
        before = int(old[index][1]) if index < len(old) else 0
        after = int(new[index][1]) if index < len(new) else 0
        instruction = str((new[index] if index < len(new) else old[index])[0])
        if abs(after - before) >= 0.1 * _MB:
            grown.append((index + 1, instruction, before, after))
    return tuple(grown)


def render(contents: Contents | None, lang: str) -> list[str]:
    """Return the content diff's lines for section 5: a heading line and one row per image."""
    if contents is None or not contents.images:
        return []
    lines = ["", f"**{t('contents_title', lang)}**"
             + (f" — {t('contents_baseline', lang, when=contents.when)}" if contents.when
                else ""), "",
             f"| {t('image', lang)} | {t('variant', lang)} | {t('contents_packages', lang)} |"
             f" {t('size', lang)} |", "|------|------|------|------|"]
    for diff in contents.images:
        lines.append(f"| {diff.name} | {diff.variant} | {_packages(diff, lang)} |"
                     f" {_size(diff)} |")
    return lines


def _packages(diff: ImageDiff, lang: str) -> str:
    if diff.state in ("changed", "unchanged"):
        parts = [cell(", ".join(code(c.text()) + f" ({_KIND[c.kind]})" for c in diff.changes))
                 ] if diff.changes else []
        if diff.inherited:
            parts.append(t("contents_inherited", lang, n=len(diff.inherited),
                           parent=diff.parent.partition(":")[0]))
        if not parts:
            parts.append("➖ " + t("contents_unchanged", lang, old=short_id(diff.old_id),
                                   new=short_id(diff.new_id)))
        return "<br>".join(parts)
    return "➖ " + t(f"contents_{diff.state.replace('-', '_')}", lang,
                     old=short_id(diff.old_id), new=short_id(diff.new_id))


def _size(diff: ImageDiff) -> str:
    old, new = diff.size_mb
    if old is None or new is None:
        return f"{new:.0f} MB" if new is not None else "-"
    shown = f"{new:.0f} MB ({new - old:+.1f} MB)"
    layers = [f"L{index} {cell(code(instruction[:40]))} {(after - before) / _MB:+.1f} MB"
              for index, instruction, before, after in diff.layers[:3]]
    return shown + ("<br>" + "<br>".join(layers) if layers else "")
