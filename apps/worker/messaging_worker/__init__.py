"""Messaging worker: render a template and deliver it by SMTP."""

from __future__ import annotations
