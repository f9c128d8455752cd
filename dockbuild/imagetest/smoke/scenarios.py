"""Each service runs as shipped: the API answers, workers take a job, all stop on SIGTERM.

The run starts moto's server (S3, SQS) and an SMTP sink on 127.0.0.1, then each
service container with host networking and the image's own CMD. Workers get a
bad job first and a good one after it: the good result proves the worker kept
running. Every container then gets SIGTERM and must exit 0 within 5 seconds.

Problems and passing messages are pairs, (English, Korean). The container's own
words (how it exited, its log lines) are the English report's: the Korean one
says what happened and points there for the logs.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from dockbuild.engine import images, tags
from dockbuild.errors import DockbuildError, Location
from dockbuild.evidence import Evidence, Status
from dockbuild.imagetest.cleanup import RunScope
from dockbuild.imagetest.results import FAIL, PASS, outcome
from dockbuild.imagetest.smoke import fixtures, jobs
from dockbuild.imagetest.smoke.containers import Service
from dockbuild.inputs.manifest import Image, Manifest

HEALTH_DEADLINE_S = 30.0
_NONE = jobs.NONE
#: how containers.Service words what a container did -> the Korean report's words
_CONTAINER_KO = (
    (re.compile(r"^(\S+) (?:crashed|exited) \(exit (\S+)\) ([\d.]+) s after it started"),
     "`{0}`: 시작 {2}초 뒤 종료 (종료 코드 `{1}`, 로그는 영어 보고서 참조)"),
    (re.compile(r"^still running ([\d.]+) s after SIGTERM"),
     "SIGTERM 뒤 {0}초에도 실행 중: 강제 종료함"),
    (re.compile(r"^exited with code (\S+) on SIGTERM"),
     "SIGTERM에 종료 코드 `{0}`: 0이어야 함 (로그는 영어 보고서 참조)"),
    (re.compile(r"^took ([\d.]+) s to stop on SIGTERM, more than (\d+) s"),
     "SIGTERM 뒤 멈추기까지 {0}초: {1}초 초과"),
)


def _container(problem: str) -> tuple[str, str]:
    """Return a container's problem (containers.Service's words) with its Korean wording."""
    if not problem:
        return _NONE
    for pattern, korean in _CONTAINER_KO:
        if match := pattern.search(problem):
            return problem, korean.format(*match.groups())
    return problem, "컨테이너 문제 (원문은 영어 보고서 참조)"
JOB_DEADLINE_S = {"video": 180.0, "ai": 180.0, "messaging": 60.0}
REQUIREMENTS = {
    "smoke.http": ("API가 배포된 그대로 실행되어 /healthz에 응답한다",
                   "the API runs as shipped and answers /healthz"),
    "smoke.enqueue": ("API로 제출한 작업이 올바른 큐에 들어간다",
                      "a job POSTed through the API lands on the right queue"),
    "smoke.job": ("워커가 배포된 그대로 실행되어 작업 하나를 처리한다",
                  "the worker runs as shipped and does one job"),
    "smoke.bad-job": ("잘못된 작업은 실패 결과가 되고 워커는 계속 실행된다",
                      "a bad job gives a failed result and the worker keeps running"),
    "smoke.sigterm": ("컨테이너는 SIGTERM에 5초 안에 종료 코드 0으로 멈춘다",
                      "the container stops on SIGTERM within 5 seconds with exit 0"),
}


class _Recorder:
    """Make results for one service: its image, variant and manifest line."""

    def __init__(self, manifest: Manifest, image: Image, ref: str, variant: str) -> None:
        self.where = Location(manifest.path, image.line_of("smoke") or image.where.line)
        self.ref = ref
        self.variant = variant
        self.results: list[Evidence] = []

    def add(self, check: str, name: str, problem: tuple[str, str], ok: tuple[str, str],
            seconds: float, measures: tuple[tuple[str, float], ...] = (),
            status: Status | None = None) -> bool:
        shown = problem if problem[0] else ok
        self.results.append(outcome(
            check=check, name=name, image=self.ref, variant=self.variant,
            status=status or (FAIL if problem[0] else PASS), message=shown[0],
            message_ko=shown[1], where=self.where, requirement=REQUIREMENTS[check],
            duration_s=seconds, measures=measures))
        return not problem[0]


def run(client: Any, manifest: Manifest, names: list[str], python: str, platform: str,
        scope: RunScope, *, say: Callable[[str], None] = print) -> list[Evidence]:
    """Smoke-test every selected service that the manifest gives a smoke spec."""
    services = [manifest.services[n] for n in names
                if n in manifest.services and manifest.services[n].smoke is not None]
    if not services:
        return []
    variant = tags.variant(python, platform)
    results: list[Evidence] = []
    with fixtures.moto_server(f"smoke-{scope.run_id}") as aws, fixtures.smtp_sink() as sink:
        env = {**aws.env(), "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port),
               "SMTP_FROM": "academy@example.test", "SMTP_TIMEOUT": "5",
               "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "ACADEMY_LOG_LEVEL": "INFO"}
        for image in services:
            ref = tags.variant_tag(image.image, python, platform)
            record = _Recorder(manifest, image, ref, variant)
            if images.inspect(ref, api=client.api) is None:
                continue  # not built: the structure tests already say so
            say(f"smoke-testing {ref}")
            smoke = image.smoke
            assert smoke is not None
            try:
                if smoke.http_port is not None:
                    _api(client, ref, env, scope, record, smoke.http_port, smoke.http_path, aws)
                else:
                    _worker(client, ref, env, scope, record, smoke.job or "", aws, sink)
            except DockbuildError as exc:  # a missing host tool: say which, per service
                record.add("smoke.job", "smoke", (f"could not run: {exc}",
                                                  "실행 불가 (원인은 영어 보고서 참조)"),
                           _NONE, 0.0)
            results += record.results
    return results


def _api(client: Any, ref: str, env: dict[str, str], scope: RunScope, record: _Recorder,
         port: int, path: str, aws: fixtures.Aws) -> None:
    if fixtures.port_in_use(port):
        record.add("smoke.http", "healthz", (f"port {port} on 127.0.0.1 is already in use, so the"
                   " API cannot bind it with host networking",
                   f"127.0.0.1의 포트 `{port}` 이미 사용 중: API가 호스트 네트워크로 바인드할 수"
                   " 없음"), _NONE, 0.0)
        return
    service = Service(client, ref, env, scope.labels)
    try:
        url = f"http://127.0.0.1:{port}"
        answered, problem = _wait_http(service, f"{url}{path}")
        ok = record.add("smoke.http", "healthz", problem,
                        (f"GET {path} answered 200 after {answered:.1f} s",
                         f"`GET {path}`: {answered:.1f}초 뒤 200 응답"), answered,
                        (("ready_s", round(answered, 2)),))
        if ok:
            jobs = {"video": {"key": "in/clip.mp4"}, "ai": {"key": "in/sign.png"},
                    "messaging": {"to": "mina@example.test", "template": "welcome",
                                  "context": {"name": "Mina"}}}
            for kind, payload in jobs.items():
                started = time.monotonic()
                problem = _enqueue(url, kind, payload, aws)
                record.add("smoke.enqueue", f"POST /jobs/{kind}", problem,
                           (f"the job landed on {aws.queue(kind)}",
                            f"작업이 `{aws.queue(kind)}`에 들어감"), time.monotonic() - started)
        _stop(service, record)
    finally:
        service.remove()


def _wait_http(service: Service, url: str) -> tuple[float, tuple[str, str]]:
    deadline = service.started + HEALTH_DEADLINE_S
    last = "no answer"
    while time.monotonic() < deadline:
        if not service.running():
            return time.monotonic() - service.started, _container(service.exited_message())
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - service.started, _NONE
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    return HEALTH_DEADLINE_S, (f"GET {url} gave no 200 within {HEALTH_DEADLINE_S:.0f} s"
                               f" (last: {last}); {service.logs_tail()}",
                               f"`GET {url}`: {HEALTH_DEADLINE_S:.0f}초 안에 200 응답 없음"
                               " (마지막 응답과 로그는 영어 보고서 참조)")


def _enqueue(url: str, kind: str, payload: dict[str, Any],
             aws: fixtures.Aws) -> tuple[str, str]:
    request = urllib.request.Request(f"{url}/jobs/{kind}", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return (f"POST /jobs/{kind} answered HTTP {exc.code}: {exc.read()[:200]!r}",
                f"`POST /jobs/{kind}`: HTTP `{exc.code}` 응답 (본문은 영어 보고서 참조)")
    except OSError as exc:
        return (f"POST /jobs/{kind} failed: {exc}",
                f"`POST /jobs/{kind}` 실패 (원인은 영어 보고서 참조)")
    landed = aws.receive(kind)
    if not any(message.get("id") == answer.get("id") for message in landed):
        others = [k for k in ("video", "messaging", "ai") if k != kind
                  and any(m.get("id") == answer.get("id") for m in aws.receive(k, wait_s=0))]
        where = f"; it went to {aws.queue(others[0])}" if others else ""
        where_ko = f": `{aws.queue(others[0])}`에 들어감" if others else ""
        return (f"job {answer.get('id')} is not on {aws.queue(kind)}{where}",
                f"작업 `{answer.get('id')}`: `{aws.queue(kind)}`에 없음{where_ko}")
    return _NONE


def _worker(client: Any, ref: str, env: dict[str, str], scope: RunScope, record: _Recorder,
            kind: str, aws: fixtures.Aws, sink: fixtures.Sink) -> None:
    good, bad, check = jobs.JOBS[kind](aws)
    bad_id, good_id = f"smoke-bad-{uuid.uuid4().hex[:8]}", f"smoke-{uuid.uuid4().hex[:8]}"
    aws.send(kind, {"id": bad_id, "kind": kind, **bad})
    aws.send(kind, {"id": good_id, "kind": kind, **good})
    delivered_before = len(sink.messages)
    service = Service(client, ref, env, scope.labels)
    try:
        results, problem = _wait_results(service, aws, [bad_id, good_id], JOB_DEADLINE_S[kind])
        took = time.monotonic() - service.started
        if problem[0]:
            record.add("smoke.job", f"{kind} job", problem, _NONE, took)
        else:
            problem = check(results[good_id], aws, sink, delivered_before)
            record.add("smoke.job", f"{kind} job", problem,
                       (f"job {good_id} succeeded in {results[good_id].get('duration_s')} s",
                        f"작업 `{good_id}` 성공: {results[good_id].get('duration_s')}초"),
                       took)
            bad_result = results[bad_id]
            bad_problem = _NONE
            if bad_result.get("status") != "failed":
                bad_problem = (f"the bad job's result is {bad_result.get('status')!r}, not failed",
                               f"잘못된 작업의 결과 `{bad_result.get('status')}`:"
                               " 기대값 `failed`")
            elif not service.running():
                exited = _container(service.exited_message())
                bad_problem = (f"the worker stopped after the bad job: {exited[0]}",
                               f"잘못된 작업 뒤 워커가 멈춤: {exited[1]}")
            record.add("smoke.bad-job", "bad job", bad_problem,
                       (f"failed as it should ({bad_result.get('reason', '')[:80]});"
                        " still running", "기대대로 실패하고 워커는 계속 실행 중"
                        " (실패 사유는 영어 보고서 참조)"),
                       0.0)
        _stop(service, record)
    finally:
        service.remove()


def _wait_results(service: Service, aws: fixtures.Aws, ids: list[str],
                  deadline_s: float) -> tuple[dict[str, dict[str, Any]], tuple[str, str]]:
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        for job_id in ids:
            if job_id not in found:
                result = aws.result(job_id)
                if result is not None:
                    found[job_id] = result
        if len(found) == len(ids):
            return found, _NONE
        if not service.running():
            return found, _container(service.exited_message())
        time.sleep(0.5)
    missing = ", ".join(i for i in ids if i not in found)
    return found, (f"no result for {missing} within {deadline_s:.0f} s; {service.logs_tail()}",
                   f"{deadline_s:.0f}초 안에 `{missing}` 결과 없음 (로그는 영어 보고서 참조)")


def _stop(service: Service, record: _Recorder) -> None:
    if not service.running():  # it crashed before the signal: no stop to time
        record.add("smoke.sigterm", "SIGTERM", _container(service.exited_message()),
                   ("", ""), 0.0)
        return
    seconds, code, problem = service.stop()
    record.add("smoke.sigterm", "SIGTERM", _container(problem),
               (f"stopped with exit {code} {seconds:.2f} s after SIGTERM",
                f"SIGTERM 뒤 {seconds:.2f}초에 멈춤 (종료 코드 `{code}`)"), seconds,
               (("stop_s", round(seconds, 2)),))
