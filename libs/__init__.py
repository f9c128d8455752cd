"""Shared code for the academy API and its workers."""

from __future__ import annotations
