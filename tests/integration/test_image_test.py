"""`inv image-test` against real images made on this machine: passing, failing, broken ones.

Two kinds of images, both built here (no registry): a FROM scratch image with a
static busybox for the structure-test runner, and a tiny repository of its own
(base + one worker FROM the Debian-built root Python image) whose broken
variants (wrong user, missing package, a worker that crashes on start) must fail
with a message that says what and where.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import subprocess
import sys
import textwrap
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import buildkit_images
import pytest

from dockbuild import commands
from dockbuild.errors import ChecksFailed
from dockbuild.imagetest.cleanup import RUN_LABEL

pytestmark = pytest.mark.docker

BUSYBOX = Path("/bin/busybox")
PREFIX = f"dbt{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    import docker

    docker_client = docker.from_env(timeout=600)
    yield docker_client
    docker_client.close()


def build(client: Any, folder: Path, tag: str, **buildargs: str) -> str:
    """Build ``folder`` with BuildKit (as the product does) and tag it; return the tag."""
    buildkit_images.build(folder, tag, buildargs=buildargs)
    return tag


def remove_images(client: Any, prefix: str) -> None:
    """Remove this test's tags; the raw list, since images.list() inspects each image and
    fails when another user of the engine removes one meanwhile."""
    from docker.errors import NotFound

    for image in client.api.images():
        for tag in image.get("RepoTags") or []:
            if tag.startswith(prefix):
                with contextlib.suppress(NotFound):
                    client.api.remove_image(tag, force=True)


@pytest.fixture(scope="module")
def busybox_image(client: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A 4 MB image: static busybox, a user 1000, /app, an entrypoint that always fails."""
    if not BUSYBOX.exists() or b"ld-linux" in BUSYBOX.read_bytes()[:8192]:
        pytest.fail("a static /bin/busybox is needed: apt-get install busybox-static")
    folder = tmp_path_factory.mktemp("busybox")
    shutil.copy(BUSYBOX, folder / "busybox")
    (folder / "Dockerfile").write_text(textwrap.dedent("""\
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "mkdir", "-p", "/usr/bin", "/sbin", "/usr/sbin", "/tmp"]
        RUN ["/bin/busybox", "--install", "-s"]
        RUN echo 'appuser:x:1000:1000::/home/appuser:/bin/sh' > /etc/passwd \\
            && mkdir -p /app /home/appuser && echo 'print(1)' > /app/manage.py \\
            && chown -R 1000:1000 /app && chmod 1777 /tmp && chmod u+s /bin/busybox
        ENV PATH=/home/appuser/.local/bin:/usr/bin:/bin MODE=prod
        LABEL org.opencontainers.image.title=busybox-test
        WORKDIR /app
        USER appuser
        EXPOSE 8000
        ENTRYPOINT ["/bin/false"]
        CMD ["sh", "-c", "echo hello"]
        """))
    tag = build(client, folder, f"{PREFIX}-busybox:test")
    yield tag
    remove_images(client, PREFIX)


