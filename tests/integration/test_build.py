"""Build the real images on the real engine: amd64 base and services, arm64 base, skips, faults.

Images made only for a test are named ``academy-dbtest-*`` and removed at the
end, also when the test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockbuild import commands
from dockbuild.errors import ChecksFailed

TEST_PREFIX = "academy-dbtest-"
COPIED = ("docker", "src", "apps", "libs", "scripts", "requirements", "manage.py",
          ".dockerignore")

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def api() -> Iterator[Any]:
    import docker

    client = docker.APIClient(version="auto", **docker.utils.kwargs_from_env())
    yield client
    client.close()


def run_in(api: Any, image: str, script: str, platform: str = "linux/amd64") -> str:
    """Run ``python -c script`` in ``image`` and return its output."""
    return subprocess.run(
        ["docker", "run", "--rm", "--network", "none", "--platform", platform, image,
         "python", "-c", script],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout.strip()


def test_base_and_all_services_build_for_amd64(repo_root: Path, api: Any) -> None:
    rows = commands.build(repo_root, platform="linux/amd64")
    assert [row.status in ("built", "skipped") for row in rows] == [True] * 5
    for row in rows:
        info = api.inspect_image(f"{row.image}:py3.11-amd64")
        assert (info["Os"], info["Architecture"]) == ("linux", "amd64")
        labels = info["Config"]["Labels"]
        assert len(labels["dockbuild.inputs"]) == 64
        for key in ("revision", "created", "source", "version"):
            assert labels[f"org.opencontainers.image.{key}"]
    base = "academy-base:py3.11-amd64"
    assert run_in(api, base, "import boto3, sys; print(sys.version_info[:2])") == "(3, 11)"
    # the wheelhouse reached the builder stage only: no wheel in the runtime image
    # (Debian's python3-venv ships its own pip/setuptools wheels for ensurepip)
    found = subprocess.run(["docker", "run", "--rm", "--network", "none", "--user", "root", base,
                            "find", "/", "-xdev",
                            "-path", "/usr/share/python-wheels", "-prune", "-o",
                            "-name", "*.whl", "-print"],
                           capture_output=True, text=True, check=True).stdout
    assert found == ""
    assert run_in(api, "academy-api:py3.11-amd64", "import django; print(django.VERSION[0])") == "5"


def test_a_no_op_build_imports_no_sdk_and_sends_nothing(repo_root: Path, api: Any) -> None:
    commands.build(repo_root, platform="linux/amd64")  # make sure everything is current
    script = textwrap.dedent("""
        import sys
        from dockbuild import commands
        from dockbuild.engine import rawapi
        calls = []
        original = rawapi.get_json
        def spy(path, **kw):
            calls.append(path)
            return original(path, **kw)
        rawapi.get_json = spy
        rows = commands.build(platform="linux/amd64")
        assert {row.status for row in rows} == {"skipped"}, rows
        assert "docker" not in sys.modules, "the no-op path imported the docker SDK"
        assert all(path.startswith("/images/") for path in calls), calls
        print(len(calls))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=repo_root, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    # python:X-slim, its Debian-made stand-in, the base, four services, and one image list
    # for the unpacked sizes (the containerd store's inspect gives the compressed one)
    assert int(result.stdout.strip().splitlines()[-1]) <= 8


@pytest.fixture
def repo_copy(repo_root: Path, tmp_path: Path, api: Any) -> Iterator[Path]:
    """The repository's build inputs plus two test-only services; their images go at the end."""
    for name in COPIED:
        source = repo_root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    (tmp_path / ".cache").mkdir()
    if (repo_root / ".cache" / "wheels").is_dir():  # reuse the downloaded wheels
        shutil.copytree(repo_root / ".cache" / "wheels", tmp_path / ".cache" / "wheels")
    services = {
        "dbtest-broken": "RUN echo 'doomed step' && exit 3",
        "dbtest-fine": "RUN sleep 4 && echo fine > /tmp/fine",
        # never in BuildKit's cache: the test interrupts it while it runs
        "dbtest-slow": f"RUN sleep 60 && echo {time.time_ns()}",
        # a heredoc, a cache mount that outlives the build, and a secret for one RUN
        "dbtest-buildkit": textwrap.dedent(f"""\
            RUN --mount=type=cache,target=/var/cache/dbtest <<EOF
            set -e
            echo "never cached: {time.time_ns()}"
            echo run >> /var/cache/dbtest/runs
            wc -l < /var/cache/dbtest/runs > /opt/cache-runs
            EOF
            RUN --mount=type=secret,id=dbtest_token,required=true \\
                sha256sum /run/secrets/dbtest_token | cut -c1-64 > /opt/token.sha256
            USER appuser"""),
    }
    text = (tmp_path / "docker/services.yaml").read_text()
    for name, run in services.items():
        folder = tmp_path / "docker" / name
        folder.mkdir()
        (folder / "Dockerfile").write_text(
            f"ARG BASE_IMAGE=academy-base:latest\nFROM ${{BASE_IMAGE}}\nUSER root\n{run}\n")
        text += f"\n  {name}:\n    dockerfile: docker/{name}/Dockerfile\n    cmd: [python]\n"
    text += "    secrets: {dbtest_token: DBTEST_TOKEN}\n"  # the last one: dbtest-buildkit
    (tmp_path / "docker/services.yaml").write_text(text)
    yield tmp_path
    for image in api.images():
        for ref in image.get("RepoTags") or []:
            if ref.startswith(TEST_PREFIX):
                api.remove_image(ref, force=True)


