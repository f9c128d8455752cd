"""Queue workers, one package per job kind."""

from __future__ import annotations
