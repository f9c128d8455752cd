"""Structure-test records without an engine: a fake client, every kind of failure, in Korean."""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockbuild.evidence import Status
from dockbuild.imagetest.cst import runner, schema

TESTS = """\
schemaVersion: 2.0.0
commandTests:
  - name: python
    command: python
    args: [--version]
    expectedOutput: ["Python 3\\\\.13"]
    excludedError: ["Traceback"]
    exitCode: 0
    teardown: [[rm, -rf, /srv/x]]
  - name: setup fails
    command: "true"
    setup: [[pip, install, nothing]]
fileExistenceTests:
  - {name: app, path: /app, shouldExist: true, permissions: drwxr-xr-x, uid: 1000, gid: 1000,
     isExecutableBy: other}
  - {name: gone, path: /gone, shouldExist: true}
  - {name: secret, path: /root/.netrc, shouldExist: false}
fileContentTests:
  - {name: os, path: /etc/os-release, expectedContents: [bookworm], excludedContents: [buster]}
  - {name: none, path: /nope, expectedContents: [x]}
metadataTest:
  envVars: [{key: PATH, value: "\\\\.local/bin", isRegex: true}, {key: MODE, value: prod},
            {key: NOPE, value: x}]
  unboundEnvVars: [{key: DEBUG}]
  labels: [{key: org.opencontainers.image.title, value: api}]
  exposedPorts: ["8000"]
  unexposedPorts: ["22"]
  entrypoint: []
  cmd: [gunicorn]
  workdir: /app
  user: appuser
  volumes: [/data]
  unmountedVolumes: [/cache]
licenseTests:
  - {debian: true}
"""


class _Api:
    def __init__(self) -> None:
        self.commands: dict[str, list[str]] = {}

    def inspect_image(self, _ref: str) -> dict[str, Any]:
        return {"Config": {"Env": ["PATH=/usr/bin", "MODE=dev", "DEBUG=1"], "User": "root",
                           "Labels": {}, "ExposedPorts": {"22/tcp": {}}, "Cmd": ["sh"],
                           "Entrypoint": ["tini"], "WorkingDir": "/", "Volumes": {"/cache": {}}}}

    def create_host_config(self, **_: Any) -> dict[str, Any]:
        return {}

    def create_container(self, _image: str, command: list[str], **_: Any) -> dict[str, str]:
        ident = f"c{len(self.commands)}"
        self.commands[ident] = command
        return {"Id": ident}

    def start(self, _ident: str) -> None:
        pass

    def wait(self, ident: str, timeout: float) -> dict[str, int]:
        return {"StatusCode": 3 if self.commands[ident][0] in {"pip", "rm", "python"} else 0}

    def logs(self, _ident: str, stdout: bool, stderr: bool) -> bytes:
        return b"Python 3.11.7\n" if stdout else b"Traceback (most recent call last)\n"

    def commit(self, ident: str) -> dict[str, str]:
        return {"Id": f"img-{ident}"}

    def remove_container(self, *_: Any, **__: Any) -> None:
        pass

    def remove_image(self, *_: Any, **__: Any) -> None:
        pass


class _Probe:
    def __init__(self, *_: Any) -> None:
        pass

    def __enter__(self) -> _Probe:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def header(self, path: str) -> tarfile.TarInfo | None:
        if path == "/gone":
            return None
        info = tarfile.TarInfo(path)
        info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, 0o700, 0, 0
        return info

    def contents(self, path: str) -> bytes | None:
        return b"VERSION_CODENAME=buster\n" if path == "/etc/os-release" else None


def test_every_structure_test_problem_speaks_korean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, not_korean: Callable[..., list[str]]
) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(TESTS)
    monkeypatch.setattr(runner, "Probe", _Probe)
    client = type("Client", (), {"api": _Api()})()

    results = runner.Runner(client, "academy-api:py3.11-amd64", variant="py3.11-amd64").run(
        schema.load(path))

    assert [r.status for r in results] == [Status.FAIL] * 7 + [Status.FAIL, Status.SKIP]
    problems = [f"{r.name}: {p}" for r in results
                for text in (r.message_in("ko"), r.reason_in("ko") if r.reason else "")
                if text for p in not_korean(text)]
    assert not problems
    assert all(r.message_ko.count(";") == r.message.count(";") for r in results
               if "was:" not in r.message and "stderr:" not in r.message)
