"""A real registry and a second Docker engine on 127.0.0.1, started and stopped by the tests.

Both listen on free ports and keep everything (storage, data-root, exec-root,
sockets, logs) in one temporary folder that is removed at the end. The second
engine gets a bridge of its own and touches no iptables rule, so it never
fights the first engine over docker0 (with --bridge=none, dockerd deletes the
host's docker0 at start-up); builds on it use host networking.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(log: Path) -> str:
    return " | ".join(log.read_text(errors="replace").strip().splitlines()[-8:])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a daemon we started (its own process group), politely first."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


@contextlib.contextmanager
def registry(folder: Path) -> Iterator[str]:
    """Run Debian's docker-registry on 127.0.0.1:<free port>; yield ``HOST:PORT``."""
    folder.mkdir(parents=True, exist_ok=True)
    host = f"127.0.0.1:{free_port()}"
    config = folder / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log: {level: warn}\n"
        f"storage:\n  filesystem: {{rootdirectory: '{folder / 'storage'}'}}\n"
        "  delete: {enabled: true}\n"
        f"http: {{addr: '{host}'}}\n"
    )
    log = folder / "registry.log"
    process = _start(["docker-registry", "serve", str(config)], log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"http://{host}/v2/", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"docker-registry did not answer on {host}: {_tail(log)}"
                raise RuntimeError(msg)
            time.sleep(0.2)
        yield host
    finally:
        _stop(process)


def _unmount_below(folder: Path) -> None:
    prefix = str(folder.resolve()) + "/"
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for point in sorted((m for m in mounts if m.startswith(prefix)), reverse=True):
        subprocess.run(["umount", "-l", point], check=False, capture_output=True)


class Dockerd:
    """A dockerd of the tests' own: its folder, its address, and a way to kill and restart it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.log = folder / "dockerd.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it (again, on the same data-root and port) and wait until it answers."""
        import docker

        argv = ["dockerd", "--data-root", str(self.folder / "data"),
                "--exec-root", str(self.folder / "exec"),
                "--pidfile", str(self.folder / "docker.pid"),
                "-H", f"unix://{self.folder / 'docker.sock'}", "-H", self.address,
                f"--bridge={BRIDGE}", "--iptables=false", "--ip-masq=false"]
        self.process = _start(argv, self.log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                client = docker.DockerClient(base_url=self.address, timeout=5, version="auto")
                client.close()
                return
            except docker.errors.DockerException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                msg = f"the second dockerd did not answer on {self.address}: {_tail(self.log)}"
                raise RuntimeError(msg)
            time.sleep(0.5)

    def kill(self) -> None:
        """SIGKILL dockerd and its containerd, as a crash or an OOM kill would."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


@contextlib.contextmanager
def dockerd(folder: Path) -> Iterator[Dockerd]:
    """Run a second dockerd with its own roots, on a unix socket and 127.0.0.1:<free port>.

    Everything it made is removed at the end, the folder and its bridge included.
    """
    folder.mkdir(parents=True, exist_ok=True)
    engine = Dockerd(folder)
    _bridge_up()
    try:
        engine.start()
        yield engine
    finally:
        engine.stop()
        _unmount_below(folder)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["ip", "link", "delete", BRIDGE], capture_output=True, check=False)


@contextlib.contextmanager
def second_engine(folder: Path) -> Iterator[str]:
    """Run a second dockerd (see :func:`dockerd`); yield the ``tcp://127.0.0.1:<port>`` address."""
    with dockerd(folder) as engine:
        yield engine.address


#: The second engine's own bridge, on a subnet only this machine uses.
BRIDGE = "dbtest0"
BRIDGE_ADDRESS = "192.168.213.1/24"


def _bridge_up() -> None:
    """Create the second engine's bridge (dockerd needs one that exists)."""
    subprocess.run(["ip", "link", "delete", BRIDGE], capture_output=True, check=False)
    for argv in (["ip", "link", "add", BRIDGE, "type", "bridge"],
                 ["ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE],
                 ["ip", "link", "set", BRIDGE, "up"]):
        subprocess.run(argv, capture_output=True, check=True)


@contextlib.contextmanager
def slow_link(target: str, bytes_per_s: int) -> Iterator[str]:
    """Forward 127.0.0.1:<free port> to ``target`` at about ``bytes_per_s`` each way.

    A slow network between the engine and a registry: a push lasts long
    enough for a test to stop it half-way.
    """
    import socketserver
    import threading

    host, port = target.rsplit(":", 1)
    chunk = max(1024, bytes_per_s // 20)

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(chunk):
                sink.sendall(data)
                time.sleep(len(data) / bytes_per_s)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    class Link(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with socket.create_connection((host, int(port))) as upstream:
                back = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
                back.start()
                pump(self.request, upstream)
                back.join()

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Link) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