def academy_tags(api: Any) -> dict[str, str]:
    return {ref: image["Id"] for image in api.images() for ref in image.get("RepoTags") or []
            if ref.startswith("academy-")}


def test_a_failing_service_leaves_the_others_built_and_moves_no_tag(
        repo_copy: Path, api: Any) -> None:
    before = academy_tags(api)
    with pytest.raises(ChecksFailed) as info:
        commands.build(repo_copy, platform="linux/amd64",
                       services=["dbtest-broken", "dbtest-fine"])
    assert info.value.exit_code == 1
    assert "dbtest-broken" in str(info.value)
    after = academy_tags(api)
    assert "academy-dbtest-fine:py3.11-amd64" in after
    assert not [ref for ref in after if ref.startswith("academy-dbtest-broken")]
    moved = {ref for ref in before if after.get(ref) != before[ref]}
    assert moved <= {"academy-base:py3.11-amd64"}  # only when the base inputs changed meanwhile
    assert not [ref for ref in after if ref.endswith(":latest") and after[ref] != before.get(ref)]


def test_ctrl_c_leaves_no_build_container_and_moves_no_tag(repo_copy: Path, api: Any) -> None:
    commands.build(repo_copy, platform="linux/amd64", include_services=False)
    containers = {c["Id"] for c in api.containers(all=True)}
    child = subprocess.Popen(
        [sys.executable, "-m", "dockbuild", "--root", str(repo_copy), "build-services",
         "--service", "dbtest-slow"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "CI": "true"},
    )
    assert child.stdout is not None
    for line in child.stdout:
        if "RUN sleep 60" in line:  # BuildKit's plain progress: the long RUN has started
            break
    time.sleep(2)
    child.send_signal(signal.SIGINT)
    output = child.communicate(timeout=60)[0]
    assert child.returncode == 130, output
    assert "no build container left" in output
    assert {c["Id"] for c in api.containers(all=True)} <= containers
    assert not [ref for ref in academy_tags(api) if ref.startswith("academy-dbtest-slow")]


def test_heredoc_cache_mount_and_secret_build_and_the_secret_stays_out_of_the_image(
        repo_copy: Path, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib
    import secrets as pysecrets

    from dockbuild.errors import InputError

    monkeypatch.delenv("DBTEST_TOKEN", raising=False)
    with pytest.raises(InputError, match=r"secret 'dbtest_token' reads \$DBTEST_TOKEN") as err:
        commands.build(repo_copy, platform="linux/amd64", services=["dbtest-buildkit"])
    assert err.value.exit_code == 2 and str(err.value.where).endswith("services.yaml:" + str(
        (repo_copy / "docker/services.yaml").read_text().splitlines().index(
            "    secrets: {dbtest_token: DBTEST_TOKEN}") + 1))
    token = "dbtest-" + pysecrets.token_hex(16)
    monkeypatch.setenv("DBTEST_TOKEN", token)
    ref = "academy-dbtest-buildkit:py3.11-amd64"
    runs = []
    dockerfile = repo_copy / "docker" / "dbtest-buildkit" / "Dockerfile"
    for change in ("", "echo changed\n"):  # the RUN runs again; its cache mount keeps its files
        dockerfile.write_text(dockerfile.read_text().replace("set -e\n", "set -e\n" + change))
        rows = commands.build(repo_copy, platform="linux/amd64", services=["dbtest-buildkit"])
        assert {row.image: row.status for row in rows}["academy-dbtest-buildkit"] == "built"
        runs.append(int(run_in(api, ref, "print(open('/opt/cache-runs').read().strip())")))
    assert runs[1] == runs[0] + 1  # (--no-cache would start the mount empty, as BuildKit does)
    digest = run_in(api, ref, "print(open('/opt/token.sha256').read().strip())")
    assert digest == hashlib.sha256(token.encode()).hexdigest()  # the RUN read the secret
    history = json_text(api.history(ref)) + json_text(api.inspect_image(ref))
    assert token not in history
    container = api.create_container(ref, command=["true"])
    try:
        exported = b"".join(api.export(container["Id"]))
    finally:
        api.remove_container(container["Id"], force=True)
    assert b"opt/token.sha256" in exported  # the whole filesystem, with the RUN's output
    assert token.encode() not in exported


def json_text(value: Any) -> str:
    import json

    return json.dumps(value)


def test_the_base_builds_for_arm64_under_emulation(repo_root: Path, api: Any) -> None:
    rows = commands.build_base(repo_root, platform="linux/arm64")
    assert rows[0].status in ("built", "skipped")
    info = api.inspect_image("academy-base:py3.11-arm64")
    assert (info["Os"], info["Architecture"]) == ("linux", "arm64")
    assert run_in(api, "academy-base:py3.11-arm64", "import platform; print(platform.machine())",
                  platform="linux/arm64") == "aarch64"


def test_a_nearly_full_disk_stops_the_build_before_it_starts(
        repo_copy: Path, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.errors import EnvironmentProblem

    monkeypatch.setenv("DOCKBUILD_MIN_FREE_GB", "1000000")
    before = academy_tags(api)
    with pytest.raises(EnvironmentProblem, match="GB free") as info:
        commands.build(repo_copy, platform="linux/amd64", services=["dbtest-fine"],
                       no_cache=True)
    assert info.value.exit_code == 2
    assert academy_tags(api) == before
