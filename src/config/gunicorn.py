"""Gunicorn settings: gunicorn -c python:src.config.gunicorn src.config.wsgi:application."""

from __future__ import annotations

import os

# Inside a container the API listens on every interface of the container.
bind = [f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# No runtime control socket: nothing manages the container through it.
control_socket_disable = True
