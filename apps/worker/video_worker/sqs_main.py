"""Run the video worker: python -m apps.worker.video_worker.sqs_main [--max-jobs N]."""

from __future__ import annotations

from collections.abc import Sequence

from apps.worker.video_worker.handler import make_handler
from libs.queue.cli import run_worker


def main(argv: Sequence[str] | None = None) -> int:
    """Consume video jobs until stopped; return the exit code."""
    return run_worker(
        "video", make_handler, argv, prog="python -m apps.worker.video_worker.sqs_main"
    )


if __name__ == "__main__":
    raise SystemExit(main())