PASSING = """\
schemaVersion: "2.0.0"
globalEnvVars:
  - {key: GREETING, value: "hi from $MODE"}
commandTests:
  - name: entrypoint is replaced and env vars reach the command
    command: sh
    # no $NAME here: as in container-structure-test, args are expanded with the image's
    # env before the command runs (GREETING is not in it), so the container prints its env
    args: ["-c", "busybox env; echo to-stderr >&2; exit 3"]
    expectedOutput: ["hi from prod"]
    expectedError: ["^to-stderr"]
    excludedError: ["Traceback"]
    exitCode: 3
  - name: setup runs first, in the same filesystem
    setup: [["touch", "/tmp/made-by-setup"]]
    command: ls
    args: [/tmp/made-by-setup]
  - name: runs as the image's user
    command: id
    args: [-u]
    expectedOutput: ["^1000\\n$"]  # RE2: $ is the end of the text, after id's newline
fileExistenceTests:
  - {name: manage.py, path: /app/manage.py, uid: 1000, gid: 1000, permissions: "-rw-r--r--"}
  - {name: setuid busybox, path: /bin/busybox, permissions: "urwxr-xr-x", isExecutableBy: other}
  - {name: sticky tmp, path: /tmp, permissions: "dtrwxrwxrwx"}
  - {name: sh is a link, path: /bin/sh, permissions: "Lrwxrwxrwx"}
  - {name: no secrets file, path: /app/.env, shouldExist: false}
fileContentTests:
  - name: passwd
    path: /etc/passwd
    expectedContents: ["appuser:x:1000"]
    excludedContents: ["root"]
metadataTest:
  envVars: [{key: MODE, value: prod}, {key: PATH, value: "\\\\.local/bin", isRegex: true}]
  labels: [{key: org.opencontainers.image.title, value: busybox-test}]
  exposedPorts: ["8000"]
  unexposedPorts: ["22"]
  entrypoint: ["/bin/false"]
  cmd: [sh, -c, echo hello]
  workdir: /app
  user: appuser
"""

FAILING = """\
schemaVersion: "2.0.0"
commandTests:
  - name: wrong exit code
    command: "false"
  - name: output that is not there
    command: echo
    args: [nope]
    expectedOutput: ["yes"]
    excludedOutput: ["nope"]
fileExistenceTests:
  - {name: missing file, path: /app/missing.py}
  - {name: wrong owner, path: /app/manage.py, uid: 0}
metadataTest:
  user: root
  exposedPorts: ["9000"]
"""


