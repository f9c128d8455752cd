"""Make boto3 clients and the queues and bucket the academy uses."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from libs.settings import Settings

log = logging.getLogger(__name__)

_clients: dict[tuple[str, str | None, str], Any] = {}
_clients_lock = threading.Lock()
_queue_urls: dict[tuple[str | None, str, str], QueueUrls] = {}
_queue_lock = threading.Lock()
_buckets: set[tuple[str | None, str, str]] = set()


@dataclass(frozen=True)
class QueueUrls:
    """Hold a job queue's URL and, when it has one, its dead-letter queue's URL."""

    url: str
    dlq_url: str | None


def client(service: str, settings: Settings) -> Any:
    """Return a cached boto3 client for ``service`` that honours AWS_ENDPOINT_URL."""
    cache_key = (service, settings.endpoint_url, settings.region)
    with _clients_lock:
        found = _clients.get(cache_key)
        if found is not None:
            return found
        options: dict[str, Any] = {
            "connect_timeout": 5,
            # A long poll holds the connection for up to 20 s.
            "read_timeout": 60,
            "retries": {"max_attempts": 3, "mode": "standard"},
        }
        if service == "s3" and settings.endpoint_url:
            # Local endpoints (moto, MinIO) do not resolve bucket subdomains.
            options["s3"] = {"addressing_style": "path"}
        made = boto3.session.Session().client(
            service,
            region_name=settings.region,
            endpoint_url=settings.endpoint_url,
            config=Config(**options),
        )
        _clients[cache_key] = made
        return made


def error_code(exc: ClientError) -> str:
    """Return the AWS error code carried by ``exc``."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def _get_queue_url(sqs: Any, name: str) -> str | None:
    try:
        return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
    except ClientError as exc:
        if error_code(exc) in {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}:
            return None
        raise


def _dlq_url(sqs: Any, url: str) -> str | None:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    policy = attributes.get("Attributes", {}).get("RedrivePolicy")
    if not policy:
        return None
    target = json.loads(policy).get("deadLetterTargetArn", "")
    name = target.rsplit(":", 1)[-1]
    return _get_queue_url(sqs, name) if name else None


def _create_queue(sqs: Any, name: str, settings: Settings) -> str:
    dlq_name = f"{name}-dlq"
    dlq_url = _get_queue_url(sqs, dlq_name) or sqs.create_queue(QueueName=dlq_name)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(settings.max_receives)}
    created = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": str(settings.visibility_timeout),
            "RedrivePolicy": json.dumps(redrive),
        },
    )
    log.info("created queue %s with dead-letter queue %s", name, dlq_name)
    return str(created["QueueUrl"])


def ensure_bucket(settings: Settings) -> None:
    """Create the academy bucket when it is missing (ACADEMY_CREATE_QUEUES)."""
    cache_key = (settings.endpoint_url, settings.region, settings.bucket)
    if cache_key in _buckets:
        return
    s3 = client("s3", settings)
    try:
        s3.head_bucket(Bucket=settings.bucket)
    except ClientError as exc:
        if error_code(exc) not in {"404", "NoSuchBucket", "NotFound"}:
            raise
        options: dict[str, Any] = {"Bucket": settings.bucket}
        if settings.region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": settings.region}
        try:
            s3.create_bucket(**options)
            log.info("created bucket %s", settings.bucket)
        except ClientError as again:
            if error_code(again) != "BucketAlreadyOwnedByYou":
                raise
    _buckets.add(cache_key)


def queue_urls(settings: Settings, name: str) -> QueueUrls:
    """Look up (and with ACADEMY_CREATE_QUEUES, create) queue ``name`` and its DLQ."""
    cache_key = (settings.endpoint_url, settings.region, name)
    with _queue_lock:
        found = _queue_urls.get(cache_key)
        if found is not None:
            return found
        sqs = client("sqs", settings)
        url = _get_queue_url(sqs, name)
        if url is None:
            if not settings.create_queues:
                msg = f"queue {name!r} does not exist and ACADEMY_CREATE_QUEUES is off"
                raise LookupError(msg)
            url = _create_queue(sqs, name, settings)
        urls = QueueUrls(url=url, dlq_url=_dlq_url(sqs, url))
        _queue_urls[cache_key] = urls
        return urls


def results_queue_url(settings: Settings) -> str:
    """Return the results queue's URL, creating the queue when allowed."""
    cache_key = (settings.endpoint_url, settings.region, settings.results_queue)
    with _queue_lock:
        found = _queue_urls.get(cache_key)
        if found is not None:
            return found.url
        sqs = client("sqs", settings)
        url = _get_queue_url(sqs, settings.results_queue)
        if url is None:
            if not settings.create_queues:
                msg = f"queue {settings.results_queue!r} does not exist"
                raise LookupError(msg)
            url = str(sqs.create_queue(QueueName=settings.results_queue)["QueueUrl"])
        _queue_urls[cache_key] = QueueUrls(url=url, dlq_url=None)
        return url


def prepare(settings: Settings, queue_name: str) -> QueueUrls:
    """Make sure a job queue, the results queue and the bucket can be used."""
    urls = queue_urls(settings, queue_name)
    results_queue_url(settings)
    if settings.create_queues:
        ensure_bucket(settings)
    return urls


def result_key(job_id: str) -> str:
    """Return the S3 key a job's result is written to."""
    return f"results/{job_id}.json"


def publish_result(settings: Settings, result: dict[str, Any]) -> None:
    """Write a job result to S3 and post it to the results queue."""
    body = json.dumps(result, ensure_ascii=False, sort_keys=True)
    client("s3", settings).put_object(
        Bucket=settings.bucket,
        Key=result_key(result["id"]),
        Body=body.encode(),
        ContentType="application/json",
    )
    client("sqs", settings).send_message(QueueUrl=results_queue_url(settings), MessageBody=body)


def read_result(settings: Settings, job_id: str) -> dict[str, Any] | None:
    """Return the result stored for ``job_id``, or None when there is none yet."""
    try:
        found = client("s3", settings).get_object(Bucket=settings.bucket, Key=result_key(job_id))
    except ClientError as exc:
        if error_code(exc) in {"NoSuchKey", "404", "NoSuchBucket"}:
            return None
        raise
    result: dict[str, Any] = json.loads(found["Body"].read())
    return result
