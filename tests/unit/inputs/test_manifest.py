"""The manifest loader: good manifests become records, bad ones one file:line error."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from dockbuild.errors import InputError, ManifestError
from dockbuild.inputs import manifest

GOOD = """\
project: academy
variants:
  python: ["3.11", "3.13"]
  platforms: [linux/amd64, linux/arm64]
base:
  name: academy-base
  dockerfile: docker/Dockerfile.base
  user: {name: appuser, uid: 1000, gid: 1000}
  workdir: /app
  copies: [src]
  cmd: [python, --version]
services:
  api:
    dockerfile: docker/api/Dockerfile
    ports: [8000]
    cmd: "gunicorn app:app --bind 0.0.0.0:8000"
    smoke: {http: {port: 8000}}
  worker:
    dockerfile: docker/worker/Dockerfile
    cmd: [python, -m, apps.worker]
    apt: [ffmpeg]
    smoke: {job: video}
"""


@pytest.fixture
def tiny_repo(tmp_path: Path) -> Path:
    """A tiny repository with the files GOOD names."""
    for name in ("docker/Dockerfile.base", "docker/api/Dockerfile", "docker/worker/Dockerfile"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("FROM scratch\n")
    (tmp_path / "src").mkdir()
    return tmp_path


def write(tiny_repo: Path, text: str) -> Path:
    path = tiny_repo / "docker/services.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(tiny_repo: Path, text: str) -> str:
    write(tiny_repo, text)
    with pytest.raises(ManifestError) as info:
        manifest.load(tiny_repo)
    assert info.value.exit_code == 2
    return str(info.value)


def test_good_manifest_becomes_typed_records(tiny_repo: Path) -> None:
    write(tiny_repo, GOOD)
    loaded = manifest.load(tiny_repo)
    assert loaded.project == "academy"
    assert loaded.base.user.uid == 1000
    assert loaded.base.user.home == "/home/appuser"
    assert loaded.base.root_image_for("3.13") == "python:3.13-slim"
    assert loaded.services["api"].image == "academy-api"
    assert loaded.services["api"].ports == (8000,)
    assert loaded.services["api"].cmd == "gunicorn app:app --bind 0.0.0.0:8000"
    assert loaded.services["worker"].cmd == ("python", "-m", "apps.worker")
    assert loaded.services["worker"].smoke == manifest.Smoke(job="video")
    assert loaded.services["api"].smoke == manifest.Smoke(http_port=8000, http_path="/healthz")
    assert loaded.variants.default_python == "3.11"
    assert loaded.variants.default_platform == "linux/amd64"
    assert loaded.build_order()[0] == "academy-base"
    assert loaded.build_waves() == [["academy-base"], ["api", "worker"]]
    assert loaded.services["api"].line_of("ports") == 15


def test_check_manifest_says_what_builds_in_parallel(run_cli: Any, repo_root: Path) -> None:
    done = run_cli("check-manifest", "-r", str(repo_root))
    assert done.returncode == 0, done.stderr
    assert "platforms linux/amd64, linux/arm64;" in done.stdout
    assert "build order: academy-base -> {api, video-worker, messaging-worker, ai-worker-cpu}" \
        " in parallel" in done.stdout


def test_repository_manifest_loads(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    assert loaded.base.user.uid == 1000
    assert set(loaded.services) == {"api", "video-worker", "messaging-worker", "ai-worker-cpu"}
    assert loaded.services["api"].ports == (8000,)
    assert "tesseract-ocr-kor" in loaded.services["ai-worker-cpu"].apt
    assert loaded.variants.python == ("3.11", "3.13")
    assert loaded.variants.platforms == ("linux/amd64", "linux/arm64")


def test_records_are_frozen(tiny_repo: Path) -> None:
    write(tiny_repo, GOOD)
    loaded = manifest.load(tiny_repo)
    with pytest.raises(AttributeError):
        loaded.base.workdir = "/tmp"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        pytest.param(
            GOOD.replace("    ports: [8000]\n", "    ports: [8000]\n    port: [9000]\n"),
            "docker/services.yaml:16: unknown key 'port' in services.api"
            " (hint: did you mean 'ports'?)",
            id="unknown-key-did-you-mean",
        ),
        pytest.param(
            GOOD.replace("    ports: [8000]\n", "    ports: [8000]\n    ports: [9000]\n"),
            "docker/services.yaml:16: duplicate key 'ports' in"
            " services.api (first defined on line 15)",
            id="duplicate-key",
        ),
        pytest.param(
            GOOD + "  api:\n    dockerfile: docker/api/Dockerfile\n    cmd: [x]\n",
            "docker/services.yaml:23: duplicate key 'api' in services (first defined on line 13)",
            id="duplicate-service",
        ),
        pytest.param(
            GOOD.replace("ports: [8000]", "ports: [80000]"),
            "docker/services.yaml:15: a port in services.api.ports must"
            " be between 1 and 65535, not 80000",
            id="port-out-of-range",
        ),
        pytest.param(
            GOOD.replace("ports: [8000]", 'ports: ["8000"]'),
            "docker/services.yaml:15: a port in services.api.ports must"
            " be an integer, not the string '8000'",
            id="port-wrong-type",
        ),
        pytest.param(
            GOOD.replace('python: ["3.11", "3.13"]', "python: [3.11, 3.10]"),
            "docker/services.yaml:3: an item of variants.python must be"
            " a string, not the number '3.11'",
            id="unquoted-python-version",
        ),
        pytest.param(
            GOOD.replace("uid: 1000", "uid: 0"),
            "docker/services.yaml:8: base.user.uid is 0 (root)",
            id="root-user",
        ),
        pytest.param(
            GOOD.replace("docker/worker/Dockerfile", "docker/wroker/Dockerfile"),
            "docker/services.yaml:19: services.worker.dockerfile names 'docker/wroker/Dockerfile',"
            " which does not exist",
            id="missing-dockerfile",
        ),
        pytest.param(
            GOOD.replace("    apt: [ffmpeg]\n", "    apt: [ffmpeg]\n    parent: api\n")
            .replace("    ports: [8000]\n", "    ports: [8000]\n    parent: worker\n"),
            "docker/services.yaml:16: images depend on each other in a cycle",
            id="cycle",
        ),
        pytest.param(
            GOOD.replace("    apt: [ffmpeg]\n", "    apt: [ffmpeg]\n    parent: nope\n"),
            "docker/services.yaml:22: service 'worker' names an unknown parent 'nope'",
            id="unknown-parent",
        ),
        pytest.param(
            GOOD.replace("  platforms: [linux/amd64, linux/arm64]", "  platforms: [linux/s390x]"),
            "docker/services.yaml:4: platform 'linux/s390x' is not supported",
            id="bad-platform",
        ),
        pytest.param(
            GOOD.replace("workdir: /app", "workdir: [app]"),
            "docker/services.yaml:9: base.workdir must be a string, not a list",
            id="wrong-type",
        ),
        pytest.param(
            GOOD.replace("  workdir: /app\n", ""),
            "docker/services.yaml:6: base lacks the required key 'workdir'",
            id="missing-key",
        ),
        pytest.param(
            GOOD.replace("smoke: {http: {port: 8000}}", "smoke: {http: {port: 9000}}"),
            "docker/services.yaml:17: services.api.smoke.http.port 9000"
            " is not one of the service's",
            id="smoke-port-not-exposed",
        ),
        pytest.param(
            GOOD.replace("copies: [src]", "copies: [src, nothere]"),
            "docker/services.yaml:10: base.copies names 'nothere', which does not exist",
            id="copy-missing",
        ),
        pytest.param(
            "project: academy\nbase: [unclosed\n",
            "docker/services.yaml:3: invalid YAML",
            id="invalid-yaml",
        ),
        pytest.param("", "docker/services.yaml:1: the file is empty", id="empty"),
        pytest.param("# only a comment\n", "docker/services.yaml:1: the file is empty",
                     id="only-comments"),
        pytest.param("- a\n- b\n",
                     "docker/services.yaml:1: the manifest must be a mapping, not a list",
                     id="not-a-mapping"),
    ],
)
def test_bad_manifest_gives_one_file_line_error(tiny_repo: Path, broken: str,
                                                expected: str) -> None:
    message = error_of(tiny_repo, broken)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_non_utf8_manifest_names_the_line(tiny_repo: Path) -> None:
    (tiny_repo / "docker/services.yaml").write_bytes(b"project: academy\nlang: \xff\xfe\n")
    with pytest.raises(ManifestError, match=r"^docker/services.yaml:2: is not valid UTF-8"):
        manifest.load(tiny_repo)


def test_missing_manifest_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"docker/services\.yaml: file not found"):
        manifest.load(tmp_path)


def test_root_is_found_from_a_subfolder(tiny_repo: Path) -> None:
    write(tiny_repo, GOOD)
    assert manifest.find_root(tiny_repo / "docker" / "api") == tiny_repo.resolve()


def test_no_root_above_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pass --root DIR"):
        manifest.find_root(tmp_path)


def test_build_secrets_name_an_id_and_the_variable_holding_the_value(tiny_repo: Path) -> None:
    write(tiny_repo, GOOD.replace("    apt: [ffmpeg]\n",
                                  "    apt: [ffmpeg]\n    secrets: {pip_token: PIP_TOKEN}\n"))
    loaded = manifest.load(tiny_repo)
    assert loaded.services["worker"].secrets == (("pip_token", "PIP_TOKEN"),)
    assert loaded.services["worker"].line_of("secrets") == 22
    assert loaded.services["api"].secrets == ()
    message = error_of(tiny_repo, GOOD.replace(
        "    apt: [ffmpeg]\n", "    apt: [ffmpeg]\n    secrets: {pip_token: pip-token}\n"))
    assert message.startswith("docker/services.yaml:22: services.worker.secrets.pip_token must"
                              " name an environment variable, not 'pip-token'"), message
