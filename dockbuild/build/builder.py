"""Run one BuildKit build through ``docker buildx build``, stream its log, and cancel it.

Every build goes untagged to the builder (loaded into the engine's image
store, new layers zstd-compressed; ``--iidfile`` and the metadata file give the
new image's id); the caller tags that id only after success. The command line
is logged at debug level exactly as it runs, so a step can be reproduced by
hand. Cancelling sends SIGINT to the CLI, which cancels the solve on the engine
(nothing of it is exported).

The CLI is driven through a process of our own rather than python-on-whales:
a build must be cancellable from another thread, and its streaming API keeps
the process to itself.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shlex
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from dockbuild.engine import buildx, images
from dockbuild.errors import BuildFailed, EnvironmentProblem

log = logging.getLogger("dockbuild")

TAIL_LINES = 15
CANCEL_WAIT_S = 30.0


@dataclasses.dataclass(frozen=True, slots=True)
class Request:
    """One image to build: every input BuildKit sees, nothing machine-local in it."""

    context: Path
    dockerfile: str  # relative to ``context`` (buildx reads -f from the working directory)
    platform: str
    buildargs: Mapping[str, str] = dataclasses.field(default_factory=dict)
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    contexts: Mapping[str, str] = dataclasses.field(default_factory=dict)  # name -> path/ref
    secrets: Mapping[str, str] = dataclasses.field(default_factory=dict)  # id -> env var
    nocache: bool = False
    cache_from: Sequence[str] = ()  # buildx --cache-from values (type=registry,ref=...)
    cache_to: Sequence[str] = ()


COMPRESSION_ENV = "DOCKBUILD_LAYER_COMPRESSION"
COMPRESSIONS = ("zstd", "gzip")


def layer_compression() -> str:
    """Return how new layers are compressed: zstd (default) or gzip (DOCKBUILD_LAYER_COMPRESSION).

    Exporting a 300 MB layer took 12 s with gzip and 3 s with zstd here. zstd
    layers need Docker 23+ / containerd 1.5+ to pull; set gzip for older consumers.

    Raises:
        EnvironmentProblem: the variable names another compression (exit 2).
    """
    value = os.environ.get(COMPRESSION_ENV, "zstd").strip().lower() or "zstd"
    if value not in COMPRESSIONS:
        msg = f"{COMPRESSION_ENV}={value!r} is not a layer compression"
        raise EnvironmentProblem(msg, hint=f"use one of {', '.join(COMPRESSIONS)}")
    return value


def argv(request: Request, *, iidfile: Path, metadata: Path) -> list[str]:
    """Return the ``docker buildx build`` command line of one request (pure)."""
    dockerfile = str(request.context / request.dockerfile)
    args = ["docker", "buildx", "build", *buildx.builder_args(), "--progress=plain",
            "--platform", request.platform, "-f", dockerfile,
            "--output", f"type=docker,compression={layer_compression()}",  # --load, compressed so
            "--iidfile", str(iidfile), "--metadata-file", str(metadata)]
    for name, source in sorted(request.contexts.items()):
        args += ["--build-context", f"{name}={source}"]
    for key, value in sorted(request.buildargs.items()):
        args += ["--build-arg", f"{key}={value}"]
    for key, value in sorted(request.labels.items()):
        args += ["--label", f"{key}={value}"]
    for ident, env in sorted(request.secrets.items()):
        args += ["--secret", f"id={ident},env={env}"]
    for ref in request.cache_from:
        args += ["--cache-from", ref]
    for ref in request.cache_to:
        args += ["--cache-to", ref]
    if request.nocache:
        args.append("--no-cache")
    return [*args, str(request.context)]


@dataclasses.dataclass(frozen=True, slots=True)
class Result:
    """What one finished build produced."""

    image_id: str
    metadata: Mapping[str, object]
    cached_steps: int
    steps: int


_STEP = re.compile(r"^\[(?:[^\]]+ )?\d+/\d+\] (?P<keyword>[A-Z]+)\b")


def count_steps(lines: Sequence[str]) -> tuple[int, int]:
    """Return (cached, all) instruction steps from BuildKit's plain progress (``#7 CACHED``).

    A step is ``#N [stage i/n] INSTRUCTION``; FROM (resolved, never "CACHED"),
    ``[internal]`` and ``[context NAME]`` transfers are not steps of the image.
    """
    names: dict[str, bool] = {}
    for line in lines:
        head, _, rest = line.partition(" ")
        if not head.startswith("#") or not head[1:].isdigit():
            continue
        match = _STEP.match(rest)
        if match and match.group("keyword") != "FROM":
            names.setdefault(head, False)
        elif rest.strip() == "CACHED" and head in names:
            names[head] = True
    return sum(names.values()), len(names)


def engine_id(iid: str, metadata: Mapping[str, object],
              inspect: Callable[[str], Mapping[str, object] | None]) -> str:
    """Return the id the engine gives the image just built, or "" when it has none.

    ``--iidfile`` holds the config digest when the image is a lone manifest;
    the containerd image store knows it by its manifest digest
    (``containerimage.digest``), the classic store by its config digest.
    """
    for candidate in (iid, str(metadata.get("containerimage.digest", ""))):
        info = inspect(candidate) if candidate else None
        if info is not None:
            return str(info.get("Id") or candidate)
    return ""


def failure_message(lines: Sequence[str]) -> str:
    """Return BuildKit's one-line reason for a failed build (its last ``ERROR:`` line)."""
    for line in reversed(lines):
        if line.startswith("ERROR:") or line.startswith("ERROR "):
            return line.removeprefix("ERROR:").strip()
    return lines[-1].strip() if lines else "the build failed with no output"


