"""AI worker (CPU build): OCR of uploaded images with tesseract."""

from __future__ import annotations
