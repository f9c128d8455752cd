"""Python dependencies without network inside the build: a wheelhouse made on the host.

``pip download --only-binary=:all:`` for the target platform and Python fills
.cache/wheels/py<X>-<arch>; a tiny HTTP server on 127.0.0.1 serves it while the
builds run (they use the host's network), and the build arguments
PIP_NO_INDEX/PIP_FIND_LINKS point pip at it. Only the builder stage and the
service pip RUNs see it: no wheel ever lands in an image layer.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import shutil
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from dockbuild import proc
from dockbuild.errors import CommandFailed, EnvironmentProblem

log = logging.getLogger("dockbuild")

#: glibc of each Debian release the root images come from: the newest manylinux they run.
GLIBC = {"bookworm": 36, "trixie": 41}
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}
#: A fixed port keeps PIP_FIND_LINKS, and so the engine's layer cache of pip RUNs, stable.
PORT = 38611


def machine_of(platform: str) -> str:
    """Return the wheel machine name (``x86_64``, ``aarch64``) of ``linux/<arch>``."""
    return MACHINES[platform.split("/", 1)[1]]


def platform_tags(platform: str, suite: str) -> list[str]:
    """Return the wheel platform tags a target runs, newest first."""
    machine = machine_of(platform)
    tags = [f"manylinux_2_{minor}_{machine}" for minor in range(GLIBC[suite], 16, -1)]
    return [*tags, f"manylinux2014_{machine}", "linux_" + machine]


def folder_name(python: str, platform: str) -> str:
    """Return the wheelhouse folder of one target, e.g. ``py3.11-x86_64``."""
    return f"py{python}-{machine_of(platform)}"


def _stamp(python: str, platform: str, suite: str, requirements: Sequence[Path]) -> str:
    total = hashlib.sha256(f"{python} {platform} {suite} 1\n".encode())
    for path in requirements:
        total.update(path.name.encode() + b"\0" + path.read_bytes() + b"\n")
    return total.hexdigest()


def prepare(cache: Path, python: str, platform: str, suite: str,
            requirements: Sequence[Path]) -> Path:
    """Download every wheel the requirements need for the target, once per content.

    Raises:
        EnvironmentProblem: a requirement has no binary wheel for the target, or
            PyPI cannot be reached; the message names pip's last lines.
    """
    folder = cache / folder_name(python, platform)
    stamp = _stamp(python, platform, suite, requirements)
    if (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp:
        return folder
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if folder.is_dir():  # reuse what an earlier run downloaded
        for wheel in folder.glob("*.whl"):
            shutil.copy2(wheel, partial / wheel.name)
    argv = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
            *(arg for tag in platform_tags(platform, suite) for arg in ("--platform", tag)),
            "-d", str(partial), "pip"]
    for path in requirements:
        argv += ["-r", str(path)]
    try:
        proc.run(argv, timeout=1800)
    except CommandFailed as exc:
        shutil.rmtree(partial, ignore_errors=True)
        last = exc.message.strip().splitlines()[-1]
        msg = f"no wheelhouse for Python {python} on {platform}: {last}"
        raise EnvironmentProblem(
            msg, hint="every requirement needs a binary wheel for that target (or reach PyPI)"
        ) from None
    (partial / ".stamp").write_text(stamp)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)  # the cache only ever holds a complete wheelhouse
    return folder


@contextlib.contextmanager
def serve(cache: Path) -> Iterator[str]:
    """Serve ``cache`` on 127.0.0.1 while the block runs; yield its base URL."""
    import http.server  # only a real build pays for it

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            log.debug("wheelhouse: " + format, *args)

    handler = functools.partial(QuietHandler, directory=str(cache))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), handler)
    except OSError:
        log.info("port %d is busy: serving the wheelhouse on another port"
                 " (the engine's pip layers will not be reused this time)", PORT)
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        except OSError as exc:
            msg = f"cannot serve the wheelhouse on 127.0.0.1: {exc}"
            raise EnvironmentProblem(msg) from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="wheelhouse", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_args(base_url: str, python: str, platform: str) -> dict[str, str]:
    """Return the transport-only build arguments that point pip at the wheelhouse."""
    return {"PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": f"{base_url}/{folder_name(python, platform)}/"}
