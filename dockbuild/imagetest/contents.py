"""image-test's checks on what an image holds: its SBOM is made and valid, no forbidden package.

The SBOM (dockbuild.contents) is made once per image id and written to
reports/sbom/. ``forbidden_packages`` in the manifest names packages, Debian or
Python, that an image must not hold; a base's list holds for every image built
on it, and a finding names the package, its version and the manifest line that
forbids it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dockbuild.contents import store
from dockbuild.contents.packages import Package
from dockbuild.contents.sbom import InvalidSbom
from dockbuild.errors import Location
from dockbuild.evidence import Evidence
from dockbuild.imagetest.results import FAIL, PASS, outcome, timed
from dockbuild.inputs.manifest import Image, Manifest

REQUIREMENTS = {
    "image.sbom": ("이미지의 SBOM(CycloneDX)이 만들어지고 스키마에 맞는다",
                   "the image's SBOM (CycloneDX) is made and validates"),
    "image.forbidden-packages": ("매니페스트가 금지한 패키지가 없다",
                                 "no package the manifest forbids is installed"),
}
_KINDS = {"deb": ("Debian", "Debian"), "pypi": ("Python", "Python")}


def forbidden(manifest: Manifest, name: str) -> list[tuple[str, Image]]:
    """Return each package the image ``name`` must not hold, with the entry that forbids it.

    The image's own list, then its parent's, up to the base.
    """
    found: list[tuple[str, Image]] = []
    image: Image | None = manifest.get(name)
    while image is not None:
        found += [(package, image) for package in image.forbidden_packages]
        image = manifest.get(image.parent) if image.parent else None
    return found


def check(manifest: Manifest, image: Image, ref: str, variant: str, info: Mapping[str, Any],
          labels: Mapping[str, str], say: Callable[[str], None]) -> list[Evidence]:
    """Return the SBOM record of one image and, when the manifest forbids any, its policy record."""
    where = Location(manifest.path, image.where.line)
    with timed() as took:
        try:
            _, found = store.for_image(manifest.root, ref, info, variant, labels=labels,
                                       say=say)
        except InvalidSbom as exc:
            return [outcome(check="image.sbom", name="sbom", image=ref, variant=variant,
                            status=FAIL, message=exc.message, where=where,
                            requirement=REQUIREMENTS["image.sbom"])]
    counts = {kind: sum(p.kind == kind for p in found) for kind in _KINDS}
    shown = store.published(manifest.root, image.image, variant).relative_to(manifest.root)
    results = [outcome(
        check="image.sbom", name="sbom", image=ref, variant=variant, status=PASS,
        message=f"SBOM of {counts['deb']} Debian packages and {counts['pypi']} Python"
                f" distributions: {shown}",
        message_ko=f"SBOM: Debian 패키지 {counts['deb']}개, Python 배포판 {counts['pypi']}개"
                   f" (`{shown}`)",
        where=where, requirement=REQUIREMENTS["image.sbom"], duration_s=took.seconds,
        measures=(("deb_packages", float(counts["deb"])),
                  ("python_distributions", float(counts["pypi"]))))]
    rules = forbidden(manifest, image.name)
    if rules:
        results.append(_policy(manifest, image, ref, variant, found, rules))
    return results


def _policy(manifest: Manifest, image: Image, ref: str, variant: str, found: list[Package],
            rules: list[tuple[str, Image]]) -> Evidence:
    by_name: dict[str, list[Package]] = {}
    for package in found:
        by_name.setdefault(package.name.lower(), []).append(package)
    hits = [(package, entry) for name, entry in rules for package in by_name.get(name.lower(), [])]
    entry = hits[0][1] if hits else rules[0][1]
    line = entry.line_of("forbidden_packages") or entry.where.line
    where = Location(manifest.path, line)
    if not hits:
        names = ", ".join(name for name, _ in rules)
        return outcome(check="image.forbidden-packages", name="forbidden-packages", image=ref,
                       variant=variant, status=PASS, where=where,
                       requirement=REQUIREMENTS["image.forbidden-packages"],
                       message=f"none of the {len(rules)} forbidden packages is installed"
                               f" ({names})",
                       message_ko=f"금지 패키지 {len(rules)}개 모두 없음 ({names})")
    listed = [(f"{p.name} {p.version} ({_KINDS[p.kind][0]})",
               f"forbidden by {e.name}" + ("" if e is image else ", inherited"))
              for p, e in hits]
    return outcome(
        check="image.forbidden-packages", name="forbidden-packages", image=ref, variant=variant,
        status=FAIL, where=where, requirement=REQUIREMENTS["image.forbidden-packages"],
        message="forbidden package installed: " + "; ".join(f"{a} ({b})" for a, b in listed),
        message_ko="금지 패키지 설치됨: " + "; ".join(
            f"`{p.name}` {p.version} ({_KINDS[p.kind][1]}, {e.name}"
            + ("" if e is image else ", 상속") + "에서 금지)" for p, e in hits))
