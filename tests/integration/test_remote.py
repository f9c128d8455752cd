"""Beyond one machine: push to a real registry, pull into a second engine, build there.

The registry (Debian's docker-registry) and the second dockerd run on
127.0.0.1 for this module only. The images pushed are the python 3.11 base and
api for both platforms (built and image-tested first; a no-op build when
current). The second engine builds through its own BuildKit (DOCKER_HOST names
it), importing the registry cache the first engine exported.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import remote_daemons

from dockbuild import commands
from dockbuild.engine import registry

PLATFORMS = ("linux/amd64", "linux/arm64")
COPIED = ("docker", "src", "apps", "libs", "scripts", "requirements", "manage.py",
          ".dockerignore")

pytestmark = [pytest.mark.docker, pytest.mark.registry]


@pytest.fixture(scope="module")
def registry_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with remote_daemons.registry(tmp_path_factory.mktemp("registry")) as host:
        yield host


@pytest.fixture(scope="module")
def second_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import docker

    folder = Path(tmp_path_factory.mktemp("engine2"))
    with remote_daemons.second_engine(folder) as address:
        client = docker.DockerClient(base_url=address, timeout=600, version="auto")
        client.address = address  # type: ignore[attr-defined]
        yield client
        client.close()


@pytest.fixture(scope="module")
def pushed(repo_root: Path, registry_host: str) -> dict[str, Any]:
    for platform in PLATFORMS:  # no-op when the images are current
        commands.build(repo_root, python="3.11", platform=platform, services=["api"])
        # push sends only images that passed image-test as they are now
        commands.image_test(repo_root, python="3.11", platform=platform,
                            services=["academy-base", "api"])
    started = time.monotonic()
    result = commands.push(repo_root, registry=registry_host, python="3.11", services=["api"])
    seconds = time.monotonic() - started
    print(f"\npush of base and api, 2 platforms, to {registry_host}: {seconds:.1f} s")
    return {str(item.ref): item for item in result}


def local_id(ref: str) -> str:
    import docker

    client = docker.from_env()
    try:
        return str(client.images.get(ref).id)
    finally:
        client.close()


def manifest_of(ref: registry.Reference) -> tuple[str, dict[str, Any]]:
    """Return the media type and the JSON of the manifest ``ref`` names, as a pull sees them."""
    url = f"{registry.base_url(ref.host)}{ref.repository}/manifests/{ref.tag}"
    request = urllib.request.Request(url, headers={"Accept": registry.ACCEPT})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("Content-Type", "").split(";")[0], json.load(response)


def test_push_puts_each_variant_and_one_index_with_provenance_per_image(
        registry_host: str, pushed: dict[str, Any]) -> None:
    for name in ("academy-base", "academy-api"):
        media, body = manifest_of(registry.parse(f"{registry_host}/{name}:py3.11"))
        assert media == registry.OCI_INDEX
        platforms = {entry["platform"]["architecture"]: entry for entry in body["manifests"]
                     if entry["platform"]["architecture"] != "unknown"}
        assert sorted(platforms) == ["amd64", "arm64"]
        attested = {entry["annotations"]["vnd.docker.reference.digest"]
                    for entry in body["manifests"]
                    if (entry.get("annotations") or {}).get("vnd.docker.reference.type")
                    == "attestation-manifest"}
        for arch, entry in platforms.items():
            _media, variant = manifest_of(registry.parse(f"{registry_host}/{name}:py3.11-{arch}"))
            own = [m["digest"] for m in variant.get("manifests", [])
                   if m["platform"]["architecture"] == arch]
            assert own == [entry["digest"]]  # the index names the very image pushed
            assert entry["digest"] in attested  # with BuildKit's provenance attestation
    assert f"{registry_host}/academy-python:3.11-amd64" in pushed  # the Debian-made root


def test_push_puts_each_images_sbom_beside_it_as_an_artifact_of_that_image(
        registry_host: str, pushed: dict[str, Any]) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    from dockbuild.contents import sbom
    from dockbuild.release import sbomattach

    for name in ("academy-base", "academy-api"):
        for platform in PLATFORMS:
            variant = f"py3.11-{platform.rpartition('/')[2]}"
            image = registry.parse(f"{registry_host}/{name}:{variant}")
            found = registry.head_manifest(image)
            assert found is not None
            media, artifact = manifest_of(sbomattach.reference(image, found.digest))
            assert media == "application/vnd.oci.image.manifest.v1+json"
            assert artifact["subject"]["digest"] == found.digest  # it refers to the image
            assert artifact["config"]["mediaType"] == sbomattach.MEDIA_TYPE
            (layer,) = artifact["layers"]
            assert layer["mediaType"] == sbomattach.MEDIA_TYPE
            url = f"{registry.base_url(registry_host)}{name}/blobs/{layer['digest']}"
            with urllib.request.urlopen(url, timeout=30) as answer:
                text = answer.read().decode()
            assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
            assert sbom.image_of(text)["image_id"] == local_id(f"{name}:{variant}")
            assert any(p.name == "python3.11" for p in sbom.packages_of(text))


def local_layers(ref: str) -> list[str]:
    import docker

    client = docker.from_env()
    try:
        return list(client.images.get(ref).attrs["RootFS"]["Layers"])
    finally:
        client.close()


def test_a_second_engine_pulls_the_right_platform_through_the_index(
        registry_host: str, pushed: dict[str, Any], second_engine: Any) -> None:
    assert pushed
    ref = f"{registry_host}/academy-api"
    for platform in PLATFORMS:
        started = time.monotonic()
        image = second_engine.images.pull(ref, tag="py3.11", platform=platform)
        print(f"\npull {ref}:py3.11 ({platform}) into the second engine:"
              f" {time.monotonic() - started:.1f} s")
        assert image.attrs["Architecture"] == platform.split("/")[1]
        assert image.attrs["RootFS"]["Layers"] == local_layers(
            f"academy-api:py3.11-{platform.split('/')[1]}")
        second_engine.images.remove(f"{ref}:py3.11", force=True)


@pytest.fixture
def repo_copy(repo_root: Path, tmp_path: Path) -> Iterator[Path]:
    """Copy the build inputs under other image names (no real tag moves); change the api."""
    for name in COPIED:
        source = repo_root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    if (repo_root / ".cache" / "wheels").is_dir():  # reuse the downloaded wheels
        shutil.copytree(repo_root / ".cache" / "wheels", tmp_path / ".cache" / "wheels")
    path = tmp_path / "docker" / "services.yaml"
    path.write_text(path.read_text().replace("name: academy-base\n", f"name: {COPY_BASE}\n")
                    .replace("\n  api:\n", f"\n  {COPY_API}:\n"))
    dockerfile = tmp_path / "docker" / "api" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + 'LABEL academy.note="changed after the push"\n')
    yield tmp_path
    remove_local("academy-rcache-")


COPY_BASE, COPY_API = "academy-rcache-base", "rcache-api"


def remove_local(prefix: str) -> None:
    import docker

    client = docker.from_env()
    try:
        for image in client.images.list():
            for tag in image.tags:
                if tag.startswith(prefix):
                    client.images.remove(tag, force=True)
    finally:
        client.close()


def metadata(root: Path) -> dict[str, Any]:
    return json.loads((root / ".cache" / "build" / "metadata-py3.11-amd64.json").read_text())


def test_a_remote_engine_builds_from_the_registry_cache(
        registry_host: str, pushed: dict[str, Any], second_engine: Any, repo_copy: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert pushed  # the root image is in the registry: the second engine needs no debootstrap
    rows = commands.build(repo_copy, python="3.11", platform="linux/amd64", services=[COPY_API],
                          no_cache=True, cache_to=registry_host)  # this engine fills the cache
    assert {row.status for row in rows} == {"built"}
    base_cache = f"{registry_host}/{COPY_BASE}:buildcache-py3.11-amd64"
    assert registry.head_manifest(registry.parse(base_cache)) is not None
    for image in second_engine.images.list(all=True):  # a fresh engine
        second_engine.images.remove(image.id, force=True)
    monkeypatch.setenv("DOCKER_HOST", second_engine.address)  # buildx builds there too
    started = time.monotonic()
    rows = commands.build(repo_copy, python="3.11", platform="linux/amd64", services=[COPY_API],
                          cache_from=registry_host)
    print(f"\nremote build of base+api with --cache-from: {time.monotonic() - started:.1f} s")
    assert {row.image: row.status for row in rows} == {
        COPY_BASE: "built", f"academy-{COPY_API}": "built"}
    found = metadata(repo_copy)
    for name in (COPY_BASE, COPY_API):  # every step came from the registry's cache
        cache = found[name]["dockbuild.cache"]
        assert cache["steps"] > 0 and cache["cached-steps"] == cache["steps"], (name, cache)
    built = second_engine.images.get(f"academy-{COPY_API}:py3.11-amd64")
    assert built.attrs["Config"]["Labels"]["academy.note"] == "changed after the push"
    assert built.attrs["RootFS"]["Layers"] == local_layers(f"academy-{COPY_API}:py3.11-amd64")


def test_the_api_of_the_registry_answers_plain_http_on_loopback(registry_host: str) -> None:
    with urllib.request.urlopen(registry.base_url(registry_host), timeout=5) as answer:
        assert answer.status == 200


def test_the_second_engine_leaves_the_first_engines_bridge_alone(second_engine: Any) -> None:
    """dockerd --bridge=none would delete docker0; the second engine has a bridge of its own."""
    assert second_engine.ping()
    assert Path("/sys/class/net/docker0").exists()
    assert Path(f"/sys/class/net/{remote_daemons.BRIDGE}").exists()


def test_a_named_builder_on_a_docker_context_builds_on_its_engine(
        registry_host: str, pushed: dict[str, Any], second_engine: Any, repo_copy: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """DOCKBUILD_BUILDER names the builder of a docker context that points at the second engine."""
    import subprocess

    from dockbuild.errors import EnvironmentProblem

    assert pushed
    context = "dockbuild-test-engine2"
    subprocess.run(["docker", "context", "rm", "-f", context], capture_output=True, check=False)
    subprocess.run(["docker", "context", "create", context, "--docker",
                    f"host={second_engine.address}"], capture_output=True, check=True)
    try:
        monkeypatch.setenv("DOCKBUILD_BUILDER", context)
        with pytest.raises(EnvironmentProblem, match="builds into the engine at") as refused:
            commands.build(repo_copy, python="3.11", platform="linux/amd64",
                           services=[COPY_API], cache_from=registry_host)
        assert f"DOCKER_HOST={second_engine.address}" in refused.value.hint
        monkeypatch.setenv("DOCKER_HOST", second_engine.address)  # tags and tests there too
        rows = commands.build(repo_copy, python="3.11", platform="linux/amd64",
                              services=[COPY_API], cache_from=registry_host)
        assert {row.status for row in rows} <= {"built", "skipped"}
        assert second_engine.images.get(f"academy-{COPY_API}:py3.11-amd64")
    finally:
        subprocess.run(["docker", "context", "rm", "-f", context], capture_output=True,
                       check=False)
