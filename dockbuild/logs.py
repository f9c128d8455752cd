"""The package's log: one stderr handler, info by default, debug with DOCKBUILD_DEBUG."""

from __future__ import annotations

import logging
import os


def to_stderr() -> None:
    """Log to stderr: info, or debug (each equivalent CLI command too) with DOCKBUILD_DEBUG."""
    log = logging.getLogger("dockbuild")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.DEBUG if os.environ.get("DOCKBUILD_DEBUG") else logging.INFO)
