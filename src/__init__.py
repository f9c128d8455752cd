"""Academy Django project package."""

from __future__ import annotations

__version__ = "0.1.0"
