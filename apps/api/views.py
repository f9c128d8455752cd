"""JSON views: health check, job submission to SQS and job results from S3."""

from __future__ import annotations

import json
import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

import src
from libs import aws
from libs.jobs import JOB_ID_RE, InvalidJob, new_job_id, validate_request
from libs.settings import KINDS, ConfigError, Settings

log = logging.getLogger(__name__)

AWS_ERRORS = (BotoCoreError, ClientError, LookupError)


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _not_allowed(allowed: list[str]) -> JsonResponse:
    response = _error(405, "method not allowed", allowed=allowed)
    response["Allow"] = ", ".join(allowed)
    return response


def _settings() -> Settings | JsonResponse:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        log.error("bad configuration: %s", exc)
        return _error(500, "the API is misconfigured")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Answer an unknown path with a JSON 404."""
    return _error(404, "not found", path=request.path)


def server_error(request: HttpRequest) -> JsonResponse:
    """Answer an unhandled error with a JSON 500 (details go to the log only)."""
    return _error(500, "internal server error")


def healthz(request: HttpRequest) -> JsonResponse:
    """Report that the API process is up, with its version."""
    if request.method not in {"GET", "HEAD"}:
        return _not_allowed(["GET", "HEAD"])
    return JsonResponse({"status": "ok", "version": src.__version__})


@csrf_exempt
def jobs(request: HttpRequest, name: str) -> JsonResponse:
    """Submit a job (POST /jobs/<kind>) or read a job's result (GET /jobs/<id>)."""
    if name in KINDS:
        if request.method != "POST":
            return _not_allowed(["POST"])
        return _submit(request, name)
    if request.method == "POST":
        return _error(404, f"unknown job kind {name!r}", kinds=list(KINDS))
    if request.method not in {"GET", "HEAD"}:
        return _not_allowed(["GET", "HEAD"])
    return _result(name)


def _submit(request: HttpRequest, kind: str) -> JsonResponse:
    try:
        payload = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "the body is not valid JSON", field="body")
    try:
        fields = validate_request(kind, payload)
    except InvalidJob as exc:
        return _error(400, f"{exc.field} {exc.problem}", field=exc.field)
    settings = _settings()
    if isinstance(settings, JsonResponse):
        return settings
    job = {"id": new_job_id(), "kind": kind, **fields}
    queue = settings.queue_for(kind)
    try:
        urls = aws.prepare(settings, queue)
        aws.client("sqs", settings).send_message(QueueUrl=urls.url, MessageBody=json.dumps(job))
    except AWS_ERRORS as exc:
        log.error("could not queue %s job %s on %s: %s", kind, job["id"], queue, exc)
        return _error(503, "the job queue is unavailable, try again later")
    log.info("queued %s job %s on %s", kind, job["id"], queue)
    return JsonResponse({"id": job["id"], "kind": kind, "queue": queue}, status=202)


def _result(job_id: str) -> JsonResponse:
    if not JOB_ID_RE.match(job_id):
        return _error(404, "no such job", id=job_id)
    settings = _settings()
    if isinstance(settings, JsonResponse):
        return settings
    try:
        result = aws.read_result(settings, job_id)
    except (BotoCoreError, ClientError) as exc:
        log.error("could not read the result of job %s: %s", job_id, exc)
        return _error(503, "the result store is unavailable, try again later")
    if result is None:
        return JsonResponse({"id": job_id, "status": "pending"}, status=404)
    return JsonResponse(result)
