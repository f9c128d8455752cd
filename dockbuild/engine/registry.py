"""A registry's HTTP API (v2): image references, whether it answers, manifest digests.

Pushing layers is the engine's job (through the SDK), and joining platforms
into one index is buildx's (``imagetools create``); this module only asks the
registry what it holds. Loopback registries speak plain HTTP, as the engine
assumes for 127.0.0.0/8; every other host speaks HTTPS. No authentication.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.error
import urllib.request
from collections.abc import Mapping

from dockbuild.errors import ChecksFailed, EnvironmentProblem, InputError

MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
ACCEPT = ", ".join((MANIFEST_V2, OCI_MANIFEST, MANIFEST_LIST, OCI_INDEX))
TIMEOUT_S = 30.0
_HOST = re.compile(r"^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\]):[0-9]{1,5}$")
_REPOSITORY = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


@dataclasses.dataclass(frozen=True, slots=True)
class Reference:
    """``HOST:PORT/repository:tag``: one tag in one registry."""

    host: str
    repository: str
    tag: str

    def __str__(self) -> str:
        return f"{self.host}/{self.repository}:{self.tag}"

    @property
    def name(self) -> str:
        """Return the reference without its tag (what ``docker push`` calls the repository)."""
        return f"{self.host}/{self.repository}"


@dataclasses.dataclass(frozen=True, slots=True)
class Descriptor:
    """A manifest as the registry stores it, with the platform it runs on."""

    media_type: str
    digest: str
    size: int
    os: str = "linux"
    architecture: str = "amd64"
    variant: str = ""


def check_host(host: str) -> str:
    """Return ``host`` when it looks like ``HOST:PORT``; raise InputError (exit 2) otherwise."""
    if "/" in host or not _HOST.match(host):
        msg = f"--registry {host!r} is not HOST:PORT"
        raise InputError(msg, hint="for example --registry 127.0.0.1:5000")
    return host


def parse(ref: str) -> Reference:
    """Parse ``HOST:PORT/repository:tag`` (the host is required, the tag defaults to latest)."""
    host, slash, rest = ref.partition("/")
    if not slash:
        msg = f"{ref!r} names no registry host"
        raise InputError(msg, hint="write it as HOST:PORT/repository:tag")
    repository, colon, tag = rest.rpartition(":")
    if not colon or "/" in tag:
        repository, tag = rest, "latest"
    if not _REPOSITORY.match(repository) or not _TAG.match(tag):
        msg = f"{ref!r} is not a valid image reference"
        raise InputError(msg, hint="repository: lower case, digits, . _ - and /; tag: up to 128"
                         " letters, digits, . _ -")
    return Reference(check_host(host), repository, tag)


def reference(host: str, local_ref: str) -> Reference:
    """Return where the local image ``repository:tag`` goes in registry ``host``."""
    return parse(f"{check_host(host)}/{local_ref}")


def base_url(host: str) -> str:
    """Return the API root: plain HTTP for loopback registries, HTTPS for the rest."""
    name = host.rsplit(":", 1)[0]
    loopback = name in ("localhost", "[::1]") or name.startswith("127.")
    return f"{'http' if loopback else 'https'}://{host}/v2/"


def _request(method: str, url: str, *, headers: Mapping[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, Mapping[str, str], bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        host = urllib.request.urlparse(url).netloc
        reason = getattr(exc, "reason", exc)
        msg = f"registry {host} does not answer: {reason}"
        raise EnvironmentProblem(msg, hint="start it (or fix --registry) and retry") from None


def check(host: str) -> None:
    """Make sure a v2 registry answers at ``host`` (exit 2 with the fix otherwise)."""
    status, _headers, _body = _request("GET", base_url(check_host(host)))
    if status == 401:
        msg = f"registry {host} asks for credentials, which push does not send"
        raise EnvironmentProblem(msg, hint="use a registry without authentication, or a proxy"
                                 " that adds it")
    if status != 200:
        msg = f"{host} answered {status} to GET /v2/: not a registry speaking the v2 API"
        raise EnvironmentProblem(msg, hint="point --registry at a Docker registry's HOST:PORT")


def head_manifest(ref: Reference) -> Descriptor | None:
    """Return the manifest ``ref`` names (type, digest, size), or None when it has none."""
    url = f"{base_url(ref.host)}{ref.repository}/manifests/{ref.tag}"
    status, headers, _body = _request("HEAD", url, headers={"Accept": ACCEPT})
    if status == 404:
        return None
    if status != 200 or not headers.get("Docker-Content-Digest"):
        msg = f"registry answered {status} for the manifest of {ref}"
        raise ChecksFailed(msg)
    return Descriptor(media_type=headers.get("Content-Type", MANIFEST_V2).split(";")[0],
                      digest=headers["Docker-Content-Digest"],
                      size=int(headers.get("Content-Length", "0")))
