"""Django app configuration of the academy API."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Describe the academy API app to Django."""

    name = "apps.api"
    label = "api"
    verbose_name = "Academy API"
