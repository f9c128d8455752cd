"""Whose is it: the process that made a resource, named so a later run can tell it is gone.

Containers, temporary tags and locks carry "host pid start-ticks". A later run
on the same host removes what a dead owner left (``kill -9`` runs no clean-up);
a pid the kernel reused for another process does not count as the owner.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def started(pid: int) -> str | None:
    """Return the start time (clock ticks since boot) of a live process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[19]  # field 22 of proc(5); the first two precede the ")"


def owner() -> str:
    """Return this process's identity as the owner label holds it."""
    return f"{socket.gethostname()} {os.getpid()} {started(os.getpid()) or '?'}"


def alive(label: str | None) -> bool:
    """Return True unless ``label`` names a process of this host that no longer runs.

    A run of another host (the engine is shared) cannot be asked and counts as
    alive; resources of a version without the label count as left behind.
    """
    if not label:
        return False
    host, pid, since = [*label.split(" "), "", ""][:3]
    if host != socket.gethostname():
        return True
    return pid.isdigit() and started(int(pid)) == since
