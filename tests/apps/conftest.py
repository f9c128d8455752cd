"""Real parts for the application tests: a moto server, an SMTP sink, worker subprocesses."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The application is not installed: it is imported from the repository root,
# exactly as the images run it from /app. academy_support sits beside this file.
for entry in (ROOT, HERE):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from academy_support import Academy, SmtpSink, WorkerProcess, free_port  # noqa: E402

from libs.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Run moto's real HTTP server in this process for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def academy(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Academy:
    """Point the environment at moto with queue and bucket names unique to this test."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    env = {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "ACADEMY_BUCKET": f"{prefix}-media",
        "ACADEMY_VIDEO_QUEUE": f"{prefix}-video",
        "ACADEMY_MESSAGING_QUEUE": f"{prefix}-messaging",
        "ACADEMY_AI_QUEUE": f"{prefix}-ai",
        "ACADEMY_RESULTS_QUEUE": f"{prefix}-results",
        "ACADEMY_MAX_RECEIVES": "3",
        "ACADEMY_VISIBILITY_TIMEOUT": "30",
        "ACADEMY_WAIT_SECONDS": "1",
        "ACADEMY_CREATE_QUEUES": "1",
        "ACADEMY_TOOL_TIMEOUT": "120",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
        "SMTP_FROM": "academy@example.test",
        "SMTP_TIMEOUT": "5",
    }
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Academy(settings=Settings.from_env(), env=env)


@pytest.fixture
def smtp_sink(academy: Academy) -> Iterator[SmtpSink]:
    """Run an SMTP sink on the port the academy fixture put in SMTP_PORT."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=academy.settings.smtp_port)
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, server_hostname="sink")
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def start_worker() -> Iterator[Any]:
    """Start worker subprocesses; kill any still running when the test ends."""
    started: list[WorkerProcess] = []

    def start(module: str, env: dict[str, str], *args: str) -> WorkerProcess:
        """Start ``python -m module *args`` with ``env`` added to the environment."""
        worker = WorkerProcess(module, env, *args)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
