"""Image checks that need no engine: the entry module of a CMD, secrets in the config."""

from __future__ import annotations

import pytest

from dockbuild.imagetest import checks as imagechecks


@pytest.mark.parametrize(
    ("cmd", "module"),
    [
        (("python", "-m", "apps.worker.ai_worker.sqs_main_cpu"),
         "apps.worker.ai_worker.sqs_main_cpu"),
        (("gunicorn", "src.config.wsgi:application", "--bind", "0.0.0.0:8000"), "src.config.wsgi"),
        (("python", "--version"), ""),
        ("python -m app.main", "app.main"),
    ],
)
def test_entry_module_of_a_cmd(cmd: tuple[str, ...] | str, module: str) -> None:
    assert imagechecks._entry_module(cmd) == module


def test_secrets_are_found_without_showing_them() -> None:
    config = {"Env": ["PATH=/usr/bin", "DJANGO_SECRET_KEY=abc123", "TOKEN_URL=",
                      "NOTE=AKIAABCDEFGHIJKLMNOP"],
              "Labels": {"org.opencontainers.image.title": "api"}}
    history = [{"CreatedBy": "/bin/sh -c #(nop)  ARG PIP_FIND_LINKS"},
               {"CreatedBy": "|1 DB_PASSWORD=hunter2 /bin/sh -c make"}]
    found = imagechecks._secrets(config, history)
    assert "Env DJANGO_SECRET_KEY holds a secret-looking value" in found
    assert "Env NOTE holds a secret-looking value" in found
    assert any("sets DB_PASSWORD" in item for item in found)
    assert not any("abc123" in item or "hunter2" in item for item in found)
    assert not any("TOKEN_URL" in item for item in found)
