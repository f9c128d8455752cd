"""What is inside the real images: their SBOMs, the content policy, and the report's content diff.

The SBOMs are checked against two things the product does not use: the
CycloneDX schema validation of the library, run here again, and the image's
own tools run inside it (``dpkg-query`` for ffmpeg, Python's import of django).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dockbuild import commands
from dockbuild.contents import sbom, store
from dockbuild.engine import images
from dockbuild.errors import DockbuildError

pytestmark = pytest.mark.docker

CELL = {"python": "3.11", "platform": "linux/amd64"}
VARIANT = "py3.11-amd64"
PREFIX = "academy-dbsbom-"


def _run_in(ref: str, *argv: str) -> str:
    import docker

    client = docker.from_env()
    try:
        return client.containers.run(ref, list(argv), remove=True, entrypoint=[]).decode().strip()
    finally:
        client.close()


@pytest.fixture(scope="module")
def built(repo_root: Path) -> dict[str, dict[str, Any]]:
    """The real api and video-worker images (a no-op build when they are current)."""
    commands.build(repo_root, services=["api", "video-worker"], **CELL)
    return {name: images.inspect(f"academy-{name}:{VARIANT}")  # type: ignore[misc]
            for name in ("api", "video-worker")}


def test_the_sbom_of_a_real_image_lists_ffmpeg_and_django_with_their_versions(
        built: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    found = {}
    for name, info in built.items():
        text, packages = store.for_image(tmp_path, f"academy-{name}:{VARIANT}", info, VARIANT)
        assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
        assert sbom.image_of(text)["image_id"] == info["Id"]
        found[name] = {(p.kind, p.name): p.version for p in packages}
    ffmpeg = _run_in(f"academy-video-worker:{VARIANT}", "dpkg-query", "-W", "-f=${Version}",
                     "ffmpeg")
    assert found["video-worker"][("deb", "ffmpeg")] == ffmpeg
    django = _run_in(f"academy-api:{VARIANT}", "python", "-c",
                     "import django; print(django.__version__)")
    assert found["api"][("pypi", "Django")] == django
    assert ("deb", "ffmpeg") not in found["api"]  # each image its own packages
    assert ("pypi", "Django") not in found["video-worker"]
    assert (tmp_path / f"reports/sbom/academy-api-{VARIANT}.cdx.json").is_file()


def test_a_forbidden_package_fails_image_test_with_its_name(
        built: dict[str, dict[str, Any]], repo: Path, run_cli: Any) -> None:
    manifest = repo / "docker/services.yaml"
    smoke = "    smoke: {job: video}\n"
    manifest.write_text(manifest.read_text().replace(
        smoke, smoke + "    forbidden_packages: [ffmpeg, openssh-server]\n", 1))
    done = run_cli("image-test", "-r", str(repo), "--service", "video-worker", "--no-smoke",
                   "--python", "3.11", "--platform", "linux/amd64")
    assert done.returncode == 1, done.stdout + done.stderr
    ffmpeg = _run_in(f"academy-video-worker:{VARIANT}", "dpkg-query", "-W", "-f=${Version}",
                     "ffmpeg")
    line = next(n for n, text in enumerate(manifest.read_text().splitlines(), start=1)
                if "forbidden_packages: [ffmpeg" in text)
    assert (f"FAIL academy-video-worker:{VARIANT} forbidden-packages"
            f" (docker/services.yaml:{line})") in done.stdout
    assert (f"forbidden package installed: ffmpeg {ffmpeg} (Debian) (forbidden by"
            " video-worker)") in done.stdout
    assert f"PASS academy-video-worker:{VARIANT} sbom" in done.stdout


@pytest.fixture(scope="module")
def small_repo(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the repository with its base and messaging-worker only, renamed (no real tag
    moves), as one git commit."""
    from tests.conftest import BUILD_INPUTS

    root = tmp_path_factory.mktemp("sbom") / "repo"
    for name in BUILD_INPUTS:
        source = repo_root / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, root / name)
    if (repo_root / ".cache/wheels").is_dir():
        shutil.copytree(repo_root / ".cache/wheels", root / ".cache/wheels")
    path = root / "docker/services.yaml"
    data = yaml.safe_load(path.read_text())
    data["base"]["name"] = f"{PREFIX}base"
    data["services"] = {"dbsbom-messaging": data["services"]["messaging-worker"]}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    dockerfile = root / "docker/messaging-worker/Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("=academy-base:", f"={PREFIX}base:"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    yield root
    import docker

    client = docker.from_env()
    try:
        for image in client.images.list(filters={"reference": f"{PREFIX}*"}):
            for tag in image.tags:
                client.images.remove(tag, force=True)
    finally:
        client.close()


def _verify(root: Path) -> None:
    try:
        commands.verify(root, **CELL)
    except DockbuildError as exc:
        pytest.fail(f"verify did not hold: {exc}")


def test_a_package_added_to_one_service_shows_in_the_report_for_that_image_only(
        small_repo: Path) -> None:
    _verify(small_repo)  # the verified state: the baseline of the next report
    requirements = small_repo / "requirements/messaging-worker.txt"
    requirements.write_text(requirements.read_text() + "idna==3.10\n")
    _verify(small_repo)
    data = json.loads((small_repo / "reports/results.json").read_text())
    diffs = {diff["name"]: diff for diff in data["contents"] if diff["variant"] == VARIANT}
    assert (diffs["dbsbom-messaging"]["state"], diffs["dbsbom-messaging"]["changes"]) == (
        "changed", ["+idna 3.10"])
    assert diffs[f"{PREFIX}base"]["state"] == "same-image"  # not rebuilt: nothing to compare
    assert any("pip install" in layer[1] and layer[3] > layer[2]  # the pip layer grew
               for layer in diffs["dbsbom-messaging"]["layers"])
    text = (small_repo / "reports/alignment.ko.md").read_text()  # the manifest's language
    section = text.split("이미지 내용 변경")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in section.splitlines()
            if line.startswith("| ") and f"| {VARIANT} |" in line}
    assert "`+idna 3.10` (Python)" in rows["dbsbom-messaging"]
    assert "+idna" not in rows[f"{PREFIX}base"]
    listed = sbom.packages_of((small_repo / f"reports/sbom/{PREFIX}messaging-{VARIANT}"
                               ".cdx.json").read_text())
    assert ("pypi", "idna", "3.10") in {(p.kind, p.name, p.version) for p in listed}
