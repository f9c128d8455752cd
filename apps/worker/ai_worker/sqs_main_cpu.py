"""Run the CPU AI worker: python -m apps.worker.ai_worker.sqs_main_cpu [--max-jobs N]."""

from __future__ import annotations

from collections.abc import Sequence

from apps.worker.ai_worker.handler import make_handler
from libs.queue.cli import run_worker


def main(argv: Sequence[str] | None = None) -> int:
    """Consume OCR jobs until stopped; return the exit code."""
    return run_worker("ai", make_handler, argv, prog="python -m apps.worker.ai_worker.sqs_main_cpu")


if __name__ == "__main__":
    raise SystemExit(main())
