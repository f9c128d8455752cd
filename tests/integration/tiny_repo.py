"""A repository of two tiny images on a busybox root image: builds in seconds, any engine."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BUSYBOX = Path("/bin/busybox")


@contextlib.contextmanager
def engine_api(prefix: str) -> Iterator[Any]:
    """Yield the SDK's low-level client; remove every image tagged ``prefix*`` at the end."""
    import docker

    client = docker.APIClient(version="auto", **docker.utils.kwargs_from_env())
    try:
        yield client
    finally:
        # only this prefix's images: listing all of them races with whoever removes others
        for image in client.images(filters={"reference": f"{prefix}*"}):
            for ref in image.get("RepoTags") or []:
                if ref.startswith(prefix):
                    client.remove_image(ref, force=True)
        client.close()


def busybox_image(folder: Path, prefix: str) -> str:
    """Build ``<prefix>-busybox:test`` (a shell, nothing else) through the product's builder."""
    from tests.integration.buildkit_images import build

    if not BUSYBOX.is_file():
        pytest.fail("a static /bin/busybox is needed: apt-get install busybox-static")
    shutil.copy2(BUSYBOX, folder / "busybox")
    (folder / "Dockerfile").write_text(
        'FROM scratch\nCOPY busybox /bin/busybox\n'
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n')
    build(folder, f"{prefix}-busybox:test")
    return f"{prefix}-busybox:test"


def write(root: Path, root_image: str, seconds: int = 20, prefix: str = "dbfault",
          services: tuple[str, ...] = ("tool",)) -> Path:
    """A repository of a base whose build runs ``seconds`` (long enough to be interrupted)
    and tiny ``services`` on it."""
    (root / "docker").mkdir(parents=True)
    (root / "app").mkdir()
    (root / "app" / "main.py").write_text("print(1)\n")
    (root / "docker" / "services.yaml").write_text(
        f"project: {prefix}\n"
        "variants: {python: ['3.11'], platforms: [linux/amd64]}\n"
        "base:\n"
        f"  name: {prefix}-slow-base\n"
        "  dockerfile: docker/Dockerfile.base\n"
        f"  root_image: {root_image}\n"
        "  user: {name: appuser, uid: 1000, gid: 1000}\n"
        "  workdir: /app\n"
        "  copies: [app]\n"
        "  cmd: [sh]\n"
        "services:\n"
        + "".join(f"  {name}:\n    dockerfile: docker/{name}/Dockerfile\n    cmd: [sh]\n"
                  for name in services))
    for name in services:
        (root / "docker" / name).mkdir()
        (root / "docker" / name / "Dockerfile").write_text(
            f"# {name}\nARG BASE_IMAGE\nFROM scratch AS wheels\nFROM ${{BASE_IMAGE}}\n"
            'CMD ["sh"]\n')
    (root / "docker" / "Dockerfile.base").write_text(
        "ARG PYTHON_IMAGE\n"
        "FROM scratch AS wheels\n"
        "FROM ${PYTHON_IMAGE}\n"
        f"RUN sleep {seconds} && echo {os.getpid()}-{time.time_ns()} > /stamp\n"
        "WORKDIR /app\n"
        "COPY app ./app\n"
        "USER 1000\n"
        'CMD ["sh"]\n')
    return root
