"""Small test media made on the host: an ffmpeg test-pattern video, a Korean+English text image."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from dockbuild import proc
from dockbuild.errors import EnvironmentProblem


def test_video(seconds: float = 2.0) -> bytes:
    """Encode an ffmpeg test pattern with a sine tone (MPEG-4 + AAC in MP4); return its bytes."""
    with tempfile.TemporaryDirectory(prefix="dockbuild-media-") as folder:
        target = Path(folder) / "pattern.mp4"
        proc.run([
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=640x480:rate=25",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "mpeg4", "-q:v", "5", "-c:a", "aac", "-shortest", str(target),
        ], timeout=60)  # fmt: skip
        return target.read_bytes()


def probe(data: bytes) -> dict[str, Any]:
    """Return ffprobe's streams and format for a media file's bytes (raises when it refuses it)."""
    with tempfile.TemporaryDirectory(prefix="dockbuild-media-") as folder:
        path = Path(folder) / "probe.mp4"
        path.write_bytes(data)
        done = proc.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
                         str(path)], timeout=60)
        return dict(json.loads(done.stdout))


def korean_font() -> str:
    """Return a font file with Hangul, found with fontconfig."""
    listed = proc.run(["fc-list", ":lang=ko", "file"], check=False).stdout
    fonts = sorted(line.split(":", 1)[0].strip() for line in listed.splitlines()
                   if line.split(":", 1)[0].strip().lower().endswith((".ttf", ".otf", ".ttc")))
    # plain gothic (sans) faces read best
    preferred = [f for f in fonts if "gothic" in f.lower() and "bold" not in f.lower()
                 and "coding" not in f.lower()]
    if not (preferred or fonts):
        msg = "no font with Hangul is installed"
        raise EnvironmentProblem(msg, hint="apt-get install fonts-nanum fontconfig")
    return (preferred or fonts)[0]


def text_image(lines: list[str]) -> bytes:
    """Draw black text lines on white with a Korean-capable font; return a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(korean_font(), 56)
    image = Image.new("RGB", (900, 110 * len(lines) + 60), "white")
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((40, 40 + row * 110), line, font=font, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
