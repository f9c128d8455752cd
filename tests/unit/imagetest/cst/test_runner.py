"""The runner against a fake engine: refusals fail one test, temporary images go, env rules;
every kind of failing structure test, in Korean.
"""

from __future__ import annotations

import tarfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docker.errors import APIError

from dockbuild.evidence import Status
from dockbuild.imagetest.cst import runner, schema

IMAGE_ENV = ["PATH=/usr/bin:/bin", "MODE=prod", "APP_HOME=/app"]


class FakeApi:
    """Just enough of docker's APIClient: containers run ``argv`` by a rule of the test's."""

    def __init__(self, refuse: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.refuse = refuse
        self.containers: dict[str, dict[str, Any]] = {}
        self.images: list[str] = []
        self.removed_images: list[str] = []
        self.created: list[dict[str, Any]] = []

    def inspect_image(self, ref: str) -> dict[str, Any]:
        return {"Config": {"Env": IMAGE_ENV}}

    def create_host_config(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs

    def create_container(self, image: str, **kwargs: Any) -> dict[str, str]:
        cid = f"c{len(self.created)}"
        self.created.append({"image": image, **kwargs})
        self.containers[cid] = {"image": image, **kwargs}
        return {"Id": cid}

    def start(self, cid: str) -> None:
        binary = self.containers[cid]["command"][0]
        if binary in self.refuse:
            response = types.SimpleNamespace(status_code=400, reason="Bad Request")
            msg = "400 Client Error"
            raise APIError(msg, response=response,  # type: ignore[arg-type]
                           explanation=f'exec: "{binary}": executable file not found in $PATH')

    def wait(self, cid: str, timeout: int) -> dict[str, int]:
        return {"StatusCode": 1 if self.containers[cid]["command"][0] == "false" else 0}

    def logs(self, cid: str, *, stdout: bool, stderr: bool) -> bytes:
        argv = self.containers[cid]["command"]
        env = self.containers[cid]["environment"]
        if stdout and argv[0] == "echo":
            return (" ".join(argv[1:]) + "\n").encode()
        if stdout and argv[0] == "env":
            return "".join(f"{k}={v}\n" for k, v in env.items()).encode()
        return b""

    def commit(self, cid: str) -> dict[str, str]:
        ref = f"sha256:{len(self.images)}"
        self.images.append(ref)
        return {"Id": ref}

    def remove_container(self, cid: str, **kwargs: Any) -> None:
        del self.containers[cid]

    def remove_image(self, ref: str, **kwargs: Any) -> None:
        self.removed_images.append(ref)


def run(tmp_path: Path, text: str, api: FakeApi) -> list[Any]:
    path = tmp_path / "tests.yaml"
    path.write_text(text, encoding="utf-8")
    client = types.SimpleNamespace(api=api)
    return runner.Runner(client, "img:test", variant="py3.11-amd64").run(schema.load(path))


def outcomes(results: list[Any]) -> list[tuple[str, str]]:
    return [(r.name, r.status.value) for r in results]


def test_a_refused_container_fails_that_test_and_the_rest_runs(tmp_path: Path) -> None:
    api = FakeApi(refuse={"/no/such/binary"})
    results = run(tmp_path, """\
schemaVersion: "2.0.0"
commandTests:
  - {name: missing, command: /no/such/binary, exitCode: 127}
  - {name: fine, command: echo, args: [hi], expectedOutput: [hi]}
""", api)
    assert outcomes(results) == [("missing", "fail"), ("fine", "pass")]
    assert "executable file not found" in results[0].message
    assert api.containers == {}


def test_setup_images_go_newest_first_and_setup_exit_codes_are_ignored(tmp_path: Path) -> None:
    api = FakeApi()
    results = run(tmp_path, """\
schemaVersion: "2.0.0"
commandTests:
  - name: chain
    setup: [["touch", "/a"], ["false"], ["touch", "/c"]]
    command: "true"
""", api)
    assert outcomes(results) == [("chain", "pass")]
    assert api.removed_images == ["sha256:2", "sha256:1", "sha256:0"]
    assert [c["image"] for c in api.created] == ["img:test", "sha256:0", "sha256:1", "sha256:2"]


def test_a_refused_setup_command_fails_the_test_and_leaves_nothing(tmp_path: Path) -> None:
    api = FakeApi(refuse={"/no/such/setup"})
    results = run(tmp_path, """\
schemaVersion: "2.0.0"
commandTests:
  - {name: s, setup: [["touch", "/a"], ["/no/such/setup"]], command: "true"}
""", api)
    assert outcomes(results) == [("s", "fail")]
    assert api.removed_images == ["sha256:0"] and api.containers == {}


def test_vars_expand_with_the_image_env_and_globals_see_only_it(tmp_path: Path) -> None:
    api = FakeApi()
    results = run(tmp_path, """\
schemaVersion: "2.0.0"
globalEnvVars:
  - {key: FIRST, value: one}
  - {key: SECOND, value: "$FIRST-two"}
  - {key: THIRD, value: "$MODE-three"}
commandTests:
  - {name: args, command: echo, args: ["$MODE", "${APP_HOME}/x", "[$NOPE]"],
     expectedOutput: ["^prod /app/x \\\\[\\\\]\\n"]}
  - {name: globals, command: env, expectedOutput: ["(?m)^SECOND=-two$", "(?m)^THIRD=prod-three$"]}
""", api)
    assert outcomes(results) == [("args", "pass"), ("globals", "pass")]


def test_what_validation_finds_fails_without_a_container(tmp_path: Path) -> None:
    api = FakeApi()
    results = run(tmp_path, """\
schemaVersion: "2.0.0"
commandTests:
  - {name: empty env, command: "true", envVars: [{key: E, value: ""}]}
  - {name: bad regex, command: echo, args: [x], expectedOutput: ["(?=x)"]}
""", api)
    assert outcomes(results) == [("empty env", "fail"), ("bad regex", "fail")]
    assert "invalid perl operator" in results[1].message
    assert len(api.created) == 1  # only the second test started a container


@pytest.mark.parametrize(("ports", "status"), [("[8080]", "pass"), ("[8080/tcp]", "pass"),
                                               ("[8080/udp]", "fail")])
def test_metadata_needs_no_client(tmp_path: Path, ports: str, status: str) -> None:
    path = tmp_path / "tests.yaml"
    path.write_text(f'schemaVersion: "2.0.0"\nmetadataTest:\n  exposedPorts: {ports}\n',
                    encoding="utf-8")
    results = runner.Runner(None, "img:test", variant="v",
                            config={"ExposedPorts": {"8080/tcp": {}}}).run(schema.load(path))
    assert outcomes(results) == [("Metadata Test", status)]


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
  - name: setup refused
    command: "true"
    setup: [[/no/such/setup]]
  - {name: refused, command: /no/such/binary}
  - {name: bad regex, command: "true", expectedOutput: ["(?=x)"]}
  - {name: empty env, command: "true", envVars: [{key: E, value: ""}], setup: [[]]}
  - {command: "true"}
fileExistenceTests:
  - {name: app, path: /app, shouldExist: true, permissions: drwxr-xr-x, uid: 1000, gid: 1000,
     isExecutableBy: other}
  - {name: gone, path: /gone, shouldExist: true}
  - {name: secret, path: /root/.netrc, shouldExist: false}
  - {name: who, path: /app, isExecutableBy: everyone}
  - {name: no path}
fileContentTests:
  - {name: os, path: /etc/os-release, expectedContents: [bookworm], excludedContents: [buster]}
  - {name: none, path: /nope, expectedContents: [x]}
  - {name: bad, path: /etc/os-release, excludedContents: ["a++"]}
metadataTest:
  envVars: [{key: PATH, value: "\\\\.local/bin", isRegex: true}, {key: MODE, value: prod},
            {key: NOPE, value: x}, {key: MODE, value: "(?=p)", isRegex: true}]
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
  - {files: [/licenses/agpl.txt, /nope]}
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

    def start(self, ident: str) -> None:
        if self.commands[ident][0].startswith("/no/such/"):
            response = types.SimpleNamespace(status_code=400, reason="Bad Request")
            msg = "400 Client Error"
            raise APIError(msg, response=response,  # type: ignore[arg-type]
                           explanation="exec: executable file not found in $PATH")

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
        return {"/etc/os-release": b"VERSION_CODENAME=buster\n",
                "/licenses/agpl.txt": b"AGPL-3"}.get(path)

    def folders(self, path: str) -> list[str] | None:
        return ["libgnutls30", "pkg"] if path == "/usr/share/doc" else None


def test_every_structure_test_problem_speaks_korean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, not_korean: Callable[..., list[str]]
) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(TESTS)
    monkeypatch.setattr(runner, "Probe", _Probe)
    client = type("Client", (), {"api": _Api()})()

    results = runner.Runner(client, "academy-api:py3.11-amd64", variant="py3.11-amd64").run(
        schema.load(path))

    assert [r.status for r in results] == [Status.FAIL] * 17
    assert "executable file not found" in results[1].message
    assert "executable file not found" not in results[1].message_ko
    problems = [f"{r.name}: {p}" for r in results
                for text in (r.message_in("ko"), r.reason_in("ko") if r.reason else "")
                if text for p in not_korean(text)]
    assert not problems
    assert all(r.message_ko.count(";") == r.message.count(";") for r in results
               if "was:" not in r.message and "stderr:" not in r.message)
