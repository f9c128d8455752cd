"""The shared consumer loop against a real moto server and real worker processes."""

from __future__ import annotations

import dataclasses
import json
import signal
import time
from typing import Any

import pytest
from academy_support import Academy, WorkerProcess

from libs.queue import Consumer, JobFailed
from libs.settings import ConfigError, Settings


def run_consumer(academy: Academy, kind: str, handler: Any, max_jobs: int) -> Consumer:
    """Run the loop in this process until ``max_jobs`` messages were handled."""
    consumer = Consumer(kind, handler, academy.settings, max_jobs=max_jobs)
    assert consumer.run(install_signals=False) == 0
    return consumer


class Recorder:
    """A handler that records the jobs it gets and answers from a script."""

    def __init__(self, *answers: Any) -> None:
        """Answer job N with answers[N]: a dict to return or an exception to raise."""
        self.answers = list(answers)
        self.jobs: list[dict[str, Any]] = []

    def __call__(self, job: dict[str, Any]) -> dict[str, Any]:
        """Record ``job`` and give the next scripted answer."""
        self.jobs.append(job)
        answer = self.answers.pop(0) if self.answers else {"done": True}
        if isinstance(answer, BaseException):
            raise answer
        return dict(answer)


def test_successful_job_posts_result_to_queue_and_s3_and_deletes_message(
    academy: Academy,
) -> None:
    handler = Recorder({"thumbnail": "outputs/x/thumb.jpg"})
    job_id = academy.job("video", key="uploads/a.mp4")

    run_consumer(academy, "video", handler, max_jobs=1)

    assert handler.jobs == [{"id": job_id, "kind": "video", "key": "uploads/a.mp4"}]
    stored = academy.result(job_id)
    assert stored is not None
    assert stored["status"] == "succeeded"
    assert stored["kind"] == "video"
    assert stored["outputs"] == {"thumbnail": "outputs/x/thumb.jpg"}
    assert "reason" not in stored
    assert stored["duration_s"] >= 0
    assert academy.results_posted() == [stored]
    assert academy.messages_left("video") == 0


def test_malformed_json_ends_as_failed_result_and_is_deleted(academy: Academy) -> None:
    handler = Recorder()
    message_id = academy.send("video", "{this is not json")

    run_consumer(academy, "video", handler, max_jobs=1)

    assert handler.jobs == []
    stored = academy.result(f"msg-{message_id}")
    assert stored is not None
    assert stored["status"] == "failed"
    assert stored["reason"].startswith("malformed JSON")
    assert stored["outputs"] == {}
    assert academy.messages_left("video") == 0


def test_missing_field_ends_as_failed_result_naming_the_field(academy: Academy) -> None:
    handler = Recorder()
    job_id = academy.job("messaging", to="student@example.test", context={})

    run_consumer(academy, "messaging", handler, max_jobs=1)

    assert handler.jobs == []
    stored = academy.result(job_id)
    assert stored is not None
    assert stored["status"] == "failed"
    assert "'template'" in stored["reason"]
    assert academy.messages_left("messaging") == 0


def test_job_for_another_kind_is_rejected(academy: Academy) -> None:
    handler = Recorder()
    job_id = "abc123"
    academy.send("ai", {"id": job_id, "kind": "video", "key": "k"})

    run_consumer(academy, "ai", handler, max_jobs=1)

    stored = academy.result(job_id)
    assert stored is not None
    assert stored["status"] == "failed"
    assert "'kind'" in stored["reason"]
    assert handler.jobs == []


def test_handler_exceptions_become_failed_results_and_the_loop_keeps_going(
    academy: Academy,
) -> None:
    handler = Recorder(RuntimeError("disk on fire"), JobFailed("input is empty"), {"ok": 1})
    first = academy.job("ai", key="a.png")
    second = academy.job("ai", key="b.png")
    third = academy.job("ai", key="c.png")

    consumer = run_consumer(academy, "ai", handler, max_jobs=3)

    assert consumer.processed == 3
    # Scripted answers follow receive order, which SQS does not promise to be send order.
    seen = [job["id"] for job in handler.jobs]
    assert sorted(seen) == sorted([first, second, third])
    results = [academy.result(job_id) or {} for job_id in seen]
    assert [result.get("status") for result in results] == ["failed", "failed", "succeeded"]
    assert results[0]["reason"] == "RuntimeError: disk on fire"
    assert results[1]["reason"] == "input is empty"
    assert "reason" not in results[2]
    assert results[2]["outputs"] == {"ok": 1}
    assert academy.messages_left("ai") == 0