@pytest.fixture
def run_cli(run_cli: Callable[..., subprocess.CompletedProcess[str]]
            ) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Return the shared CLI runner with the ten minutes an image test may take."""
    return functools.partial(run_cli, timeout=600)


def test_a_passing_file_exits_0(run_cli: Any, busybox_image: str, tmp_path: Path) -> None:
    config = tmp_path / "pass.yaml"
    config.write_text(PASSING)
    result = run_cli("image-test", "--config", str(config), "--image", busybox_image)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 passed, 0 failed, 0 skipped" in result.stdout


def test_failures_exit_1_and_say_what_and_where(run_cli: Any, busybox_image: str,
                                                tmp_path: Path) -> None:
    config = tmp_path / "fail.yaml"
    config.write_text(FAILING)
    result = run_cli("image-test", "--config", str(config), "--image", busybox_image)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert f"FAIL {busybox_image} wrong exit code ({config}:3)" in out
    assert "exit code 1, expected 0" in out
    assert "expected stdout to match 'yes'" in out and "stdout matched the excluded 'nope'" in out
    assert "/app/missing.py does not exist" in out
    assert "/app/manage.py is owned by uid 1000, expected 0" in out
    assert "user is 'appuser', expected 'root'" in out
    assert "port 9000 is not exposed" in out
    assert "image-test: 0 passed, 5 failed, 0 skipped in " in out
    assert out.count(" passed, ") == 1  # one summary line
    recap = out.split("failures by image and cause:\n", 1)[1]
    assert recap.startswith(f"{busybox_image}: 5 failed\n  ")
    assert result.stderr.startswith("error: 5 image test(s) failed: ")


def test_a_bad_config_exits_2_with_file_and_line(run_cli: Any, busybox_image: str,
                                                 tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text('schemaVersion: "2.0.0"\ncommandTests:\n  - name: x\n    comand: ls\n')
    result = run_cli("image-test", "--config", str(config), "--image", busybox_image)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {config}:4: unknown key 'comand'")


def test_json_and_junit_render_the_same_results(run_cli: Any, busybox_image: str,
                                                tmp_path: Path) -> None:
    config = tmp_path / "fail.yaml"
    config.write_text(FAILING)
    as_json = run_cli("image-test", "--config", str(config), "--image", busybox_image,
                      "--format", "json")
    data = json.loads(as_json.stdout)
    assert data["summary"] == {"pass": 0, "fail": 5, "skip": 0}
    first = data["results"][0]
    assert (first["check"], first["line"], first["status"]) == ("cst.command", 3, "fail")
    assert first["requirement"]["en"] and first["requirement"]["ko"]
    junit = tmp_path / "junit.xml"
    run_cli("image-test", "--config", str(config), "--image", busybox_image, "--format", "junit",
            "--output", str(junit))
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "5"


def test_everything_the_run_started_is_removed(run_cli: Any, client: Any, busybox_image: str,
                                               tmp_path: Path) -> None:
    config = tmp_path / "pass.yaml"
    config.write_text(PASSING)
    run_cli("image-test", "--config", str(config), "--image", busybox_image)
    leftovers = client.api.containers(all=True, filters={"label": RUN_LABEL})
    assert [c for c in leftovers if c["Image"].startswith(PREFIX)] == []


# -- a repository of its own, whose images break in the ways users break them ---------


@pytest.fixture(scope="module")
def root_python(repo_root: Path, client: Any) -> str:
    """The Debian-built root Python image (built once per machine, then cached)."""
    from dockbuild.build import rootimage

    found = rootimage.resolve(repo_root, "python:3.11-slim", "academy", "3.11", "linux/amd64",
                              say=lambda _line: None)
    return found.ref


def write_repo(root: Path, root_image: str, *, user: str = "appuser", crash: bool = False,
               apt: tuple[str, ...] = (), smoke: bool = True) -> Path:
    """Write a two-image repository (base + worker) whose worker may be broken.

    ``smoke``: the worker declares a smoke test (its dummy loop takes no job, so
    a run with smoke tests fails it; without them, :latest waits for them).
    """
    (root / "docker" / "worker").mkdir(parents=True, exist_ok=True)
    (root / "docker" / "tests").mkdir(exist_ok=True)
    (root / "app").mkdir(exist_ok=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "worker.py").write_text(
        "raise RuntimeError('worker cannot start: ACADEMY_QUEUE is unset')\n" if crash else
        "import signal, sys, time\n\n\ndef main() -> None:\n"
        "    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\n"
        "    while True:\n        time.sleep(0.1)\n\n\n"
        "if __name__ == '__main__':\n    main()\n")
    (root / "docker" / "services.yaml").write_text(textwrap.dedent(f"""\
        project: {PREFIX}
        variants: {{python: ["3.11"], platforms: [linux/amd64]}}
        base:
          name: {PREFIX}-base
          dockerfile: docker/Dockerfile.base
          user: {{name: appuser, uid: 1000, gid: 1000}}
          workdir: /app
          copies: [app]
          cmd: [python, --version]
        services:
          worker:
            dockerfile: docker/worker/Dockerfile
            cmd: [python, -m, app.worker]
            apt: [{", ".join(apt)}]
            size_budget_mb: 2000
        """) + ("    smoke: {job: messaging}\n" if smoke else ""))
    (root / "docker" / "Dockerfile.base").write_text(textwrap.dedent(f"""\
        FROM {root_image}
        RUN groupadd --gid 1000 appuser \\
            && useradd --uid 1000 --gid appuser --create-home appuser
        ENV PATH=/home/appuser/.local/bin:$PATH
        WORKDIR /app
        COPY --chown=appuser:appuser app ./app
        USER appuser
        CMD ["python", "--version"]
        """))
    (root / "docker" / "worker" / "Dockerfile").write_text(textwrap.dedent(f"""\
        ARG BASE_IMAGE
        FROM ${{BASE_IMAGE}}
        USER {user}
        CMD ["python", "-m", "app.worker"]
        """))
    (root / "docker" / "tests" / "worker.yaml").write_text(textwrap.dedent("""\
        schemaVersion: "2.0.0"
        commandTests:
          - name: python is ${PYTHON}
            command: python
            args: [--version]
            expectedOutput: ["Python ${PYTHON}"]
        metadataTest:
          user: appuser
        """))
    return root


def build_repo(client: Any, root: Path) -> None:
    base = f"{PREFIX}-base:py3.11-amd64"
    buildkit_images.build(root, base, dockerfile="docker/Dockerfile.base")
    buildkit_images.build(root, f"{PREFIX}-worker:py3.11-amd64",
                          dockerfile="docker/worker/Dockerfile", buildargs={"BASE_IMAGE": base})


@pytest.fixture
def make_repo(client: Any, root_python: str, tmp_path: Path) -> Iterator[Any]:
    def make(**broken: Any) -> Path:
        root = write_repo(tmp_path / "repo", root_python, **broken)
        build_repo(client, root)
        return root

    yield make
    remove_images(client, f"{PREFIX}-base:")
    remove_images(client, f"{PREFIX}-worker:")


def image_test(root: Path, capsys: pytest.CaptureFixture[str], *,
               smoke: bool = False) -> tuple[int, str]:
    try:
        commands.image_test(root, smoke=smoke)
    except ChecksFailed:
        return 1, capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_a_sound_repository_passes_and_latest_moves(
    client: Any, make_repo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(smoke=False)  # no smoke declared: the structure tests are all there is
    code, out = image_test(root, capsys)
    assert code == 0, out
    assert f"promote: {PREFIX}-worker:latest -> sha256:" in out
    assert f"PASS {PREFIX}-worker:py3.11-amd64 from-base" in out
    assert f"PASS {PREFIX}-worker:py3.11-amd64 python is 3.11 (docker/tests/worker.yaml:3)" in out
    latest = client.api.inspect_image(f"{PREFIX}-worker:latest")["Id"]
    assert latest == client.api.inspect_image(f"{PREFIX}-worker:py3.11-amd64")["Id"]


def test_wrong_user_fails_at_the_manifest_line(make_repo: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(user="root")
    code, out = image_test(root, capsys)
    assert code == 1
    assert f"FAIL {PREFIX}-worker:py3.11-amd64 user (docker/services.yaml:6)" in out
    assert ("     USER is 'root', expected 'appuser';"
            " runs as uid 0 gid 0, expected 1000:1000") in out
    assert "user is 'root', expected 'appuser'" in out  # the worker's own structure test


def test_missing_package_fails_naming_it(make_repo: Any,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(apt=("tesseract-ocr",))
    code, out = image_test(root, capsys)
    assert code == 1
    assert f"FAIL {PREFIX}-worker:py3.11-amd64 apt (docker/services.yaml:14)" in out
    assert "     apt package tesseract-ocr is not installed (dpkg)" in out


def test_a_worker_that_crashes_on_start_fails(make_repo: Any,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(crash=True)
    code, out = image_test(root, capsys, smoke=True)
    assert code == 1
    assert f"FAIL {PREFIX}-worker:py3.11-amd64 entry-module (docker/services.yaml:13)" in out
    assert "`import app.worker` fails: RuntimeError: worker cannot start" in out
    # the smoke test runs the image as shipped and sees it die, with its last words
    assert f"FAIL {PREFIX}-worker:py3.11-amd64 messaging job (docker/services.yaml:16)" in out
    assert f"{PREFIX}-worker:py3.11-amd64 crashed (exit 1)" in out
    assert "after SIGTERM" not in out  # it was dead before the signal: no stop was timed
    assert "RuntimeError: worker cannot start: ACADEMY_QUEUE is unset" in out
    # latest is refused, and the refusal says why
    assert f"promote: {PREFIX}-worker:latest not moved: 3 test(s) failed" in out
    assert f"promote: {PREFIX}-worker:latest ->" not in out


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_an_interrupted_run_removes_its_containers(
    repo_root: Path, client: Any, busybox_image: str, tmp_path: Path, signal_name: str
) -> None:
    import signal
    import time

    config = tmp_path / "slow.yaml"
    config.write_text('schemaVersion: "2.0.0"\ncommandTests:\n'
                      '  - {name: slow, command: sleep, args: ["120"]}\n')
    mine = {"label": RUN_LABEL, "ancestor": busybox_image}
    # A shell's background job inherits SIGINT ignored; give the run Ctrl-C back.
    def default_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    with subprocess.Popen([sys.executable, "-m", "dockbuild", "image-test", "--config",
                           str(config), "--image", busybox_image], cwd=repo_root,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          preexec_fn=default_sigint) as run:
        try:
            deadline = time.monotonic() + 60
            while not client.api.containers(filters=mine) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert client.api.containers(filters=mine), "the slow test never started a container"
            run.send_signal(getattr(signal, signal_name))
            _out, err = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
                run.communicate()
    # Ctrl-C is 130 "interrupted"; SIGTERM 143 "terminated", as a shell reports a killed job
    code, word = (130, "interrupted") if signal_name == "SIGINT" else (143, "terminated")
    assert run.returncode == code, err
    assert word in err
    assert client.api.containers(all=True, filters=mine) == []


def _report(root: Path, out: Path) -> dict[str, Any]:
    """Write the report of ``root`` (lint left out: this repository is about images) and read it."""
    from dockbuild.report import run as report_run

    report_run.run(root, lang="en", output=str(out), lint_records=())
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_results_of_a_rebuilt_image_are_stale_until_it_is_tested_again(
    client: Any, root_python: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's done-when: fail a test, fix and rebuild, report -> stale, :latest unmoved;
    test again -> passing with the new id, and only then :latest moves."""
    from docker.errors import ImageNotFound

    worker, latest = f"{PREFIX}-worker:py3.11-amd64", f"{PREFIX}-worker:latest"

    def latest_id() -> str | None:
        try:
            return str(client.api.inspect_image(latest)["Id"])
        except ImageNotFound:
            return None

    root = tmp_path / "repo"
    try:
        write_repo(root, root_python, user="root", smoke=False)
        build_repo(client, root)
        broken = client.api.inspect_image(worker)["Id"]
        code, out = image_test(root, capsys)
        assert code == 1, out
        assert f"promote: {latest} not moved: " in out and "failed" in out
        assert latest_id() is None

        write_repo(root, root_python, smoke=False)  # the fix
        build_repo(client, root)
        fixed = client.api.inspect_image(worker)["Id"]
        assert fixed != broken
        data = _report(root, tmp_path / "out1")
        (state,) = [s for s in data["images"] if s["ref"] == worker]
        assert state["image_id"] == fixed
        assert state["tests"] and {t["status"] for t in state["tests"]} == {"stale"}
        assert all(t["image_id"] == broken for t in state["tests"])
        assert state["tests"][0]["reason"] == (
            f"stale: tested {broken[:19]}, the tag is now {fixed[:19]}")
        assert data["coverage"]["complete"] is False
        markdown = (tmp_path / "out1" / "alignment.en.md").read_text(encoding="utf-8")
        assert f"stale: tested {broken[:19]}" in markdown
        assert latest_id() is None  # stale evidence moved nothing

        code, out = image_test(root, capsys)
        assert code == 0, out
        assert f"promote: {latest} -> {fixed}" in out
        assert latest_id() == fixed
        data = _report(root, tmp_path / "out2")
        (state,) = [s for s in data["images"] if s["ref"] == worker]
        assert {t["status"] for t in state["tests"]} <= {"pass", "skip"}
        assert {t["image_id"] for t in state["tests"]} == {fixed}
        assert data["coverage"]["complete"] is True, data["coverage"]
    finally:
        remove_images(client, f"{PREFIX}-base:")
        remove_images(client, f"{PREFIX}-worker:")
