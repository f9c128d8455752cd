"""The smoke jobs of each worker kind: a good job, a bad one, and the check of the good result.

A check returns its problem as (English, Korean), ``("", "")`` when the result holds.
"""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes, policy
from typing import Any

from dockbuild.errors import DockbuildError
from dockbuild.imagetest.smoke import fixtures, media

NONE = ("", "")

Check = Callable[[dict[str, Any], fixtures.Aws, fixtures.Sink, int], tuple[str, str]]


def _job_failed(what: str, what_ko: str, result: dict[str, Any]) -> tuple[str, str]:
    return (f"the {what} job failed: {result.get('reason')}",
            f"{what_ko} 작업 실패 (사유는 영어 보고서 참조)")


def _video(aws: fixtures.Aws) -> tuple[dict[str, Any], dict[str, Any], Check]:
    aws.put("in/clip.mp4", media.test_video(2.0))

    def check(result: dict[str, Any], aws: fixtures.Aws, sink: fixtures.Sink,
              _n: int) -> tuple[str, str]:
        if result.get("status") != "succeeded":
            return _job_failed("video", "영상", result)
        outputs = result.get("outputs", {})
        thumb = aws.get(str(outputs.get("thumbnail")))
        video = aws.get(str(outputs.get("video_360p")))
        if not thumb or not thumb.startswith(b"\xff\xd8"):
            return (f"no JPEG thumbnail at {outputs.get('thumbnail')}",
                    f"`{outputs.get('thumbnail')}`에 JPEG 썸네일 없음")
        if not video:
            return (f"no 360p MP4 at {outputs.get('video_360p')}",
                    f"`{outputs.get('video_360p')}`에 360p MP4 없음")
        try:
            facts = media.probe(video)
        except DockbuildError as exc:
            return (f"ffprobe refuses the 360p MP4: {exc.message.splitlines()[-1]}",
                    "ffprobe가 360p MP4를 읽지 못함 (원문은 영어 보고서 참조)")
        heights = [s.get("height") for s in facts.get("streams", [])
                   if s.get("codec_type") == "video"]
        if 360 not in heights:
            return (f"the MP4's video stream is {heights} pixels high, not 360",
                    f"MP4 영상 높이가 `{heights}`픽셀: 360이어야 함")
        return NONE

    return {"key": "in/clip.mp4"}, {"key": "in/missing.mp4"}, check


def _ai(aws: fixtures.Aws) -> tuple[dict[str, Any], dict[str, Any], Check]:
    aws.put("in/sign.png", media.text_image(["학원 수업 안내", "ACADEMY NOTICE"]))

    def check(result: dict[str, Any], aws: fixtures.Aws, sink: fixtures.Sink,
              _n: int) -> tuple[str, str]:
        if result.get("status") != "succeeded":
            return _job_failed("OCR", "OCR", result)
        data = aws.get(str(result.get("outputs", {}).get("text")))
        text = (data or b"").decode(errors="replace")
        squeezed = "".join(text.split())
        missing = [word for word in ("학원", "ACADEMY") if word not in squeezed]
        if not missing:
            return NONE
        return (f"the OCR text lacks {', '.join(missing)}: {text.strip()[:120]!r}",
                f"OCR 결과에 {', '.join(f'`{w}`' for w in missing)} 없음: `{text.strip()[:120]}`")

    return {"key": "in/sign.png"}, {"key": "in/sign.png", "lang": "klingon"}, check


def _messaging(aws: fixtures.Aws) -> tuple[dict[str, Any], dict[str, Any], Check]:
    def check(result: dict[str, Any], aws: fixtures.Aws, sink: fixtures.Sink,
              before: int) -> tuple[str, str]:
        if result.get("status") != "succeeded":
            return _job_failed("message", "메시지", result)
        if not sink.wait(before + 1, 10):
            return "the SMTP sink received no message", "SMTP 싱크에 도착한 메일 없음"
        mail = message_from_bytes(sink.messages[-1]["data"], policy=policy.default)
        if "mina@example.test" not in sink.messages[-1]["to"]:
            return (f"the message went to {sink.messages[-1]['to']}, not mina@example.test",
                    f"메일 수신자 `{sink.messages[-1]['to']}`: 기대값 `mina@example.test`")
        if "Mina" in str(mail["Subject"]):
            return NONE
        return (f"unexpected subject {mail['Subject']!r}",
                f"뜻밖의 제목 `{mail['Subject']}`")

    good = {"to": "mina@example.test", "template": "welcome", "context": {"name": "Mina"}}
    bad = {"to": "mina@example.test", "template": "no_such_template", "context": {}}
    return good, bad, check


JOBS: dict[str, Callable[[fixtures.Aws], tuple[dict[str, Any], dict[str, Any], Check]]] = {
    "video": _video, "ai": _ai, "messaging": _messaging,
}
