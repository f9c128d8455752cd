"""Django settings for the academy API, read from environment variables only."""

from __future__ import annotations

import os
import secrets


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# Without DJANGO_SECRET_KEY a random key is made per process: the API signs
# nothing that must survive a restart or be shared between processes.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip() or secrets.token_urlsafe(50)
DEBUG = _flag("DJANGO_DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = ["apps.api"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
ROOT_URLCONF = "src.config.urls"
WSGI_APPLICATION = "src.config.wsgi.application"
DATABASES: dict[str, dict[str, str]] = {}
TEMPLATES: list[dict[str, object]] = []

USE_I18N = False
USE_TZ = True
TIME_ZONE = "UTC"
# A job request is a small JSON document.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "apps": {"level": os.environ.get("ACADEMY_LOG_LEVEL", "INFO").upper()},
        "libs": {"level": os.environ.get("ACADEMY_LOG_LEVEL", "INFO").upper()},
    },
}
