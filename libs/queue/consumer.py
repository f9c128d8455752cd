"""Poll an SQS queue, run a handler per job and publish each job's result."""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from libs import aws
from libs.jobs import JOB_ID_RE, InvalidJob, validate_message
from libs.queue.errors import JobFailed
from libs.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]

MAX_BACKOFF_S = 30.0
AWS_ERRORS = (BotoCoreError, ClientError)


class _Interrupted(BaseException):
    """Abort a long poll or a back-off sleep once a stop was requested."""


class _Heartbeat:
    """Keep a message invisible to other consumers while its job runs."""

    def __init__(self, sqs: Any, queue_url: str, receipt: str, timeout: int) -> None:
        """Extend ``receipt``'s visibility to ``timeout`` s every ``timeout / 2`` s."""
        self._sqs = sqs
        self._queue_url = queue_url
        self._receipt = receipt
        self._timeout = timeout
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = max(1.0, self._timeout / 2)
        while not self._done.wait(interval):
            try:
                self._sqs.change_message_visibility(
                    QueueUrl=self._queue_url,
                    ReceiptHandle=self._receipt,
                    VisibilityTimeout=self._timeout,
                )
            except AWS_ERRORS as exc:
                log.warning("could not extend the message's visibility: %s", exc)


class Consumer:
    """Run jobs of one kind from that kind's queue until stopped."""

    def __init__(
        self,
        kind: str,
        handler: Handler,
        settings: Settings,
        *,
        max_jobs: int | None = None,
        batch_size: int = 1,
    ) -> None:
        """Consume ``kind`` jobs with ``handler``, ``batch_size`` per poll, up to ``max_jobs``."""
        # Messages of a batch not yet started when the loop stops are released at once.
        if not 1 <= batch_size <= 10:
            msg = f"batch_size must be 1..10 (an SQS limit), got {batch_size}"
            raise ValueError(msg)
        self.kind = kind
        self.handler = handler
        self.settings = settings
        self.max_jobs = max_jobs
        self.batch_size = batch_size
        self.queue_name = settings.queue_for(kind)
        self.processed = 0
        self._stopping = False
        self._interruptible = False
        self._sqs: Any = None
        self._urls: aws.QueueUrls | None = None

    # -- stopping -------------------------------------------------------------

    def request_stop(self) -> None:
        """Ask the loop to stop once the job in hand (if any) is finished."""
        self._stopping = True

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if not self._stopping:
            log.info("%s received: stopping after the job in hand", name)
        self._stopping = True
        if self._interruptible:
            # Waiting on SQS or sleeping: nothing is in hand, so leave right away.
            self._interruptible = False
            raise _Interrupted

    def _done(self) -> bool:
        return self._stopping or (self.max_jobs is not None and self.processed >= self.max_jobs)

    def _sleep(self, seconds: float) -> None:
        self._interruptible = True
        if not self._stopping:
            time.sleep(seconds)
        self._interruptible = False

    # -- the loop -------------------------------------------------------------

    def run(self, *, install_signals: bool = True) -> int:
        """Consume jobs until stopped or ``max_jobs`` are done; return an exit code."""
        previous: dict[int, Any] = {}
        if install_signals and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, self._on_signal)
        try:
            return self._run()
        except _Interrupted:
            log.info("%s worker stopped while waiting, after %d jobs", self.kind, self.processed)
            return 0
        finally:
            self._interruptible = False
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self) -> int:
        if not self._connect():
            return 0 if self._stopping else 1
        assert self._urls is not None
        log.info(
            "%s worker polling %s (wait %ss, visibility %ss, max receives %d)",
            self.kind,
            self._urls.url,
            self.settings.wait_seconds,
            self.settings.visibility_timeout,
            self.settings.max_receives,
        )
        backoff = 1.0
        while not self._done():
            try:
                messages = self._receive()
            except AWS_ERRORS as exc:
                log.error(
                    "receiving from %s failed: %s; retrying in %gs", self.queue_name, exc, backoff
                )
                self._sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            backoff = 1.0
            for index, message in enumerate(messages):
                if self._done():
                    self._release(messages[index:])
                    break
                self._handle(message)
                self.processed += 1
        log.info("%s worker stopped after %d jobs", self.kind, self.processed)
        return 0

    def _connect(self) -> bool:
        backoff = 1.0
        while not self._stopping:
            self._interruptible = True
            try:
                self._urls = aws.prepare(self.settings, self.queue_name)
            except LookupError as exc:
                log.error("%s", exc)
                return False
            except AWS_ERRORS as exc:
                log.error("cannot reach SQS/S3 yet: %s; retrying in %gs", exc, backoff)
                self._sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            finally:
                self._interruptible = False
            self._sqs = aws.client("sqs", self.settings)
            return True
        return False

    def _batch(self) -> int:
        if self.max_jobs is None:
            return self.batch_size
        return max(1, min(self.batch_size, self.max_jobs - self.processed))

    def _receive(self) -> list[dict[str, Any]]:
        assert self._urls is not None
        self._interruptible = True
        try:
            if self._stopping:
                return []
            response = self._sqs.receive_message(
                QueueUrl=self._urls.url,
                MaxNumberOfMessages=self._batch(),
                WaitTimeSeconds=self.settings.wait_seconds,
                VisibilityTimeout=self.settings.visibility_timeout,
                MessageSystemAttributeNames=["ApproximateReceiveCount"],
            )
        finally:
            self._interruptible = False
        messages: list[dict[str, Any]] = response.get("Messages", [])
        return messages

    def _release(self, messages: list[dict[str, Any]]) -> None:
        """Make messages that were received but not started visible again."""
        assert self._urls is not None
        for message in messages:
            try:
                self._sqs.change_message_visibility(
                    QueueUrl=self._urls.url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=0,
                )
            except AWS_ERRORS as exc:
                log.warning("could not release message %s: %s", message.get("MessageId"), exc)

    # -- one job --------------------------------------------------------------

    def _handle(self, message: dict[str, Any]) -> None:
        assert self._urls is not None
        started = time.monotonic()
        body = message.get("Body", "")
        receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        job_id = f"msg-{message.get('MessageId', 'unknown')}"
        outputs: dict[str, Any] = {}
        reason: str | None = None
        give_up = False
        try:
            try:
                payload = json.loads(body)
            except json.JSONDecodeError as exc:
                msg = f"malformed JSON: {exc}"
                raise JobFailed(msg) from None
            if isinstance(payload, dict) and JOB_ID_RE.match(str(payload.get("id", ""))):
                job_id = str(payload["id"])
            if receives >= self.settings.max_receives:
                give_up = True
                msg = (
                    f"gave up after {receives} receives"
                    f" (ACADEMY_MAX_RECEIVES={self.settings.max_receives})"
                )
                raise JobFailed(msg)
            try:
                job = validate_message(self.kind, payload)
            except InvalidJob as exc:
                msg = f"invalid job: field {exc.field!r} {exc.problem}"
                raise JobFailed(msg) from None
            log.debug("job %s started (receive %d)", job_id, receives)
            with _Heartbeat(
                self._sqs,
                self._urls.url,
                message["ReceiptHandle"],
                self.settings.visibility_timeout,
            ):
                returned = self.handler(job)
            if not isinstance(returned, dict):
                msg = f"handler returned {type(returned).__name__}, not a dict of outputs"
                raise JobFailed(msg)
            json.dumps(returned)
            outputs = returned
        except JobFailed as exc:
            reason = exc.reason
        except Exception as exc:
            log.exception("job %s: handler crashed", job_id)
            reason = f"{type(exc).__name__}: {exc}"
        duration = round(time.monotonic() - started, 3)
        result: dict[str, Any] = {
            "id": job_id,
            "kind": self.kind,
            "status": "failed" if reason else "succeeded",
            "outputs": outputs,
            "duration_s": duration,
        }
        if reason:
            result["reason"] = reason
        self._finish(message, result, dead_letter=give_up)

    def _finish(
        self, message: dict[str, Any], result: dict[str, Any], *, dead_letter: bool
    ) -> None:
        assert self._urls is not None
        try:
            if dead_letter and self._urls.dlq_url:
                self._sqs.send_message(QueueUrl=self._urls.dlq_url, MessageBody=message["Body"])
            aws.publish_result(self.settings, result)
            self._sqs.delete_message(
                QueueUrl=self._urls.url, ReceiptHandle=message["ReceiptHandle"]
            )
        except AWS_ERRORS as exc:
            log.error(
                "job %s: could not record its result (%s); the message will be retried",
                result["id"],
                exc,
            )
            return
        reason = " | ".join(result.get("reason", "").splitlines())
        suffix = f" reason={reason}" if reason else ""
        log.info(
            "job %s kind=%s status=%s duration=%.3fs%s",
            result["id"],
            result["kind"],
            result["status"],
            result["duration_s"],
            suffix,
        )
