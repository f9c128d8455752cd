"""Helpers for the application tests: an isolated academy, an SMTP sink, worker processes."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from libs import aws
from libs.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Academy:
    """One test's isolated academy: its own queue and bucket names on the moto server."""

    settings: Settings
    env: dict[str, str]

    def sqs(self) -> Any:
        """Return an SQS client for the test's moto server."""
        return aws.client("sqs", self.settings)

    def s3(self) -> Any:
        """Return an S3 client for the test's moto server."""
        return aws.client("s3", self.settings)

    def prepare(self, kind: str) -> aws.QueueUrls:
        """Create the kind's queue (with its DLQ), the results queue and the bucket."""
        return aws.prepare(self.settings, self.settings.queue_for(kind))

    def send(self, kind: str, body: dict[str, Any] | str) -> str:
        """Put a raw message on the kind's queue; return the MessageId."""
        urls = self.prepare(kind)
        text = body if isinstance(body, str) else json.dumps(body)
        sent = self.sqs().send_message(QueueUrl=urls.url, MessageBody=text)
        return str(sent["MessageId"])

    def job(self, kind: str, **fields: Any) -> str:
        """Queue a well-formed job of ``kind``; return its id."""
        job_id = uuid.uuid4().hex
        self.send(kind, {"id": job_id, "kind": kind, **fields})
        return job_id

    def put(self, key: str, data: bytes) -> None:
        """Upload ``data`` to the test's bucket."""
        aws.ensure_bucket(self.settings)
        self.s3().put_object(Bucket=self.settings.bucket, Key=key, Body=data)

    def get(self, key: str) -> bytes:
        """Download an object of the test's bucket."""
        return bytes(self.s3().get_object(Bucket=self.settings.bucket, Key=key)["Body"].read())

    def result(self, job_id: str) -> dict[str, Any] | None:
        """Return the result a worker wrote to S3 for ``job_id``."""
        return aws.read_result(self.settings, job_id)

    def results_posted(self) -> list[dict[str, Any]]:
        """Drain the results queue and return the results posted to it."""
        url = aws.results_queue_url(self.settings)
        found: list[dict[str, Any]] = []
        while True:
            got = (
                self.sqs()
                .receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
                .get("Messages", [])
            )
            if not got:
                return found
            for message in got:
                found.append(json.loads(message["Body"]))
                self.sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def messages_left(self, kind: str) -> int:
        """Count the messages still on the kind's queue, visible or in flight."""
        attributes = self.sqs().get_queue_attributes(
            QueueUrl=self.prepare(kind).url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )


@dataclass
class SmtpSink:
    """An aiosmtpd server that keeps what it receives (or refuses, or stalls)."""

    port: int
    messages: list[dict[str, Any]] = field(default_factory=list)
    refuse_recipients: bool = False
    delay_s: float = 0.0
    data_started: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Accept or refuse one recipient."""
        if self.refuse_recipients:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message, after an optional delay that simulates a slow server."""
        self.data_started.set()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "data": bytes(envelope.original_content or envelope.content),
            }
        )
        return "250 Message accepted for delivery"


class WorkerProcess:
    """A worker started as `python -m apps.worker...` from the repository root."""

    def __init__(self, module: str, env: dict[str, str], *args: str) -> None:
        """Start ``module`` with the test environment on top of this one."""
        full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for_line(self, text: str, timeout: float = 15.0) -> str:
        """Return the first output line containing ``text``; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            if text in line:
                return line
        pytest.fail(f"worker never printed {text!r}; output:\n{''.join(self.output)}")

    def wait(self, timeout: float) -> int:
        """Wait for the process to exit and return its exit code."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"worker did not exit in {timeout} s; output:\n{''.join(self.output)}")
        self._reader.join(timeout=5)
        return code

    def stop(self) -> None:
        """Kill the process if a failing test left it running."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
