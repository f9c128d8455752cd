"""Turn an uploaded video into a JPEG thumbnail and a 360p H.264 MP4 with ffmpeg."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from libs.queue import Handler, JobFailed
from libs.settings import Settings
from libs.storage import download, output_key, upload
from libs.tools import run_tool

THUMBNAIL_AT_S = 1.0
# Clips shorter than this get their first frame as the thumbnail.
SHORT_CLIP_S = 1.5
HEIGHT = 360


def probe(path: Path, timeout: float) -> dict[str, Any]:
    """Return duration and stream facts of a media file; raise JobFailed if it is not media."""
    done = run_tool(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=codec_type,width,height",
            "-of",
            "json",
            path,
        ],
        timeout=timeout,
    )
    try:
        info = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        msg = "ffprobe printed something that is not JSON"
        raise JobFailed(msg) from None
    streams = info.get("streams", [])
    video = [s for s in streams if s.get("codec_type") == "video"]
    if not video:
        msg = "the input has no video stream"
        raise JobFailed(msg)
    try:
        duration = float(info.get("format", {}).get("duration", 0.0))
    except (TypeError, ValueError):
        duration = 0.0
    return {
        "duration_s": duration,
        "width": video[0].get("width"),
        "height": video[0].get("height"),
        "has_audio": any(s.get("codec_type") == "audio" for s in streams),
    }


def _grab_frame(source: Path, target: Path, seek: float, timeout: float) -> bool:
    target.unlink(missing_ok=True)
    run_tool(
        [
            "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
            "-ss", f"{seek:g}", "-i", source,
            "-frames:v", "1", "-vf", f"scale=-2:{HEIGHT}", "-q:v", "3",
            target,
        ],
        timeout=timeout,
    )  # fmt: skip
    return target.is_file() and target.stat().st_size > 0


def thumbnail(source: Path, target: Path, duration: float, timeout: float) -> Path:
    """Write one JPEG frame at about 1 s, or the first frame for short clips."""
    seek = THUMBNAIL_AT_S if duration >= SHORT_CLIP_S else 0.0
    # A reported duration can overstate the last frame's time: fall back to frame one.
    if _grab_frame(source, target, seek, timeout) or (
        seek > 0 and _grab_frame(source, target, 0.0, timeout)
    ):
        return target
    msg = "ffmpeg wrote no thumbnail frame (the video has no decodable frame)"
    raise JobFailed(msg)


def transcode(source: Path, target: Path, has_audio: bool, timeout: float) -> Path:
    """Write a 360p H.264 MP4 (AAC audio when the input has sound) that starts fast."""
    audio = ["-c:a", "aac", "-b:a", "128k"] if has_audio else ["-an"]
    run_tool(
        [
            "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
            "-i", source,
            "-vf", f"scale=-2:{HEIGHT}", "-c:v", "libx264", "-preset", "veryfast",
            "-pix_fmt", "yuv420p", *audio,
            "-movflags", "+faststart",
            target,
        ],
        timeout=timeout,
    )  # fmt: skip
    return target


def make_handler(settings: Settings) -> Handler:
    """Return the video job handler bound to ``settings``."""

    def handle(job: dict[str, Any]) -> dict[str, Any]:
        """Fetch the video, render the thumbnail and the 360p MP4, upload both."""
        bucket = job.get("bucket") or settings.bucket
        timeout = settings.tool_timeout
        with tempfile.TemporaryDirectory(prefix="academy-video-") as tmp:
            work = Path(tmp)
            source = download(settings, bucket, job["key"], work / "input")
            facts = probe(source, timeout)
            thumb = thumbnail(source, work / "thumb.jpg", facts["duration_s"], timeout)
            rendition = transcode(source, work / "360p.mp4", facts["has_audio"], timeout)
            thumb_key = upload(settings, thumb, output_key(job["id"], "thumb.jpg"), "image/jpeg")
            video_key = upload(settings, rendition, output_key(job["id"], "360p.mp4"), "video/mp4")
        return {
            "bucket": settings.bucket,
            "thumbnail": thumb_key,
            "video_360p": video_key,
            "source_duration_s": round(facts["duration_s"], 3),
            "source_width": facts["width"],
            "source_height": facts["height"],
            "has_audio": facts["has_audio"],
        }

    return handle
