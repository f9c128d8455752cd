"""One run at a time per repository and engine: a lock that says who holds it and since when.

Two ``inv build`` at once would both build everything and race to move the
same tags; two ``inv image-test`` would reach each other's containers on the
host network. So the verbs that use the engine hold
.cache/locks/engine-<key>.lock (the key names DOCKER_HOST). A second run waits,
saying which verb, which process and since when holds it; the lock goes with
the process that held it, ``kill -9`` included (an flock, not a file that
must be deleted). A run that already holds it (verify's build, then its
image-test) takes it again at no cost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from dockbuild.errors import EnvironmentProblem
from dockbuild.owner import owner

FOLDER = Path(".cache/locks")

_held: dict[Path, int] = {}  # lock file -> how many blocks of this process hold it
_guard = threading.Lock()


def engine_lock(root: Path) -> Path:
    """Return the lock file of this repository and the engine DOCKER_HOST names."""
    engine = os.environ.get("DOCKER_HOST") or "default"
    return root / FOLDER / f"engine-{hashlib.sha256(engine.encode()).hexdigest()[:12]}.lock"


def engine(root: Path, what: str) -> contextlib.AbstractContextManager[None]:
    """Return the block holding this repository's engine lock; waiting is said on stderr."""
    return hold(engine_lock(root), what, say=lambda line: print(line, file=sys.stderr))


def holder(path: Path) -> str:
    """Return who holds (or last held) ``path``, as one phrase."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        pid = str(info["owner"]).split(" ")[1]
        return f"`{info['what']}` (pid {pid}, since {info['since']})"
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "another run"


@contextlib.contextmanager
def hold(path: Path, what: str, say: Callable[[str], None] = print, *,
         shared: bool = False) -> Iterator[None]:
    """Hold ``path`` for the block, waiting (and saying for whom) while another process has it.

    ``shared``: a lock every user of the machine takes (in the temp folder), so its folder
    is sticky and world-writable and the file writable by all, as /tmp itself is.
    """
    path = path.resolve()
    with _guard:
        if _held.get(path):
            _held[path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _guard:
                _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if shared:
        with contextlib.suppress(OSError):  # someone else's: it is set up already
            path.parent.chmod(0o1777)
            path.touch(mode=0o666)
            path.chmod(0o666)
    try:
        handle_cm = path.open("a+", encoding="utf-8")
    except OSError as exc:
        msg = f"cannot open the lock {path}: {exc.strerror}"
        raise EnvironmentProblem(msg, hint="remove it, or run as the user who made it") from None
    with handle_cm as handle:
        _acquire(handle, path, say)
        handle.seek(0)
        handle.truncate()
        since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        handle.write(json.dumps({"what": what, "owner": owner(), "since": since}))
        handle.flush()
        with _guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(path, None)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: IO[str], path: Path, say: Callable[[str], None]) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    started = time.monotonic()
    say(f"waiting for {holder(path)}: it holds this repository's engine ({path.name});"
        " Ctrl-C to stop")
    fcntl.flock(handle, fcntl.LOCK_EX)  # Ctrl-C interrupts the wait
    say(f"got the engine after {time.monotonic() - started:.0f} s")
