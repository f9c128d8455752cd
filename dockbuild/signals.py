"""SIGTERM handled as Ctrl-C, so a stopped run cleans up what it made (`finally` runs)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt inside the block; restore the handler after it.

    Outside the main thread nothing changes (the caller's own handling applies).
    """
    try:
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def exit_status(interrupt: KeyboardInterrupt) -> tuple[int, str]:
    """Return the exit code and word of an interrupted run: 130 for Ctrl-C, 143 for SIGTERM."""
    if interrupt.args == ("SIGTERM",):
        return 128 + signal.SIGTERM, "terminated"
    return 128 + signal.SIGINT, "interrupted"