def test_handler_returning_a_non_dict_fails_the_job(academy: Academy) -> None:
    job_id = academy.job("video", key="k")

    run_consumer(academy, "video", lambda job: ["not", "a", "dict"], max_jobs=1)

    stored = academy.result(job_id)
    assert stored is not None
    assert stored["status"] == "failed"
    assert "not a dict" in stored["reason"]


def test_created_queue_dead_letters_after_max_receives(academy: Academy) -> None:
    urls = academy.prepare("video")
    attributes = academy.sqs().get_queue_attributes(
        QueueUrl=urls.url, AttributeNames=["RedrivePolicy", "VisibilityTimeout"]
    )["Attributes"]
    policy = json.loads(attributes["RedrivePolicy"])

    assert int(policy["maxReceiveCount"]) == 3
    assert policy["deadLetterTargetArn"].endswith(f":{academy.settings.video_queue}-dlq")
    assert attributes["VisibilityTimeout"] == "30"
    assert urls.dlq_url is not None
    assert urls.dlq_url.endswith(f"{academy.settings.video_queue}-dlq")


def test_message_received_max_times_is_given_up_dead_lettered_and_reported(
    academy: Academy,
) -> None:
    handler = Recorder()
    job_id = academy.job("video", key="crashes-the-worker.mp4")
    urls = academy.prepare("video")
    # Two earlier receives that never finished (as if a worker died mid-job).
    for _ in range(2):
        got = academy.sqs().receive_message(
            QueueUrl=urls.url, VisibilityTimeout=0, WaitTimeSeconds=1
        )
        assert len(got["Messages"]) == 1

    run_consumer(academy, "video", handler, max_jobs=1)

    assert handler.jobs == [], "the third receive must not run the job again"
    stored = academy.result(job_id)
    assert stored is not None
    assert stored["status"] == "failed"
    assert "gave up after 3 receives" in stored["reason"]
    assert academy.messages_left("video") == 0
    assert urls.dlq_url is not None
    dead = academy.sqs().receive_message(QueueUrl=urls.dlq_url, WaitTimeSeconds=1)["Messages"]
    assert json.loads(dead[0]["Body"])["id"] == job_id


def test_max_jobs_flag_exits_zero_after_that_many_jobs(academy: Academy, start_worker: Any) -> None:
    ids = [academy.job("video", key=f"missing-{n}.mp4") for n in range(3)]

    worker: WorkerProcess = start_worker(
        "apps.worker.video_worker.sqs_main", academy.env, "--max-jobs", "2"
    )

    assert worker.wait(timeout=30) == 0
    finished = [job_id for job_id in ids if academy.result(job_id) is not None]
    assert len(finished) == 2
    for job_id in finished:
        stored = academy.result(job_id)
        assert stored is not None
        assert stored["status"] == "failed"
        assert "does not exist" in stored["reason"]
    assert academy.messages_left("video") == 1
    log = "".join(worker.output)
    assert sum(f"job {job_id} kind=video status=failed" in log for job_id in finished) == 2


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_a_waiting_worker_at_once_with_exit_zero(
    academy: Academy, start_worker: Any, signum: int
) -> None:
    # A 20 s long poll: the worker must not sit it out before exiting.
    env = {**academy.env, "ACADEMY_WAIT_SECONDS": "20"}
    worker: WorkerProcess = start_worker("apps.worker.ai_worker.sqs_main_cpu", env)
    worker.wait_for_line("ai worker polling")
    time.sleep(0.5)

    started = time.monotonic()
    worker.proc.send_signal(signum)
    code = worker.wait(timeout=10)
    elapsed = time.monotonic() - started

    assert code == 0, "".join(worker.output)
    assert elapsed < 5
    assert "stopped" in "".join(worker.output)


def test_sigterm_mid_job_lets_the_job_finish_then_exits_zero(
    academy: Academy, smtp_sink: Any, start_worker: Any
) -> None:
    smtp_sink.delay_s = 2.0
    job_id = academy.job(
        "messaging", to="student@example.test", template="welcome", context={"name": "Mina"}
    )
    worker: WorkerProcess = start_worker("apps.worker.messaging_worker.sqs_main", academy.env)
    assert smtp_sink.data_started.wait(timeout=20), "".join(worker.output)

    worker.proc.send_signal(signal.SIGTERM)

    assert worker.wait(timeout=5) == 0, "".join(worker.output)
    assert len(smtp_sink.messages) == 1
    stored = academy.result(job_id)
    assert stored is not None
    assert stored["status"] == "succeeded", stored
    assert academy.messages_left("messaging") == 0
    assert f"job {job_id} kind=messaging status=succeeded" in "".join(worker.output)


