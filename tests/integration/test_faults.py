"""Faults users meet, injected into real runs: damaged caches heal, broken inputs never get tagged.

Images made here are named ``dbfault-*`` and removed at the end, also when a test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration import tiny_repo

pytestmark = pytest.mark.docker

PREFIX = "dbfault"
BUSYBOX = Path("/bin/busybox")


@pytest.fixture(scope="module")
def api() -> Iterator[Any]:
    with tiny_repo.engine_api(PREFIX) as client:
        yield client


def _tar_without_python(path: Path) -> Path:
    """Write a sound root tar that has a shell but no python3 (as a wrong download would)."""
    if not BUSYBOX.is_file():
        pytest.fail("a static /bin/busybox is needed: apt-get install busybox-static")
    tree = path.parent / "tree"
    (tree / "bin").mkdir(parents=True)
    shutil.copy2(BUSYBOX, tree / "bin" / "busybox")
    (tree / "bin" / "sh").symlink_to("busybox")
    with tarfile.open(path, "w") as archive:
        archive.add(tree, arcname=".")
    shutil.rmtree(tree)
    return path


def test_a_root_image_that_does_not_run_python3_is_never_tagged(
        tmp_path: Path, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.build import rootfs, rootimage
    from dockbuild.errors import EnvironmentProblem

    folder = rootfs.cache_dir(tmp_path, "3.11", "linux/amd64")
    folder.mkdir(parents=True)
    tar = _tar_without_python(folder / "rootfs.tar")
    made: list[Path] = []

    def tar_of_this_test(*_args: Any, **_kwargs: Any) -> Path:  # stands in for debootstrap
        if not tar.exists():
            _tar_without_python(tar)
        made.append(tar)
        return tar

    monkeypatch.setattr(rootfs, "rootfs_tar", tar_of_this_test)
    before = {image["Id"] for image in api.images(all=True)}
    said: list[str] = []
    with pytest.raises(EnvironmentProblem) as info:
        rootimage.resolve(tmp_path, "127.0.0.1:9/none:1", PREFIX, "3.11", "linux/amd64",
                          say=said.append)
    assert "does not run python3" in info.value.message
    assert ".cache/rootfs/" in info.value.message  # names the tar it was made from
    assert len(made) == 2  # made again once, then given up
    assert any("not tagged, making the tar again" in line for line in said)
    assert not tar.exists() and not (folder / rootfs.DIGEST).exists()
    ref = rootimage.local_ref(PREFIX, "3.11", "linux/amd64")
    assert all(ref not in (image.get("RepoTags") or []) for image in api.images())
    assert {image["Id"] for image in api.images(all=True)} <= before  # the bad images went
    checks = api.containers(all=True, filters={"label": rootimage.ROOTFS_LABEL})
    assert checks == []


@pytest.fixture(scope="module")
def busybox(api: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A tiny image with a shell, for runs that only need a container to exist."""
    return tiny_repo.busybox_image(tmp_path_factory.mktemp("busybox"), PREFIX)


#: A run that starts a labelled container the way image-test does, then is killed.
_KILLED_RUN = """
import sys, time, docker
from dockbuild.imagetest.cleanup import run_scope
client = docker.from_env()
with run_scope(client) as scope:
    container = client.api.create_container(sys.argv[1], command=["sleep", "300"],
                                            labels=scope.labels)
    client.api.start(container["Id"])
    print(scope.run_id, container["Id"], flush=True)
    time.sleep(300)
"""


