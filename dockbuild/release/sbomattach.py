"""Each pushed image's SBOM beside it in the registry: an OCI artifact whose subject is the image.

Pushed with oras (the OCI artifact client), as the tag ``sha256-<hex>.sbom`` of
the image's repository (the tag scheme cosign and others use for an image's
attachments, so a registry without the OCI 1.1 referrers API still finds it by
the image's digest), with ``subject`` naming the image's manifest (so a
registry with that API lists it among the image's referrers) and the SBOM as
its one layer, ``application/vnd.cyclonedx+json``.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from dockbuild.engine import registry
from dockbuild.errors import ChecksFailed

MEDIA_TYPE = "application/vnd.cyclonedx+json"
FILE = "sbom.cdx.json"


def reference(image: registry.Reference, digest: str) -> registry.Reference:
    """Return where the SBOM of the image ``digest`` in ``image``'s repository goes (pure)."""
    return registry.Reference(image.host, image.repository, f"{digest.replace(':', '-')}.sbom")


def attach(image: registry.Reference, subject: registry.Descriptor, text: str) -> str:
    """Push ``text`` (an SBOM) as the artifact of the image ``subject``; return its reference."""
    from oras.oci import Subject
    from oras.provider import Registry

    logging.getLogger("oras").setLevel(logging.WARNING)  # its "Successfully pushed" is ours to say
    target = reference(image, subject.digest)
    plain = registry.base_url(image.host).startswith("http:")
    client = Registry(hostname=image.host, insecure=plain)
    with tempfile.TemporaryDirectory(prefix="dockbuild-sbom-") as temp:
        path = Path(temp) / FILE
        path.write_text(text, encoding="utf-8")
        config = Path(temp) / "config.json"
        config.write_text("{}", encoding="utf-8")
        try:
            client.push(str(target), files=[f"{path}:{MEDIA_TYPE}"],
                        manifest_config=f"{config}:{MEDIA_TYPE}", disable_path_validation=True,
                        subject=Subject(mediaType=subject.media_type, digest=subject.digest,
                                        size=subject.size), quiet=True)
        except Exception as exc:  # requests' and oras' own errors, each a failed push
            msg = f"the SBOM of {image} could not be pushed to {target}: {exc}"
            raise ChecksFailed(msg) from None
    return str(target)
