"""Move job inputs and outputs between S3 and local files."""

from __future__ import annotations

from pathlib import Path

from botocore.exceptions import ClientError

from libs import aws
from libs.queue.errors import JobFailed
from libs.settings import Settings


def download(settings: Settings, bucket: str, key: str, target: Path) -> Path:
    """Download s3://bucket/key to ``target``; raise JobFailed when it cannot be read."""
    try:
        aws.client("s3", settings).download_file(bucket, key, str(target))
    except ClientError as exc:
        code = aws.error_code(exc)
        if code in {"404", "NoSuchKey", "NotFound"}:
            msg = f"input s3://{bucket}/{key} does not exist"
        elif code == "NoSuchBucket":
            msg = f"bucket {bucket!r} does not exist"
        elif code in {"403", "AccessDenied"}:
            msg = f"no permission to read s3://{bucket}/{key}"
        else:
            msg = f"cannot read s3://{bucket}/{key}: {exc}"
        raise JobFailed(msg) from None
    return target


def upload(settings: Settings, source: Path, key: str, content_type: str) -> str:
    """Upload ``source`` to ``key`` in the academy bucket and return the key."""
    aws.client("s3", settings).upload_file(
        str(source), settings.bucket, key, ExtraArgs={"ContentType": content_type}
    )
    return key


def output_key(job_id: str, name: str) -> str:
    """Return the S3 key of output ``name`` of job ``job_id``."""
    return f"outputs/{job_id}/{name}"
