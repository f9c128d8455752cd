"""Read the text in an uploaded image with the tesseract CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from libs.jobs import DEFAULT_OCR_LANG
from libs.queue import Handler
from libs.settings import Settings
from libs.storage import download, output_key, upload
from libs.tools import run_tool

PREVIEW_CHARS = 200


def ocr(image: Path, lang: str, psm: int, timeout: float) -> str:
    """Return the text tesseract reads in ``image`` with languages ``lang``."""
    done = run_tool(["tesseract", image, "stdout", "-l", lang, "--psm", str(psm)], timeout=timeout)
    return done.stdout.strip()


def make_handler(settings: Settings) -> Handler:
    """Return the OCR job handler bound to ``settings``."""

    def handle(job: dict[str, Any]) -> dict[str, Any]:
        """Fetch the image, OCR it, upload the text and return a preview."""
        bucket = job.get("bucket") or settings.bucket
        lang = job.get("lang") or DEFAULT_OCR_LANG
        with tempfile.TemporaryDirectory(prefix="academy-ocr-") as tmp:
            work = Path(tmp)
            image = download(settings, bucket, job["key"], work / "input")
            text = ocr(image, lang, settings.ocr_psm, settings.tool_timeout)
            text_file = work / "text.txt"
            text_file.write_text(text + "\n" if text else "", encoding="utf-8")
            key = upload(
                settings, text_file, output_key(job["id"], "text.txt"), "text/plain; charset=utf-8"
            )
        return {
            "bucket": settings.bucket,
            "text": key,
            "lang": lang,
            "chars": len(text),
            "preview": text[:PREVIEW_CHARS],
        }

    return handle
