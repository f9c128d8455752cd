"""Each worker's handler on small real media, a real S3 (moto) and a real SMTP sink."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from academy_support import ROOT, Academy, SmtpSink

from apps.worker.ai_worker.handler import make_handler as make_ai_handler
from apps.worker.messaging_worker.handler import make_handler as make_messaging_handler
from apps.worker.messaging_worker.handler import template_names
from apps.worker.video_worker.handler import make_handler as make_video_handler
from libs.queue import Consumer


def run_one(academy: Academy, kind: str, make_handler: Any) -> None:
    """Run the kind's real handler inside the consumer loop for one job."""
    consumer = Consumer(kind, make_handler(academy.settings), academy.settings, max_jobs=1)
    assert consumer.run(install_signals=False) == 0


def finished(academy: Academy, job_id: str) -> dict[str, Any]:
    """Return the stored result of a job that must have finished."""
    stored = academy.result(job_id)
    assert stored is not None, f"no result for {job_id}"
    return stored


def ffprobe_streams(path: Path) -> list[dict[str, Any]]:
    """Return ffprobe's stream list for ``path``."""
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    streams: list[dict[str, Any]] = json.loads(done.stdout)["streams"]
    return streams


def make_test_video(target: Path, seconds: float) -> bytes:
    """Encode an ffmpeg test pattern with a sine tone and return the file's bytes."""
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=640x480:rate=25",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "mpeg4", "-q:v", "5", "-c:a", "aac", "-shortest",
            str(target),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return target.read_bytes()


# -- video -----------------------------------------------------------------------


