"""Video worker: thumbnail and 360p H.264 rendition of an uploaded video."""

from __future__ import annotations
