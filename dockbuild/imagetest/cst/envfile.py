"""``containerRunOptions.envFile`` read as the real tool reads it: a dotenv file (godotenv).

Quotes are stripped, ``export`` is allowed, ``#`` starts a comment (also after a
value), spaces around ``=`` are dropped. python-dotenv reads the same syntax.
``${VAR}`` inside the file is kept as written (no interpolation from the caller's
environment).
"""

from __future__ import annotations

from pathlib import Path


def read(path: Path | str) -> dict[str, str]:
    """Return the file's ``KEY=value`` pairs; a line without ``=`` sets nothing."""
    from dotenv import dotenv_values

    values = dotenv_values(Path(path), interpolate=False, encoding="utf-8")
    return {key: value for key, value in values.items() if value is not None}
