"""Read the academy's runtime configuration from environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

# The environment contract (every value optional; defaults in brackets):
#   AWS_ENDPOINT_URL             talk to this endpoint instead of AWS (moto, MinIO) [unset]
#   AWS_DEFAULT_REGION           [us-east-1]; credentials come from boto3's usual chain
#   ACADEMY_BUCKET               inputs, outputs/<id>/..., results/<id>.json [academy-media]
#   ACADEMY_VIDEO_QUEUE / ACADEMY_MESSAGING_QUEUE / ACADEMY_AI_QUEUE
#                                job queues [academy-video / academy-messaging / academy-ai]
#   ACADEMY_RESULTS_QUEUE        every result is also posted here [academy-results]
#   ACADEMY_MAX_RECEIVES         give up (and dead-letter) on the Nth receive [3]
#   ACADEMY_VISIBILITY_TIMEOUT   seconds; a running job's message is kept invisible [60]
#   ACADEMY_WAIT_SECONDS         long-poll seconds, at most 20 [10]
#   ACADEMY_CREATE_QUEUES        create missing queues, their -dlq and the bucket [1]
#   ACADEMY_TOOL_TIMEOUT         seconds one ffmpeg/ffprobe/tesseract run may take [600]
#   ACADEMY_OCR_PSM              tesseract page segmentation mode, 0..13 [4]
#   ACADEMY_LOG_LEVEL            level of the academy's own loggers [INFO]
#   SMTP_HOST / SMTP_PORT / SMTP_FROM / SMTP_TIMEOUT
#                                [localhost / 25 / academy@localhost / 10 s]
KINDS = ("video", "messaging", "ai")


class ConfigError(ValueError):
    """Report an environment variable whose value cannot be used."""


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip()
    return value or default


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        msg = f"{name} must be an integer, got {raw!r}"
        raise ConfigError(msg) from None
    if value < minimum:
        msg = f"{name} must be at least {minimum}, got {value}"
        raise ConfigError(msg)
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    msg = f"{name} must be 1/0, true/false, yes/no or on/off, got {raw!r}"
    raise ConfigError(msg)


@dataclass(frozen=True)
class Settings:
    """Hold every setting the API and the workers share."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    bucket: str = "academy-media"
    video_queue: str = "academy-video"
    messaging_queue: str = "academy-messaging"
    ai_queue: str = "academy-ai"
    results_queue: str = "academy-results"
    max_receives: int = 3
    visibility_timeout: int = 60
    wait_seconds: int = 10
    create_queues: bool = True
    tool_timeout: int = 600
    ocr_psm: int = 4
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "academy@localhost"
    smtp_timeout: int = 10

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: the process environment)."""
        env = os.environ if env is None else env
        return cls(
            endpoint_url=env.get("AWS_ENDPOINT_URL", "").strip() or None,
            region=_text(env, "AWS_DEFAULT_REGION", cls.region),
            bucket=_text(env, "ACADEMY_BUCKET", cls.bucket),
            video_queue=_text(env, "ACADEMY_VIDEO_QUEUE", cls.video_queue),
            messaging_queue=_text(env, "ACADEMY_MESSAGING_QUEUE", cls.messaging_queue),
            ai_queue=_text(env, "ACADEMY_AI_QUEUE", cls.ai_queue),
            results_queue=_text(env, "ACADEMY_RESULTS_QUEUE", cls.results_queue),
            max_receives=_int(env, "ACADEMY_MAX_RECEIVES", cls.max_receives, 1),
            visibility_timeout=_int(env, "ACADEMY_VISIBILITY_TIMEOUT", cls.visibility_timeout, 1),
            # SQS allows long polls of 0..20 seconds.
            wait_seconds=min(_int(env, "ACADEMY_WAIT_SECONDS", cls.wait_seconds, 0), 20),
            create_queues=_flag(env, "ACADEMY_CREATE_QUEUES", cls.create_queues),
            tool_timeout=_int(env, "ACADEMY_TOOL_TIMEOUT", cls.tool_timeout, 1),
            # tesseract's page segmentation mode; 4 (one column of text of varying
            # sizes) keeps Hangul lines that the automatic mode 3 tends to drop.
            ocr_psm=min(_int(env, "ACADEMY_OCR_PSM", cls.ocr_psm, 0), 13),
            smtp_host=_text(env, "SMTP_HOST", cls.smtp_host),
            smtp_port=_int(env, "SMTP_PORT", cls.smtp_port, 1),
            smtp_from=_text(env, "SMTP_FROM", cls.smtp_from),
            smtp_timeout=_int(env, "SMTP_TIMEOUT", cls.smtp_timeout, 1),
        )

    def queue_for(self, kind: str) -> str:
        """Return the name of the queue that carries jobs of ``kind``."""
        queues = {"video": self.video_queue, "messaging": self.messaging_queue, "ai": self.ai_queue}
        try:
            return queues[kind]
        except KeyError:
            msg = f"unknown job kind {kind!r} (expected one of {', '.join(KINDS)})"
            raise ValueError(msg) from None
