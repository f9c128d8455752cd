"""Faults users meet, injected into real runs: damaged caches heal, broken inputs never get tagged.

Images made here are named ``dbfault-*`` and removed at the end, also when a test fails.
"""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.docker

PREFIX = "dbfault"
BUSYBOX = Path("/bin/busybox")


@pytest.fixture(scope="module")
def api() -> Iterator[Any]:
    import docker

    client = docker.APIClient(version="auto", **docker.utils.kwargs_from_env())
    yield client
    for image in client.images():
        for ref in image.get("RepoTags") or []:
            if ref.startswith(PREFIX):
                client.remove_image(ref, force=True)
    client.close()


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
    from tests.integration.buildkit_images import build

    if not BUSYBOX.is_file():
        pytest.fail("a static /bin/busybox is needed: apt-get install busybox-static")
    folder = tmp_path_factory.mktemp("busybox")
    shutil.copy2(BUSYBOX, folder / "busybox")
    (folder / "Dockerfile").write_text(
        'FROM scratch\nCOPY busybox /bin/busybox\n'
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n')
    return build(folder, f"{PREFIX}-busybox:test")


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
