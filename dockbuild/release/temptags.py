"""The registry tags a push puts on the engine for a moment, journaled so none outlives it.

Pushing through the engine needs a local tag named after the registry
(``127.0.0.1:5000/academy-api:py3.11-amd64``). Each is written to
.cache/push/temporary-tags.json with its owner before it exists, and leaves
the journal after it is removed. Ctrl-C and SIGTERM remove it on the way out;
after ``kill -9`` the next push removes what a dead owner journaled (and says so).
Only journaled tags are ever removed: a tag the user made stays.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from dockbuild import fsio
from dockbuild.engine import tags
from dockbuild.owner import alive, owner

JOURNAL = Path(".cache/push/temporary-tags.json")
log = logging.getLogger("dockbuild")


class TemporaryTags:
    """The journal of one repository's temporary push tags."""

    def __init__(self, root: Path, api: Any) -> None:
        self.path = root / JOURNAL
        self.api = api
        self.me = owner()
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(ref): str(who) for ref, who in data.items()}

    def _change(self, update: Callable[[dict[str, str]], None]) -> None:
        with self._lock:
            journal = self._read()
            update(journal)
            fsio.write_json(self.path, journal, indent=1, sort_keys=True)

    def sweep(self, say: Callable[[str], None]) -> list[str]:
        """Remove the journaled tags whose owner is gone; return them."""
        dead = [ref for ref, who in self._read().items() if not alive(who)]
        for ref in dead:
            self._untag(ref)
        if dead:
            self._change(lambda journal: _drop(journal, dead))
            say(f"removed {len(dead)} temporary tag(s) a stopped push left: {', '.join(dead)}")
        return dead

    @contextlib.contextmanager
    def tagged(self, image_id: str, ref: str) -> Iterator[None]:
        """Point ``ref`` at ``image_id`` for the block; the tag goes however the block ends."""
        self._change(lambda journal: journal.__setitem__(ref, self.me))
        try:
            tags.point(image_id, ref, api=self.api)
            yield
        finally:
            self._untag(ref)
            self._change(lambda journal: _drop(journal, [ref]))

    def _untag(self, ref: str) -> None:
        from docker.errors import NotFound

        with contextlib.suppress(NotFound):  # never made, or removed by hand
            self.api.remove_image(ref, noprune=True)


def _drop(journal: dict[str, str], refs: list[str]) -> None:
    for ref in refs:
        journal.pop(ref, None)
