"""One image's packages as a CycloneDX SBOM (JSON, spec 1.6), and back.

Made with cyclonedx-python-lib and checked against the CycloneDX schema that
library ships before it is written: a document that does not validate is an
error, never a file. The document describes the image (a ``container``
component named by its tag, versioned by its image id, with its variant and
digest as properties) and lists every package with a package URL:
``pkg:deb/debian/ffmpeg@7:5.1.9-0+deb12u1?arch=amd64``, ``pkg:pypi/django@5.2.19``.
Its serial number is derived from the image id and its timestamp is the
image's creation time, so the same image always gives the same document.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Any

from dockbuild.contents.packages import Package
from dockbuild.errors import DockbuildError

SPEC = "1.6"
_NAMESPACE = uuid.UUID("0f1d5a3c-6b0e-4c55-9a52-0e3c1f6d2b71")  # this project's, for uuid5
PROPERTY = "dockbuild:"


class InvalidSbom(DockbuildError):
    """The SBOM made for an image does not validate against the CycloneDX schema."""

    exit_code = 1


def purl(package: Package) -> Any:
    """Return the package URL of ``package`` (a ``PackageURL``; ``str()`` gives its text)."""
    from packageurl import PackageURL

    if package.kind == "deb":
        qualifiers = {"arch": package.arch} if package.arch else {}
        return PackageURL(type="deb", namespace="debian", name=package.name,
                          version=package.version, qualifiers=qualifiers)
    return PackageURL(type="pypi", name=package.name.lower().replace("_", "-"),
                      version=package.version)


def document(packages: Sequence[Package], *, ref: str, image_id: str, variant: str,
             digest: str = "", created: str = "") -> str:
    """Return the CycloneDX JSON of one image's ``packages``, validated against the schema."""
    from cyclonedx.model import Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot6

    image = Component(type=ComponentType.CONTAINER, name=ref, version=image_id,
                      bom_ref=image_id, properties=[
                          Property(name=f"{PROPERTY}image-id", value=image_id),
                          Property(name=f"{PROPERTY}variant", value=variant),
                          *([Property(name=f"{PROPERTY}digest", value=digest)] if digest else []),
                      ])
    parts = []
    for package in sorted(set(packages)):
        properties = [Property(name=f"{PROPERTY}kind", value=package.kind)]
        if package.origin:
            field = "source" if package.kind == "deb" else "location"
            properties.append(Property(name=f"{PROPERTY}{field}", value=package.origin))
        parts.append(Component(
            type=ComponentType.APPLICATION if package.kind == "deb" else ComponentType.LIBRARY,
            name=package.name, version=package.version, bom_ref=str(purl(package)),
            purl=purl(package), properties=properties))
    bom = Bom(serial_number=uuid.uuid5(_NAMESPACE, image_id), components=parts,
              metadata=BomMetaData(component=image, timestamp=_time(created)))
    bom.register_dependency(image, parts)
    text = JsonV1Dot6(bom).output_as_string(indent=1)
    validate(text, f"the SBOM of {ref} ({image_id[:19]})")
    return text


def _time(created: str) -> dt.datetime:
    """Return the engine's creation time (``2026-12-01T14:02:11.123456789Z``) to the second."""
    try:
        return dt.datetime.fromisoformat(created[:19]).replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def validate(text: str, what: str) -> None:
    """Raise InvalidSbom naming ``what`` and the first schema error, unless ``text`` validates."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        msg = f"{what} does not validate against the CycloneDX {SPEC} schema: {error}"
        raise InvalidSbom(msg, hint="this is a bug in dockbuild: please report it")


def packages_of(text: str) -> list[Package]:
    """Return the packages an SBOM this module wrote lists (its own properties read back)."""
    data = json.loads(text)
    found = []
    for component in data.get("components") or []:
        props = {p["name"].removeprefix(PROPERTY): p["value"]
                 for p in component.get("properties") or [] if "name" in p and "value" in p}
        kind = props.get("kind", "")
        arch = ""
        if kind == "deb":
            from packageurl import PackageURL

            arch = PackageURL.from_string(component["purl"]).qualifiers.get("arch", "")
        found.append(Package(kind, component["name"], component.get("version", ""), arch,
                             props.get("source") or props.get("location") or ""))
    return sorted(found)


def image_of(text: str) -> dict[str, str]:
    """Return what an SBOM says of its image: ref, image id, variant, digest."""
    data = json.loads(text)
    component = (data.get("metadata") or {}).get("component") or {}
    props = {p["name"].removeprefix(PROPERTY): p["value"]
             for p in component.get("properties") or [] if "name" in p and "value" in p}
    return {"ref": component.get("name", ""), "image_id": props.get("image-id", ""),
            "variant": props.get("variant", ""), "digest": props.get("digest", "")}
