"""Academy applications: the HTTP API and the queue workers."""

from __future__ import annotations
