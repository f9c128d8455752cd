"""The one SQS consumer loop every academy worker runs."""

from __future__ import annotations

from libs.queue.consumer import Consumer, Handler
from libs.queue.errors import JobFailed

__all__ = ["Consumer", "Handler", "JobFailed"]
