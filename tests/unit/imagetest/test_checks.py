"""Image checks that need no engine: the entry module of a CMD, secrets in the config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from dockbuild.engine import images as engine_images
from dockbuild.evidence import Evidence, Status
from dockbuild.imagetest import checks as imagechecks
from dockbuild.imagetest import facts as imagefacts
from dockbuild.inputs.manifest import load


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
    found = [en for en, _ko in imagechecks._secrets(config, history)]
    assert "Env DJANGO_SECRET_KEY holds a secret-looking value" in found
    assert "Env NOTE holds a secret-looking value" in found
    assert any("sets DB_PASSWORD" in item for item in found)
    assert not any("abc123" in item or "hunter2" in item for item in found)
    assert not any("TOKEN_URL" in item for item in found)


class _Api:
    """The two engine calls ``check`` makes itself, answered from fixed data."""

    def __init__(self, config: dict[str, Any], layers: list[str]) -> None:
        self.config = config
        self.layers = layers

    def inspect_image(self, ref: str) -> dict[str, Any]:
        if ref == "academy-base:gone":
            raise LookupError(ref)
        layers = self.layers if ref != "academy-base:py3.11-amd64" else ["sha256:base"]
        return {"Config": self.config, "Size": 900e6, "RootFS": {"Layers": layers}}

    def history(self, ref: str) -> list[dict[str, str]]:
        return [{"CreatedBy": "|1 DB_PASSWORD=hunter2 /bin/sh -c make"}] if self.config else []


def _checked(repo_root: Path, monkeypatch: pytest.MonkeyPatch, *, good: bool,
             base_ref: str) -> list[Evidence]:
    manifest = load(repo_root)
    image = next(i for i in manifest.images() if i.apt)
    user = manifest.base.user
    home_bin = f"{user.home}/.local/bin"
    cmd = list(image.cmd) if isinstance(image.cmd, tuple) else ["/bin/sh", "-c", image.cmd]
    config = ({"User": user.name, "WorkingDir": manifest.base.workdir, "Cmd": cmd,
               "ExposedPorts": {f"{p}/tcp": {} for p in image.ports}} if good else
              {"Env": ["API_TOKEN=abc"], "Labels": {"secret": "AKIAABCDEFGHIJKLMNOP"}})
    monkeypatch.setattr(imagefacts, "user_facts", lambda *_: {
        "uid": user.uid if good else 0, "gid": user.gid if good else 0,
        "cwd": manifest.base.workdir if good else "/",
        "path": f"{home_bin}:/usr/bin" if good else "/usr/bin",
        "module_error": "" if good else "ModuleNotFoundError: No module named 'apps'"})
    monkeypatch.setattr(imagefacts, "root_facts", lambda *_: {
        "packages": list(image.apt) if good else [], "root_owned": [] if good else ["/app/x"],
        "setid": [] if good else ["/usr/bin/su"],
        "caches": {} if good else {"/var/lib/apt/lists": ["deb_bookworm"]}})
    # sizes from the inspect answer: the engine's image list is not this test's (and is slow)
    monkeypatch.setattr(engine_images, "unpacked_sizes", lambda **_: None)
    client = SimpleNamespace(api=_Api(config, ["sha256:base", "sha256:top"] if good else []))
    subject = imagechecks.Subject(image=image, ref="academy-x:py3.11-amd64",
                                  variant="py3.11-amd64", base_ref=base_ref,
                                  base_setid=() if good else None)
    return imagechecks.check(client, manifest, subject, {})[0]


@pytest.mark.parametrize("good", [True, False], ids=["passing", "failing"])
@pytest.mark.parametrize("base_ref", ["academy-base:py3.11-amd64", "academy-base:gone"])
def test_image_checks_speak_korean(repo_root: Path, monkeypatch: pytest.MonkeyPatch,
                                   not_korean: Callable[..., list[str]], good: bool,
                                   base_ref: str) -> None:
    records = _checked(repo_root, monkeypatch, good=good, base_ref=base_ref)

    assert {r.status for r in records} >= ({Status.PASS} if good else {Status.FAIL})
    problems = [f"{r.check}: {p}" for r in records
                for text in (r.message_in("ko"), r.reason_in("ko") if r.reason else "")
                if text for p in not_korean(text)]
    assert not problems
    assert all(r.message_ko and r.message_ko != r.message for r in records)
