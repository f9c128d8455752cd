"""Validate job payloads the same way in the API and in the workers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from libs.settings import KINDS

DEFAULT_OCR_LANG = "kor+eng"

JOB_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
# A practical address check: one @, no spaces, no header or list punctuation.
EMAIL_RE = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+$")
TEMPLATE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANG_RE = re.compile(r"^[A-Za-z_]{2,32}(\+[A-Za-z_]{2,32}){0,7}$")
# S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens.
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
MAX_KEY_LENGTH = 1024


class InvalidJob(ValueError):
    """Report a job field that is missing or malformed."""

    def __init__(self, *, field: str, problem: str) -> None:
        """Remember which field is wrong and why."""
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def new_job_id() -> str:
    """Return a fresh job id (a uuid4 in hex)."""
    return uuid.uuid4().hex


def _string(payload: dict[str, Any], field: str, *, required: bool) -> str | None:
    if field not in payload:
        if required:
            raise InvalidJob(field=field, problem="is required")
        return None
    value = payload[field]
    if not isinstance(value, str) or not value.strip():
        raise InvalidJob(field=field, problem="must be a non-empty string")
    return value


def _bucket(payload: dict[str, Any]) -> dict[str, Any]:
    bucket = _string(payload, "bucket", required=False)
    if bucket is None:
        return {}
    if not BUCKET_RE.match(bucket):
        raise InvalidJob(field="bucket", problem="is not a valid S3 bucket name")
    return {"bucket": bucket}


def _key(payload: dict[str, Any]) -> str:
    key = _string(payload, "key", required=True)
    assert key is not None
    if len(key.encode()) > MAX_KEY_LENGTH:
        raise InvalidJob(field="key", problem=f"is longer than {MAX_KEY_LENGTH} bytes")
    return key


def _video(payload: dict[str, Any]) -> dict[str, Any]:
    return {**_bucket(payload), "key": _key(payload)}


def _ai(payload: dict[str, Any]) -> dict[str, Any]:
    fields = {**_bucket(payload), "key": _key(payload)}
    lang = _string(payload, "lang", required=False) or DEFAULT_OCR_LANG
    if not LANG_RE.match(lang):
        raise InvalidJob(
            field="lang", problem="must be tesseract language codes joined by '+', e.g. kor+eng"
        )
    return {**fields, "lang": lang}


def _messaging(payload: dict[str, Any]) -> dict[str, Any]:
    to = _string(payload, "to", required=True)
    assert to is not None
    if not EMAIL_RE.match(to):
        raise InvalidJob(field="to", problem="must be one e-mail address like name@example.com")
    template = _string(payload, "template", required=True)
    assert template is not None
    if not TEMPLATE_RE.match(template):
        raise InvalidJob(
            field="template", problem="must be a template name (lowercase letters, digits, - or _)"
        )
    if "context" not in payload:
        raise InvalidJob(field="context", problem="is required (an object, may be empty)")
    context = payload["context"]
    if not isinstance(context, dict):
        raise InvalidJob(field="context", problem="must be an object")
    for name, value in context.items():
        if not isinstance(value, str | int | float | bool):
            raise InvalidJob(field=f"context.{name}", problem="must be a string, number or boolean")
    return {"to": to, "template": template, "context": dict(context)}


VALIDATORS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "video": _video,
    "messaging": _messaging,
    "ai": _ai,
}
FIELDS = {
    "video": {"bucket", "key"},
    "messaging": {"to", "template", "context"},
    "ai": {"bucket", "key", "lang"},
}


def validate_request(kind: str, payload: Any) -> dict[str, Any]:
    """Check a job submitted to the API and return its normalised fields."""
    if kind not in KINDS:
        raise InvalidJob(field="kind", problem=f"must be one of {', '.join(KINDS)}")
    if not isinstance(payload, dict):
        raise InvalidJob(field="body", problem="must be a JSON object")
    unknown = sorted(set(payload) - FIELDS[kind])
    if unknown:
        raise InvalidJob(field=unknown[0], problem=f"is not a field of {kind} jobs")
    return VALIDATORS[kind](payload)


def validate_message(kind: str, payload: Any) -> dict[str, Any]:
    """Check a job read from a queue; unknown extra fields are ignored."""
    if not isinstance(payload, dict):
        raise InvalidJob(field="body", problem="must be a JSON object")
    job_id = payload.get("id")
    if not isinstance(job_id, str) or not JOB_ID_RE.match(job_id):
        raise InvalidJob(field="id", problem="is required: letters, digits, - or _ (at most 128)")
    if payload.get("kind") != kind:
        raise InvalidJob(field="kind", problem=f"must be {kind!r} on this queue")
    return {"id": job_id, "kind": kind, **VALIDATORS[kind](payload)}