def test_bad_max_jobs_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from apps.worker.video_worker.sqs_main import main

    with pytest.raises(SystemExit) as exited:
        main(["--max-jobs", "0"])

    assert exited.value.code == 2
    assert "--max-jobs" in capsys.readouterr().err


def test_settings_defaults_and_environment_overrides() -> None:
    defaults = Settings.from_env({})
    assert defaults.endpoint_url is None
    assert defaults.region == "us-east-1"
    assert defaults.bucket == "academy-media"
    assert defaults.queue_for("video") == "academy-video"
    assert defaults.queue_for("messaging") == "academy-messaging"
    assert defaults.queue_for("ai") == "academy-ai"
    assert defaults.results_queue == "academy-results"
    assert (defaults.max_receives, defaults.visibility_timeout, defaults.wait_seconds) == (
        3,
        60,
        10,
    )
    assert defaults.create_queues is True
    assert (defaults.smtp_host, defaults.smtp_port) == ("localhost", 25)
    assert defaults.smtp_from == "academy@localhost"

    custom = Settings.from_env(
        {"ACADEMY_CREATE_QUEUES": "0", "ACADEMY_WAIT_SECONDS": "45", "SMTP_PORT": "2525"}
    )
    assert custom.create_queues is False
    assert custom.wait_seconds == 20, "SQS caps long polls at 20 s"
    assert custom.smtp_port == 2525


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ACADEMY_MAX_RECEIVES", "three"),
        ("ACADEMY_MAX_RECEIVES", "0"),
        ("ACADEMY_CREATE_QUEUES", "maybe"),
    ],
)
def test_bad_setting_is_reported_by_name(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_stop_mid_batch_finishes_the_job_in_hand_and_releases_the_rest(
    academy: Academy,
) -> None:
    first = academy.job("video", key="one.mp4")
    second = academy.job("video", key="two.mp4")
    academy.prepare("video")
    consumer = Consumer("video", lambda job: {}, academy.settings, batch_size=2)

    def stop_during_job(job: dict[str, Any]) -> dict[str, Any]:
        """Ask the loop to stop while this job is in hand."""
        consumer.request_stop()
        return {"handled": job["key"]}

    consumer.handler = stop_during_job
    assert consumer.run(install_signals=False) == 0

    assert consumer.processed == 1
    done = [job_id for job_id in (first, second) if academy.result(job_id)]
    assert len(done) == 1
    assert (academy.result(done[0]) or {}).get("status") == "succeeded"
    # The other message was released: visible now, not after the 30 s visibility timeout.
    again = (
        academy.sqs()
        .receive_message(QueueUrl=academy.prepare("video").url, WaitTimeSeconds=1)
        .get("Messages", [])
    )
    assert [json.loads(m["Body"])["id"] for m in again] == [
        job_id for job_id in (first, second) if job_id not in done
    ]


def test_long_job_keeps_its_message_invisible_past_the_visibility_timeout(
    academy: Academy,
) -> None:
    settings = dataclasses.replace(academy.settings, visibility_timeout=2)
    job_id = academy.job("video", key="long.mp4")
    url = academy.prepare("video").url
    seen_by_others: list[int] = []

    def slow(job: dict[str, Any]) -> dict[str, Any]:
        """Outlast the visibility timeout, then look whether others can see the message."""
        time.sleep(3)
        got = academy.sqs().receive_message(QueueUrl=url, WaitTimeSeconds=0)
        seen_by_others.append(len(got.get("Messages", [])))
        return {}

    assert Consumer("video", slow, settings, max_jobs=1).run(install_signals=False) == 0

    assert seen_by_others == [0], "the heartbeat must extend the visibility while the job runs"
    assert (academy.result(job_id) or {}).get("status") == "succeeded"
    assert academy.messages_left("video") == 0


def test_missing_queue_without_create_queues_exits_one(
    academy: Academy, caplog: pytest.LogCaptureFixture
) -> None:
    settings = dataclasses.replace(academy.settings, create_queues=False)

    code = Consumer("ai", lambda job: {}, settings).run(install_signals=False)

    assert code == 1
    assert "ACADEMY_CREATE_QUEUES is off" in caplog.text


def test_worker_retrying_an_unreachable_endpoint_stops_on_sigterm(
    academy: Academy, start_worker: Any
) -> None:
    from academy_support import free_port

    env = {**academy.env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    worker: WorkerProcess = start_worker("apps.worker.messaging_worker.sqs_main", env)
    worker.wait_for_line("cannot reach SQS/S3 yet")

    worker.proc.send_signal(signal.SIGTERM)

    assert worker.wait(timeout=5) == 0, "".join(worker.output)