class Build:
    """One running build; :meth:`cancel` stops it on the engine."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self.cancelled = False

    def run(self, request: Request, *, env: Mapping[str, str] | None = None,
            on_line: Callable[[str], None] = lambda _: None,
            inspect: Callable[[str], Mapping[str, object] | None] = images.inspect) -> Result:
        """Build ``request``; return the new image's id and buildx's metadata.

        Raises:
            BuildFailed: a step failed, or the build was cancelled.
            EnvironmentProblem: the docker CLI is missing.
        """
        with tempfile.TemporaryDirectory(prefix="dockbuild-build-") as scratch:
            iidfile, metadata = Path(scratch) / "iid", Path(scratch) / "metadata.json"
            command = argv(request, iidfile=iidfile, metadata=metadata)
            log.debug("+ %s", shlex.join(command))
            lines = self._stream(command, env, on_line)
            iid = iidfile.read_text().strip() if iidfile.is_file() else ""
            meta = json.loads(metadata.read_text()) if metadata.is_file() else {}
        image_id = engine_id(iid, meta, inspect)
        if not image_id:
            msg = f"buildx reported image {iid or 'none'}, which the engine does not have"
            raise BuildFailed(msg, lines[-TAIL_LINES:])
        cached, steps = count_steps(lines)
        return Result(image_id, meta, cached, steps)

    def _stream(self, command: list[str], env: Mapping[str, str] | None,
                on_line: Callable[[str], None]) -> list[str]:
        lines: list[str] = []
        try:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                       text=True, errors="replace", env=env,
                                       start_new_session=True)  # Ctrl-C is ours to pass on
        except FileNotFoundError:
            msg = "the docker CLI is not installed"
            raise EnvironmentProblem(msg, hint="run `inv engine-up`") from None
        with self._lock:
            self._process = process
            if self.cancelled:
                process.send_signal(signal.SIGINT)
        with process:  # closes the pipe and waits, whatever happens while streaming
            assert process.stderr is not None
            for raw in process.stderr:
                line = raw.rstrip()
                if line.strip():
                    lines.append(line)
                    on_line(line)
                    del lines[:-400]
        code = process.returncode
        if self.cancelled:
            msg = "cancelled"
            raise BuildFailed(msg, lines[-TAIL_LINES:])
        if code != 0:
            raise BuildFailed(failure_message(lines), lines[-TAIL_LINES:])
        return lines

    def cancel(self) -> None:
        """SIGINT the CLI (it cancels the build on the engine); wait for it to finish."""
        with self._lock:
            self.cancelled = True
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(CANCEL_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()