@pytest.mark.ffmpeg
def test_video_job_makes_a_360p_h264_mp4_and_a_jpeg_thumbnail(
    academy: Academy, tmp_path: Path
) -> None:
    from PIL import Image

    academy.put("uploads/lesson.mp4", make_test_video(tmp_path / "lesson.mp4", 2))
    job_id = academy.job("video", key="uploads/lesson.mp4")

    run_one(academy, "video", make_video_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "succeeded", stored
    outputs = stored["outputs"]
    assert outputs["thumbnail"] == f"outputs/{job_id}/thumb.jpg"
    assert outputs["video_360p"] == f"outputs/{job_id}/360p.mp4"
    assert outputs["has_audio"] is True
    assert (outputs["source_width"], outputs["source_height"]) == (640, 480)

    rendition = tmp_path / "360p.mp4"
    rendition.write_bytes(academy.get(outputs["video_360p"]))
    streams = {s["codec_type"]: s for s in ffprobe_streams(rendition)}
    assert streams["video"]["codec_name"] == "h264"
    assert (streams["video"]["width"], streams["video"]["height"]) == (480, 360)
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert streams["audio"]["codec_name"] == "aac"
    # +faststart moves the index (moov) in front of the media data (mdat).
    head = rendition.read_bytes()
    assert head.index(b"moov") < head.index(b"mdat")

    with Image.open(io.BytesIO(academy.get(outputs["thumbnail"]))) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.height == 360


@pytest.mark.ffmpeg
def test_clip_shorter_than_a_second_gets_its_first_frame_as_thumbnail(
    academy: Academy, tmp_path: Path
) -> None:
    academy.put("uploads/blink.mp4", make_test_video(tmp_path / "blink.mp4", 0.4))
    job_id = academy.job("video", key="uploads/blink.mp4")

    run_one(academy, "video", make_video_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "succeeded", stored
    assert academy.get(stored["outputs"]["thumbnail"]).startswith(b"\xff\xd8")


@pytest.mark.ffmpeg
def test_corrupt_video_gives_failed_result_with_ffprobe_reason(academy: Academy) -> None:
    academy.put("uploads/broken.mp4", b"\x00\x00\x00\x18ftypmp42" + os.urandom(4096))
    job_id = academy.job("video", key="uploads/broken.mp4")

    run_one(academy, "video", make_video_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert stored["reason"].startswith("ffprobe exited with status")
    assert academy.messages_left("video") == 0


def test_missing_video_object_gives_failed_result(academy: Academy) -> None:
    job_id = academy.job("video", key="uploads/never-uploaded.mp4")

    run_one(academy, "video", make_video_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    bucket = academy.settings.bucket
    assert stored["reason"] == f"input s3://{bucket}/uploads/never-uploaded.mp4 does not exist"


def test_video_from_a_missing_bucket_gives_failed_result(academy: Academy) -> None:
    job_id = academy.job("video", bucket="no-such-bucket-here", key="a.mp4")

    run_one(academy, "video", make_video_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert "does not exist" in stored["reason"]


# -- ai (OCR) ----------------------------------------------------------------------


def text_image(lines: list[str]) -> bytes:
    """Draw the lines with a Korean-capable font (the smoke tests' own maker), or skip."""
    from dockbuild.errors import EnvironmentProblem
    from dockbuild.imagetest.smoke import media

    try:
        return media.text_image(lines)
    except EnvironmentProblem as exc:
        pytest.skip(str(exc))


@pytest.mark.tesseract
def test_ocr_job_reads_korean_and_english_text(academy: Academy) -> None:
    academy.put("scans/sign.png", text_image(["학원 수업 안내", "ACADEMY NOTICE"]))
    job_id = academy.job("ai", key="scans/sign.png")

    run_one(academy, "ai", make_ai_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "succeeded", stored
    outputs = stored["outputs"]
    assert outputs["lang"] == "kor+eng"
    assert outputs["text"] == f"outputs/{job_id}/text.txt"
    text = academy.get(outputs["text"]).decode("utf-8")
    squeezed = "".join(text.split())
    assert "학원" in squeezed, text
    assert "ACADEMY" in squeezed, text
    assert outputs["preview"] == text.strip()[:200]
    assert outputs["chars"] == len(text.strip())


@pytest.mark.tesseract
def test_ocr_with_a_language_tesseract_lacks_fails(academy: Academy) -> None:
    academy.put("scans/sign.png", text_image(["ACADEMY"]))
    job_id = academy.job("ai", key="scans/sign.png", lang="zzz")

    run_one(academy, "ai", make_ai_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert stored["reason"].startswith("tesseract exited with status")


def test_ocr_of_a_missing_image_fails(academy: Academy) -> None:
    job_id = academy.job("ai", key="scans/nothing.png")

    run_one(academy, "ai", make_ai_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert "scans/nothing.png does not exist" in stored["reason"]


@pytest.mark.tesseract
def test_tesseract_language_check_script_passes_with_kor_and_eng() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/check_tesseract_langs.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    assert "kor" in done.stdout


def test_tesseract_language_check_script_names_missing_language(tmp_path: Path) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text(
        "#!/bin/sh\nprintf 'List of available languages in \"/x/\" (2):\\neng\\nosd\\n'\n"
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}"}

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_tesseract_langs.py")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )

    assert done.returncode == 1
    assert "lacks language data: kor" in done.stdout


# -- messaging ---------------------------------------------------------------------


def test_message_is_rendered_and_delivered_to_the_smtp_server(
    academy: Academy, smtp_sink: SmtpSink
) -> None:
    job_id = academy.job(
        "messaging",
        to="mina@example.test",
        template="class_reminder",
        context={"name": "Mina", "course": "Korean 101", "starts_at": "at 9:00", "room": 3},
    )

    run_one(academy, "messaging", make_messaging_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "succeeded", stored
    assert stored["outputs"]["subject"] == "Reminder: Korean 101 starts at 9:00"
    assert len(smtp_sink.messages) == 1
    delivered = smtp_sink.messages[0]
    assert delivered["from"] == "academy@example.test"
    assert delivered["to"] == ["mina@example.test"]
    mail = message_from_bytes(delivered["data"], policy=policy.default)
    assert mail["Subject"] == "Reminder: Korean 101 starts at 9:00"
    assert mail["Message-ID"] == stored["outputs"]["message_id"]
    body = mail.get_content()
    assert "Hello Mina," in body
    assert "room 3" in body
    assert "수업 시작 알림" in body


def test_refused_smtp_connection_gives_failed_result(academy: Academy) -> None:
    # SMTP_PORT points at a port with no server (no smtp_sink fixture here).
    job_id = academy.job(
        "messaging", to="mina@example.test", template="welcome", context={"name": "Mina"}
    )

    run_one(academy, "messaging", make_messaging_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert stored["reason"].startswith(
        f"cannot reach SMTP server 127.0.0.1:{academy.settings.smtp_port}"
    )


def test_recipient_refused_by_smtp_server_gives_failed_result(
    academy: Academy, smtp_sink: SmtpSink
) -> None:
    smtp_sink.refuse_recipients = True
    job_id = academy.job(
        "messaging", to="nobody@example.test", template="welcome", context={"name": "X"}
    )

    run_one(academy, "messaging", make_messaging_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert "refused the recipient" in stored["reason"]
    assert "550" in stored["reason"]
    assert smtp_sink.messages == []


@pytest.mark.parametrize(
    ("template", "context", "reason"),
    [
        ("no_such_template", {}, "unknown template 'no_such_template'"),
        ("welcome", {}, "template 'welcome' needs context key 'name'"),
    ],
    ids=["unknown-template", "missing-context-key"],
)
def test_unusable_template_gives_failed_result_without_sending(
    academy: Academy, smtp_sink: SmtpSink, template: str, context: dict[str, str], reason: str
) -> None:
    job_id = academy.job("messaging", to="a@example.test", template=template, context=context)

    run_one(academy, "messaging", make_messaging_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert stored["reason"].startswith(reason)
    assert smtp_sink.messages == []


def test_bad_address_in_queued_job_gives_failed_result(academy: Academy) -> None:
    job_id = academy.job("messaging", to="not-an-address", template="welcome", context={})

    run_one(academy, "messaging", make_messaging_handler)

    stored = finished(academy, job_id)
    assert stored["status"] == "failed"
    assert "'to'" in stored["reason"]


def test_every_shipped_template_has_a_subject_line() -> None:
    names = template_names()
    assert {"welcome", "class_reminder", "job_finished"} <= set(names)
    for name in names:
        text = (ROOT / "apps/worker/messaging_worker/templates" / f"{name}.txt").read_text()
        assert text.startswith("Subject: "), name
        assert "\n\n" in text, name
