"""URL routes of the academy API."""

from __future__ import annotations

from django.urls import path

from apps.api import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<str:name>", views.jobs, name="jobs"),
]

handler404 = "apps.api.views.not_found"
handler500 = "apps.api.views.server_error"
