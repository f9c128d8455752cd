"""The Django API through Django's test client, against a real moto server."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from academy_support import ROOT, Academy, SmtpSink

import src
from apps.worker.messaging_worker.handler import make_handler as make_messaging_handler
from libs.queue import Consumer


@pytest.fixture(scope="session")
def django_ready() -> Iterator[None]:
    """Configure Django from src.config.settings once, as manage.py and wsgi.py do."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_SETTINGS_MODULE", "src.config.settings")
        import django
        from django.test.utils import setup_test_environment, teardown_test_environment

        django.setup()
        # Adds 'testserver' (the test client's host) to ALLOWED_HOSTS.
        setup_test_environment()
        yield
        teardown_test_environment()


@pytest.fixture
def client(django_ready: None, academy: Academy) -> Any:
    """Return a Django test client; the academy fixture points it at moto."""
    from django.test import Client

    return Client()


def post_json(client: Any, path: str, body: Any) -> Any:
    """POST ``body`` as JSON to ``path``."""
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_healthz_reports_ok_and_the_version(client: Any) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "version": src.__version__}
    assert src.__version__ == "0.1.0"


def test_healthz_rejects_post_with_405(client: Any) -> None:
    response = client.post("/healthz")

    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_posted_video_job_lands_on_the_video_queue(client: Any, academy: Academy) -> None:
    response = post_json(client, "/jobs/video", {"key": "uploads/lesson.mp4"})

    assert response.status_code == 202
    answer = response.json()
    assert answer["kind"] == "video"
    assert answer["queue"] == academy.settings.video_queue
    assert len(answer["id"]) == 32
    int(answer["id"], 16)
    got = academy.sqs().receive_message(QueueUrl=academy.prepare("video").url, WaitTimeSeconds=1)[
        "Messages"
    ]
    assert json.loads(got[0]["Body"]) == {
        "id": answer["id"],
        "kind": "video",
        "key": "uploads/lesson.mp4",
    }
    assert academy.messages_left("messaging") == 0
    assert academy.messages_left("ai") == 0


def test_posted_ai_job_gets_the_default_language(client: Any, academy: Academy) -> None:
    response = post_json(client, "/jobs/ai", {"bucket": "scans-bucket", "key": "a.png"})

    assert response.status_code == 202
    got = academy.sqs().receive_message(QueueUrl=academy.prepare("ai").url, WaitTimeSeconds=1)
    job = json.loads(got["Messages"][0]["Body"])
    assert job == {
        "id": response.json()["id"],
        "kind": "ai",
        "bucket": "scans-bucket",
        "key": "a.png",
        "lang": "kor+eng",
    }


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("video", {}, "key"),
        ("video", {"key": ""}, "key"),
        ("video", {"key": "a.mp4", "bucket": "Not A Bucket"}, "bucket"),
        ("video", {"key": "a.mp4", "colour": "red"}, "colour"),
        ("ai", {"key": "a.png", "lang": "kor; rm -rf"}, "lang"),
        ("ai", {"key": 7}, "key"),
        ("messaging", {"template": "welcome", "context": {}}, "to"),
        ("messaging", {"to": "nobody", "template": "welcome", "context": {}}, "to"),
        ("messaging", {"to": "a@example.test", "template": "../etc", "context": {}}, "template"),
        ("messaging", {"to": "a@example.test", "template": "welcome"}, "context"),
        ("messaging", {"to": "a@example.test", "template": "welcome", "context": []}, "context"),
        (
            "messaging",
            {"to": "a@example.test", "template": "welcome", "context": {"name": {"x": 1}}},
            "context.name",
        ),
        ("video", ["key"], "body"),
    ],
)
def test_invalid_job_is_refused_with_400_naming_the_field(
    client: Any, academy: Academy, kind: str, body: Any, field: str
) -> None:
    response = post_json(client, f"/jobs/{kind}", body)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert field in response.json()["error"]


def test_body_that_is_not_json_is_refused_with_400(client: Any) -> None:
    response = client.post("/jobs/video", data="key=a.mp4", content_type="text/plain")

    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_unknown_path_is_a_json_404(client: Any) -> None:
    response = client.get("/nothing/here")

    assert response.status_code == 404
    assert response.json() == {"error": "not found", "path": "/nothing/here"}


def test_unknown_job_kind_is_404(client: Any) -> None:
    response = post_json(client, "/jobs/pdf", {"key": "a.pdf"})

    assert response.status_code == 404
    assert response.json()["kinds"] == ["video", "messaging", "ai"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/jobs/video", "POST"),
        ("put", "/jobs/0123abcd", "GET"),
        ("delete", "/jobs/ai", "POST"),
    ],
)
def test_wrong_method_is_405(client: Any, method: str, path: str, allowed: str) -> None:
    response = getattr(client, method)(path)

    assert response.status_code == 405
    assert allowed in response["Allow"]


def test_job_result_is_pending_until_a_worker_ran_then_returned(
    client: Any, academy: Academy, smtp_sink: SmtpSink
) -> None:
    submitted = post_json(
        client,
        "/jobs/messaging",
        {"to": "mina@example.test", "template": "welcome", "context": {"name": "Mina"}},
    )
    assert submitted.status_code == 202
    job_id = submitted.json()["id"]

    pending = client.get(f"/jobs/{job_id}")
    assert pending.status_code == 404
    assert pending.json()["status"] == "pending"

    consumer = Consumer(
        "messaging",
        make_messaging_handler(academy.settings),
        academy.settings,
        max_jobs=1,
    )
    assert consumer.run(install_signals=False) == 0

    done = client.get(f"/jobs/{job_id}")
    assert done.status_code == 200
    result = done.json()
    assert result["id"] == job_id
    assert result["status"] == "succeeded"
    assert result["outputs"]["subject"] == "Welcome to the academy, Mina"
    assert len(smtp_sink.messages) == 1


def test_unreachable_queue_gives_503(
    client: Any, academy: Academy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from academy_support import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")

    response = post_json(client, "/jobs/video", {"key": "a.mp4"})

    assert response.status_code == 503
    assert "unavailable" in response.json()["error"]


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(ROOT / "src" / "config" / "settings.py")
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    first = runpy.run_path(path)
    second = runpy.run_path(path)
    assert first["DEBUG"] is False
    assert first["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert first["DATABASES"] == {}
    assert first["INSTALLED_APPS"] == ["apps.api"]
    assert len(first["SECRET_KEY"]) >= 50
    assert first["SECRET_KEY"] != second["SECRET_KEY"], "a missing key must be random"

    monkeypatch.setenv("DJANGO_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "api.example.test, ,10.0.0.5")
    configured = runpy.run_path(path)
    assert configured["SECRET_KEY"] == "from-the-environment"
    assert configured["DEBUG"] is True
    assert configured["ALLOWED_HOSTS"] == ["api.example.test", "10.0.0.5"]


def test_manage_py_check_finds_no_issues() -> None:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_gunicorn_serves_the_api_with_the_shipped_config(tmp_path: Any) -> None:
    import time
    import urllib.request

    from academy_support import free_port

    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "GUNICORN_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:src.config.gunicorn",
            "src.config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    body = json.loads(reply.read())
            except OSError:
                time.sleep(0.2)
        assert body == {"status": "ok", "version": src.__version__}
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0
