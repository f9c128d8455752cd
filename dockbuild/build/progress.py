"""Show builds as they go: a live table on a terminal (rich), plain lines in CI, then a summary.

``rich`` is imported only by the live view, so a no-op build never pays for it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
from typing import TextIO

from dockbuild.evidence import Evidence, Requirement, Severity, Status

STATES = ("waiting", "checking", "building", "built", "skipped", "failed", "not built")
#: a final state -> what it proves: skipped means unchanged, so the image is there
_OUTCOME = {"built": Status.PASS, "skipped": Status.PASS, "failed": Status.FAIL}
_BUILDS = Requirement("이미지가 빌드된다", "the image builds")


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One line of the summary table."""

    image: str
    variant: str
    status: str  # built, skipped, failed, not built
    seconds: float
    size_mb: float | None
    note: str = ""
    image_id: str = ""  # the id the variant tag points at after this build ("" when none)

    def to_evidence(self, *, revision: str = "", produced_at: str = "") -> Evidence:
        """Return the stored record of this build; ``name`` keeps the state the table shows.

        ``revision`` and ``produced_at`` say which commit was built and when, so
        the report can tell a record about today's image from an older one.
        """
        status = _OUTCOME.get(self.status, Status.SKIP)
        return Evidence(
            check="build", subject=self.image, status=status,
            severity=Severity.ERROR if status is Status.FAIL else Severity.INFO, location=None,
            message=self.note or self.status, requirement=_BUILDS, source="build",
            reason=self.note if status is Status.SKIP else "", name=self.status,
            variant=self.variant, duration_s=self.seconds,
            measures=(("size_mb", self.size_mb),) if self.size_mb is not None else (),
            image_id=self.image_id, revision=revision, produced_at=produced_at,
        )


def plain_wanted(stream: TextIO | None = None) -> bool:
    """Return True when output should be plain lines (CI=true, or not a terminal)."""
    stream = stream or sys.stdout
    return os.environ.get("CI", "").lower() == "true" or not stream.isatty()


class PlainView:
    """One line per state change and per build step, safe to interleave across threads."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()
        self._steps: set[tuple[str, str]] = set()

    def __enter__(self) -> PlainView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def say(self, text: str) -> None:
        """Print a message of the run itself."""
        with self._lock:
            print(text, file=self.stream, flush=True)

    def state(self, name: str, state: str, detail: str = "") -> None:
        """Record that an image reached ``state``."""
        self.say(f"{name}: {state}" + (f" ({detail})" if detail else ""))

    def step(self, name: str, line: str) -> None:
        """Print each build step once, as BuildKit's plain progress names it.

        ``#7 [builder 3/4] RUN pip install ...`` starts a step (BuildKit repeats
        the line when its output interleaves with another step's); ``#7 CACHED``,
        ``#7 0.512 output`` and ``[internal]`` steps are not printed.
        """
        head = step_of(line)
        if head is None:
            return
        with self._lock:
            if (name, head) in self._steps:
                return
            self._steps.add((name, head))
        self.say(f"{name}: {head[:160]}")


def step_of(line: str) -> str | None:
    """Return the step a plain-progress line starts (``[2/5] RUN ...``), else None."""
    number, _, rest = line.partition(" ")
    if not (number.startswith("#") and number[1:].isdigit() and rest.startswith("[")):
        return None
    if rest.startswith("[internal]") or "] " not in rest:
        return None
    return rest


class LiveView(PlainView):
    """A rich Live table: each image's state, current step and elapsed time."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        from rich.console import Console
        from rich.live import Live

        self.console = Console(file=self.stream)
        self.rows: dict[str, list[str]] = {}
        self.started: dict[str, float] = {}
        self.live = Live(get_renderable=self._table, console=self.console,
                         refresh_per_second=4, transient=False)

    def __enter__(self) -> LiveView:
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.stop()

    def _table(self) -> object:
        from rich.table import Table

        table = Table(box=None, pad_edge=False, show_header=True, expand=False)
        with self._lock:
            names = max((len(name) for name in self.rows), default=5)
        # the step column gives way first: names and states are never cut
        table.add_column("image", no_wrap=True, min_width=names)
        table.add_column("state", no_wrap=True, min_width=9)
        table.add_column("time", no_wrap=True, min_width=4, justify="right")
        table.add_column("step", no_wrap=True, overflow="ellipsis", ratio=1)
        now = time.monotonic()
        with self._lock:
            for name, (state, step) in self.rows.items():
                running = state in ("building", "checking")
                seconds = f"{now - self.started[name]:.0f}s" if running else ""
                table.add_row(name, state, seconds, step)
        return table

    def say(self, text: str) -> None:
        """Print above the live table."""
        self.console.print(text, markup=False, highlight=False)

    def state(self, name: str, state: str, detail: str = "") -> None:
        """Show the image's new state."""
        with self._lock:
            if state == "building":
                self.started[name] = time.monotonic()
            self.started.setdefault(name, time.monotonic())
            step = detail or (self.rows.get(name, ["", ""])[1] if state == "building" else "")
            self.rows[name] = [state, step]

    def step(self, name: str, line: str) -> None:
        """Show the image's current step."""
        head = step_of(line)
        if head is not None:
            with self._lock:
                if name in self.rows:
                    self.rows[name][1] = head[:120]


def view(stream: TextIO | None = None) -> PlainView:
    """Return the live view on a terminal, plain lines elsewhere."""
    return PlainView(stream) if plain_wanted(stream) else LiveView(stream)


def summary(rows: list[Row]) -> str:
    """Render the summary table as aligned plain text."""
    header = ("image", "variant", "status", "time", "size", "")
    lines = [header]
    for row in rows:
        size = f"{row.size_mb:.0f} MB" if row.size_mb is not None else "-"
        lines.append((row.image, row.variant, row.status, f"{row.seconds:.1f}s", size, row.note))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
                     .rstrip() for line in lines)