def test_what_a_killed_image_test_left_is_removed_by_the_next_run(
        api: Any, busybox: str, run_cli: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    with subprocess.Popen([sys.executable, "-c", _KILLED_RUN, busybox],
                          stdout=subprocess.PIPE, text=True) as killed:
        _kill_and_sweep(killed, api, busybox, run_cli, tmp_path)


def test_inv_clean_removes_what_a_killed_run_left(
        api: Any, busybox: str, run_cli: Any, repo_root: Path) -> None:
    import subprocess
    import sys

    from dockbuild.imagetest.cleanup import RUN_LABEL

    with subprocess.Popen([sys.executable, "-c", _KILLED_RUN, busybox],
                          stdout=subprocess.PIPE, text=True) as killed:
        run_id = ""
        try:
            assert killed.stdout is not None
            run_id, container = killed.stdout.readline().split()
            killed.kill()
            killed.wait(timeout=30)
            listed = run_cli("clean", "-r", str(repo_root), "--what", "containers", "--dry-run")
            assert container[:12] in listed.stdout, listed.stdout + listed.stderr
            done = run_cli("clean", "-r", str(repo_root), "--what", "containers")
            assert done.returncode == 0, done.stdout + done.stderr
            assert f"container {container[:12]}" in done.stdout
            assert api.containers(all=True, filters={"label": f"{RUN_LABEL}={run_id}"}) == []
        finally:
            if killed.poll() is None:
                killed.kill()
            for item in api.containers(all=True, filters={"label": f"{RUN_LABEL}={run_id}"}):
                if run_id:
                    api.remove_container(item["Id"], force=True)


def _kill_and_sweep(killed: Any, api: Any, busybox: str, run_cli: Any, tmp_path: Path) -> None:
    from dockbuild.imagetest.cleanup import RUN_LABEL

    try:
        assert killed.stdout is not None
        run_id, container = killed.stdout.readline().split()
        killed.kill()  # SIGKILL: no clean-up runs
        killed.wait(timeout=30)
        left = api.containers(all=True, filters={"label": f"{RUN_LABEL}={run_id}"})
        assert [c["Id"] for c in left] == [container] and left[0]["State"] == "running"
        config = tmp_path / "cst.yaml"
        config.write_text('schemaVersion: "2.0.0"\ncommandTests:\n'
                          '  - {name: shell, command: sh, args: ["-c", "echo ok"],'
                          ' expectedOutput: ["ok"]}\n')
        done = run_cli("image-test", "--config", str(config), "--image", busybox)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"removed what run {run_id} left (its process {killed.pid} is gone): " \
               f"container {container[:12]}" in done.stdout + done.stderr
        assert api.containers(all=True, filters={"label": f"{RUN_LABEL}={run_id}"}) == []
    finally:
        if killed.poll() is None:
            killed.kill()
        for item in api.containers(all=True, filters={"label": RUN_LABEL}):
            if item["Image"] == busybox:
                api.remove_container(item["Id"], force=True)


@pytest.fixture
def engine_two(tmp_path_factory: pytest.TempPathFactory, busybox: str) -> Iterator[Any]:
    """A second engine this test may kill, holding the busybox image as its root image.

    Its folder is short: containerd's sockets live in it (at most 104 bytes of path).
    """
    import subprocess

    from tests.integration import remote_daemons

    with remote_daemons.dockerd(tmp_path_factory.mktemp("e2")) as engine:
        saved = subprocess.run(["docker", "save", busybox], capture_output=True, check=True)
        subprocess.run(["docker", "-H", engine.address, "load"], input=saved.stdout,
                       capture_output=True, check=True)
        yield engine


def test_the_engine_dying_mid_build_is_one_line_and_exit_2(
        engine_two: Any, busybox: str, run_cli: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    repo = tiny_repo.write(tmp_path / "repo", busybox)
    env = {**os.environ, "DOCKER_HOST": engine_two.address}
    with subprocess.Popen([sys.executable, "-m", "dockbuild", "--root", str(repo), "build"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as build:
        _wait_for(build, "RUN sleep 20")
        time.sleep(2)
        engine_two.kill()
        out, err = build.communicate(timeout=120)
    assert build.returncode == 2, out + err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]
    assert f"the Docker engine ({engine_two.address}) went away during the build of " \
           f"{PREFIX}-slow-base" in line
    assert "no tag moved" in line and "start it again" in line
    assert not (repo / ".cache/results/build.json").exists()  # the images did not fail

    engine_two.start()  # the same data-root: whatever the dead engine left is still there
    import docker

    other = docker.APIClient(base_url=engine_two.address, version="auto")
    try:
        assert other.containers(all=True) == []
        assert [t for i in other.images() for t in i.get("RepoTags") or []
                if t.startswith(f"{PREFIX}-slow-base")] == []
        again = subprocess.run([sys.executable, "-m", "dockbuild", "--root", str(repo), "build"],
                               capture_output=True, text=True, env=env, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        assert other.containers(all=True) == []
    finally:
        other.close()


def _wait_for(process: Any, text: str, timeout_s: float = 120) -> None:
    """Read the build's output until ``text`` shows (the step is running)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            break
    pytest.fail(f"the build never reached {text!r}")


# -- a push stopped half-way leaves no registry-named tag on the engine ---------------


@pytest.fixture(scope="module")
def tested_base(repo_root: Path) -> str:
    """The amd64 base and api, built (a no-op when current) and image-tested: pushable."""
    from dockbuild import commands

    commands.build(repo_root, python="3.11", platform="linux/amd64", services=["api"])
    commands.image_test(repo_root, python="3.11", platform="linux/amd64",
                        services=["academy-base", "api"])
    return "academy-api:py3.11-amd64"


def _push(repo_root: Path, host: str) -> Any:
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "dockbuild", "--root", str(repo_root), "push", "--registry", host,
         "--python", "3.11", "--platform", "linux/amd64", "-s", "api"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _registry_tags(api: Any, host: str) -> list[str]:
    return [t for i in api.images() for t in i.get("RepoTags") or [] if t.startswith(host + "/")]


def _wait_for_tag(api: Any, repo_root: Path, process: Any) -> str:
    """Return a temporary tag once the push journaled and made it (polled while it pushes)."""
    from docker.errors import NotFound

    from dockbuild.release.temptags import JOURNAL

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        try:
            for ref in json.loads((repo_root / JOURNAL).read_text()):
                with contextlib.suppress(NotFound):
                    api.inspect_image(ref)
                    return str(ref)
        except (OSError, ValueError):
            pass
        time.sleep(0.01)
    out, err = process.communicate(timeout=60)
    pytest.fail(f"the push never made its temporary tag: {out} {err}")


@pytest.mark.registry
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGKILL"])
def test_a_push_stopped_half_way_leaves_no_registry_tag(
        repo_root: Path, tested_base: str, api: Any, tmp_path: Path, stop: str) -> None:
    import signal

    from tests.integration import remote_daemons

    with remote_daemons.registry(tmp_path / "registry") as registry, \
            remote_daemons.slow_link(registry, 20_000_000) as host:  # 100 MB: about 5 s
        with _push(repo_root, host) as push:
            made = _wait_for_tag(api, repo_root, push)
            push.send_signal(getattr(signal, stop))
            out, err = push.communicate(timeout=120)
        if stop == "SIGTERM":
            assert push.returncode == 143, out + err
            assert err.strip().endswith("terminated")
            assert _registry_tags(api, host) == []
        else:
            assert push.returncode == -signal.SIGKILL
            assert made in _registry_tags(api, host)  # kill -9 runs no clean-up
            with _push(repo_root, host) as again:
                out, err = again.communicate(timeout=600)
            assert again.returncode == 0, out + err
            assert f"removed 1 temporary tag(s) a stopped push left: {made}" in out + err
            assert _registry_tags(api, host) == []


# -- two runs at once: the second waits for the first, and neither sees the other -----


def _inv(repo_root: Path, *args: str) -> Any:
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "dockbuild", "--root", str(repo_root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_until_it_holds_the_engine(root: Path, process: Any) -> None:
    """Return once ``process`` holds the engine lock, so a second run started now meets it.

    Without this, a slow start-up of either process could let the two run one after
    the other without ever meeting.
    """
    from dockbuild import runlock

    lock = runlock.engine_lock(root)
    deadline = time.monotonic() + 120
    while f"(pid {process.pid}," not in runlock.holder(lock):
        if time.monotonic() > deadline or process.poll() is not None:
            pytest.fail("the first run never held the engine")
        time.sleep(0.05)


def test_two_image_tests_at_once_both_pass_one_after_the_other(
        repo_root: Path, tested_base: str) -> None:
    args = ("image-test", "--python", "3.11", "--platform", "linux/amd64", "-s", "api")
    with _inv(repo_root, *args) as first:
        _wait_until_it_holds_the_engine(repo_root, first)
        with _inv(repo_root, *args) as second:
            outputs = [process.communicate(timeout=600) for process in (first, second)]
    for process, (out, err) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, out + err
    waited = [err for _out, err in outputs if "waiting for `inv image-test` (pid " in err]
    assert len(waited) == 1, outputs  # exactly one of them found the other holding the engine
    assert "got the engine after " in waited[0]


def test_two_builds_at_once_build_once(busybox: str, api: Any, tmp_path: Path) -> None:
    repo = tiny_repo.write(tmp_path / "repo", busybox, seconds=10)
    with _inv(repo, "build") as first:
        _wait_until_it_holds_the_engine(repo, first)
        with _inv(repo, "build") as second:
            outputs = [process.communicate(timeout=600) for process in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    waits = [(out, err) for out, err in outputs if "waiting for `inv build` (pid " in err]
    assert len(waits) == 1, outputs
    (waited,) = waits
    (built,) = [(out, err) for out, err in outputs if (out, err) != waited]
    assert "dbfault-slow-base  py3.11-amd64  built" in built[0]
    assert "dbfault-slow-base  py3.11-amd64  skipped" in waited[0]  # current once it got in
    assert "dbfault-tool       py3.11-amd64  skipped" in waited[0]
