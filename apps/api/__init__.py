"""The academy HTTP API: health check, job submission and job results."""

from __future__ import annotations
