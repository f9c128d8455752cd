"""What a smoke run starts on the host: moto's S3/SQS server and an SMTP sink, on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dockbuild.errors import EnvironmentProblem

REGION = "us-east-1"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    """Return True when something accepts connections on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclasses.dataclass(frozen=True, slots=True)
class Aws:
    """The moto endpoint and this run's bucket and queue names."""

    endpoint: str
    prefix: str

    @property
    def bucket(self) -> str:
        """Return the run's bucket."""
        return f"{self.prefix}-media"

    def queue(self, kind: str) -> str:
        """Return the run's queue for ``kind`` (video, messaging, ai, results)."""
        return f"{self.prefix}-{kind}"

    def env(self) -> dict[str, str]:
        """Return the environment that points a service at this endpoint."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",  # moto accepts any value
            "AWS_EC2_METADATA_DISABLED": "true",
            "ACADEMY_BUCKET": self.bucket,
            "ACADEMY_VIDEO_QUEUE": self.queue("video"),
            "ACADEMY_MESSAGING_QUEUE": self.queue("messaging"),
            "ACADEMY_AI_QUEUE": self.queue("ai"),
            "ACADEMY_RESULTS_QUEUE": self.queue("results"),
            "ACADEMY_CREATE_QUEUES": "1",
            "ACADEMY_WAIT_SECONDS": "1",
            "ACADEMY_VISIBILITY_TIMEOUT": "60",
        }

    def client(self, service: str) -> Any:
        """Return a boto3 client for the endpoint."""
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def prepare(self) -> None:
        """Create the bucket and every queue, as the services would with ACADEMY_CREATE_QUEUES."""
        self.client("s3").create_bucket(Bucket=self.bucket)
        sqs = self.client("sqs")
        for kind in ("video", "messaging", "ai", "results"):
            sqs.create_queue(QueueName=self.queue(kind))

    def put(self, key: str, data: bytes) -> None:
        """Upload ``data`` to the run's bucket."""
        self.client("s3").put_object(Bucket=self.bucket, Key=key, Body=data)

    def get(self, key: str) -> bytes | None:
        """Return an object of the run's bucket, or None."""
        from botocore.exceptions import ClientError

        try:
            return bytes(self.client("s3").get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except ClientError:
            return None

    def send(self, kind: str, body: dict[str, Any] | str) -> None:
        """Put a message on the queue of ``kind``."""
        sqs = self.client("sqs")
        url = sqs.get_queue_url(QueueName=self.queue(kind))["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str)
                         else json.dumps(body))

    def receive(self, kind: str, wait_s: int = 2) -> list[dict[str, Any]]:
        """Take (and delete) the messages waiting on the queue of ``kind``."""
        sqs = self.client("sqs")
        url = sqs.get_queue_url(QueueName=self.queue(kind))["QueueUrl"]
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                  WaitTimeSeconds=wait_s).get("Messages", [])
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return [json.loads(message["Body"]) for message in got]

    def result(self, job_id: str) -> dict[str, Any] | None:
        """Return the result a worker wrote to ``results/<id>.json``, or None."""
        data = self.get(f"results/{job_id}.json")
        return json.loads(data) if data else None


@contextmanager
def moto_server(prefix: str) -> Iterator[Aws]:
    """Run moto's server (S3 and SQS) on 127.0.0.1 for the block; yield the run's names."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        msg = "moto's server is not installed"
        hint = "pip install 'moto[server]' (./dev installs it)"
        raise EnvironmentProblem(msg, hint=hint) from None
    # werkzeug logs every request moto serves on stderr: keep the run's output readable
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        aws = Aws(endpoint=f"http://{host}:{port}", prefix=prefix)
        aws.prepare()
        yield aws
    finally:
        server.stop()


@dataclasses.dataclass
class Sink:
    """An SMTP server that keeps every message it is sent."""

    port: int
    messages: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    arrived: threading.Event = dataclasses.field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message (aiosmtpd's hook)."""
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "data": bytes(envelope.original_content or envelope.content)})
        self.arrived.set()
        return "250 Message accepted for delivery"

    def wait(self, count: int, timeout_s: float) -> bool:
        """Return True once ``count`` messages arrived, False after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while len(self.messages) < count and time.monotonic() < deadline:
            self.arrived.wait(0.2)
            self.arrived.clear()
        return len(self.messages) >= count


@contextmanager
def smtp_sink() -> Iterator[Sink]:
    """Run an aiosmtpd sink on a free port of 127.0.0.1 for the block."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        msg = "aiosmtpd is not installed"
        raise EnvironmentProblem(msg, hint="pip install aiosmtpd (./dev installs it)") from None
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, server_hostname="sink")
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
