"""Image facts: the user script's own output, and the container always removed."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from dockbuild.errors import ChecksFailed
from dockbuild.imagetest import facts


class FakeApi:
    """Just enough of the SDK's low-level API: one container whose logs are given."""

    def __init__(self, logs: bytes) -> None:
        self.logs_out = logs
        self.created: dict[str, Any] = {}
        self.removed: list[str] = []

    def create_host_config(self, **options: Any) -> dict[str, Any]:
        return options

    def create_container(self, image: str, **options: Any) -> dict[str, str]:
        self.created = {"image": image, **options}
        return {"Id": "c1"}

    def start(self, cid: str) -> None:
        pass

    def wait(self, cid: str, timeout: int) -> dict[str, int]:
        return {"StatusCode": 0}

    def logs(self, cid: str, stdout: bool, stderr: bool) -> bytes:
        return self.logs_out

    def remove_container(self, cid: str, force: bool, v: bool) -> None:
        self.removed.append(cid)


class FakeClient:
    def __init__(self, logs: bytes) -> None:
        self.api = FakeApi(logs)


def test_the_user_script_reports_uid_cwd_and_an_import_error(tmp_path: Any) -> None:
    done = subprocess.run([sys.executable, "-c", facts.AS_USER, "no_such_module_here"],
                          cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60)
    line = next(x for x in done.stdout.splitlines() if x.startswith("FACTS"))
    found = json.loads(line[len("FACTS"):])
    assert found["cwd"] == str(tmp_path)
    assert isinstance(found["uid"], int)
    assert found["module_error"].startswith("ModuleNotFoundError")


def test_facts_come_from_the_facts_line_and_the_container_goes() -> None:
    client = FakeClient(b"noise\nFACTS{\"uid\": 1000}\n")
    found = facts.user_facts(client, "img", "app.main", {"run": "1"})
    assert found == {"uid": 1000}
    assert client.api.created["command"][-1] == "app.main"
    assert client.api.created["host_config"] == {"network_mode": "none"}
    assert client.api.removed == ["c1"]


def test_no_facts_line_fails_the_checks_with_the_output() -> None:
    client = FakeClient(b"python: not found\n")
    with pytest.raises(ChecksFailed, match="img: could not inspect the image with python"):
        facts.root_facts(client, "img", "/app", {})
    assert client.api.removed == ["c1"]
