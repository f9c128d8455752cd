"""What a lint run returns: its records, loaded lazily when the run was replayed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from dockbuild.evidence import Evidence


class LintResult:
    """Every record of a run, and how the run went.

    A replayed run loads its records only when something asks for them: the
    output it printed last time is kept, and printing it again needs none.
    """

    def __init__(
        self,
        records: Sequence[Evidence] | Callable[[], Sequence[Evidence]],
        *,
        tools: dict[str, str],
        stats: dict[str, int],
        errors: int | None = None,
        unusable: Sequence[Evidence] | None = None,
        outputs: dict[str, str] | None = None,
        remember: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        self._records = None if callable(records) else tuple(records)
        self._load = records if callable(records) else None
        self.tools = tools
        self.stats = stats
        self._errors = errors
        self._unusable = None if unusable is None else list(unusable)
        self.outputs = dict(outputs or {})
        self._remember = remember

    @property
    def records(self) -> tuple[Evidence, ...]:
        """Return every record (pass, fail, skip)."""
        if self._records is None:
            assert self._load is not None
            self._records = tuple(self._load())
        return self._records

    @property
    def findings(self) -> list[Evidence]:
        """Return the failures, sorted by file and line."""
        return sorted((r for r in self.records if r.failed), key=Evidence.sort_key)

    @property
    def errors(self) -> int:
        """Return how many findings are errors (exit 1 when any)."""
        if self._errors is None:
            self._errors = sum(r.severity.value == "error" for r in self.findings)
        return self._errors

    @property
    def unusable(self) -> list[Evidence]:
        """Return the files that could not be read or parsed (exit 2)."""
        if self._unusable is None:
            self._unusable = [r for r in self.findings if r.check == "DF001"]
        return self._unusable

    def output(self, key: str, render: Callable[[LintResult], str]) -> str:
        """Return ``render(self)``, reusing what a replayed run printed for the same ``key``."""
        if key not in self.outputs:
            self.outputs[key] = render(self)
            if self._remember is not None:
                self._remember(self.outputs)
        return self.outputs[key]

    def refuse_unusable(self) -> None:
        """Raise InputError (exit 2) at the first Dockerfile that could not be parsed, if any."""
        if not self.unusable:
            return
        from dockbuild.errors import InputError, Location

        first = self.unusable[0]
        where = Location(Path(first.location.file), first.location.line) if first.location else None
        others = len(self.unusable) - 1
        hint = (f"and {others} more; " if others else "") + "the other Dockerfiles were linted"
        raise InputError(first.message, where=where, hint=hint)
