"""Django settings, URLs and WSGI entry point of the academy API."""

from __future__ import annotations
