"""Render a message template and deliver it over SMTP."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from string import Template
from typing import Any

from libs.jobs import TEMPLATE_RE
from libs.queue import Handler, JobFailed
from libs.settings import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Rendered:
    """Hold a rendered message's subject and body."""

    subject: str
    body: str


def template_names() -> list[str]:
    """Return the names of the templates this worker can send."""
    return sorted(path.stem for path in TEMPLATE_DIR.glob("*.txt"))


def render(name: str, context: dict[str, Any]) -> Rendered:
    """Fill template ``name`` from ``context``; raise JobFailed when that is not possible."""
    path = TEMPLATE_DIR / f"{name}.txt"
    if not TEMPLATE_RE.match(name) or not path.is_file():
        msg = f"unknown template {name!r} (known: {', '.join(template_names())})"
        raise JobFailed(msg)
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    if not head.startswith("Subject:") or "\n" in head.strip():
        msg = f"template {name!r} must start with one 'Subject:' line and a blank line"
        raise JobFailed(msg)
    values = {key: str(value) for key, value in context.items()}
    try:
        subject = Template(head.removeprefix("Subject:").strip()).substitute(values)
        text = Template(body).substitute(values)
    except KeyError as exc:
        msg = f"template {name!r} needs context key {exc.args[0]!r}"
        raise JobFailed(msg) from None
    except ValueError as exc:
        msg = f"template {name!r} is malformed: {exc}"
        raise JobFailed(msg) from None
    if "\r" in subject or "\n" in subject:
        msg = "the rendered subject must be one line"
        raise JobFailed(msg)
    return Rendered(subject=subject, body=text.rstrip("\n") + "\n")


def build_message(settings: Settings, to: str, rendered: Rendered) -> EmailMessage:
    """Return the e-mail carrying ``rendered`` from SMTP_FROM to ``to``."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = rendered.subject
    message["Date"] = formatdate(localtime=True)
    domain = settings.smtp_from.rpartition("@")[2].strip("<> ") or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(rendered.body)
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send ``message`` through SMTP_HOST:SMTP_PORT; raise JobFailed when it is refused."""
    server = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
        ) as smtp:
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = "; ".join(
            f"{rcpt}: {code} {reply.decode(errors='replace')}"
            for rcpt, (code, reply) in exc.recipients.items()
        )
        msg = f"SMTP server {server} refused the recipient ({refused})"
        raise JobFailed(msg) from None
    except smtplib.SMTPResponseException as exc:
        reply = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        msg = f"SMTP server {server} refused the message: {exc.smtp_code} {reply}"
        raise JobFailed(msg) from None
    except smtplib.SMTPException as exc:
        msg = f"SMTP delivery through {server} failed: {exc}"
        raise JobFailed(msg) from None
    except OSError as exc:
        msg = f"cannot reach SMTP server {server}: {exc}"
        raise JobFailed(msg) from None


def make_handler(settings: Settings) -> Handler:
    """Return the messaging job handler bound to ``settings``."""

    def handle(job: dict[str, Any]) -> dict[str, Any]:
        """Render the job's template and deliver it to the job's recipient."""
        rendered = render(job["template"], job.get("context", {}))
        message = build_message(settings, job["to"], rendered)
        deliver(settings, message)
        return {
            "to": job["to"],
            "template": job["template"],
            "subject": rendered.subject,
            "message_id": message["Message-ID"],
        }

    return handle
