"""The engine lock: a second process waits and is told who holds it; re-entry is free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockbuild import runlock

HOLDER = """
import sys, time
from pathlib import Path
from dockbuild import runlock
with runlock.hold(Path(sys.argv[1]), "inv build"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(lock: Path, seconds: float) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock), str(seconds)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_run_waits_and_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    lock = tmp_path / "engine.lock"
    with _holder(lock, 1.5) as first:
        said: list[str] = []
        started = time.monotonic()
        with runlock.hold(lock, "inv image-test", say=said.append):
            waited = time.monotonic() - started
        assert waited >= 1.0
        assert said[0].startswith(f"waiting for `inv build` (pid {first.pid}, since 20")
        assert said[0].endswith("Ctrl-C to stop")
        assert said[1].startswith("got the engine after ")
        assert first.wait(timeout=10) == 0
    assert "inv image-test" in runlock.holder(lock)  # who held it last


def test_a_killed_holder_frees_the_lock_at_once(tmp_path: Path) -> None:
    lock = tmp_path / "engine.lock"
    holder = _holder(lock, 60)
    holder.kill()  # kill -9: no clean-up runs, the kernel drops the flock
    holder.wait()
    holder.stdout.close()  # type: ignore[union-attr]
    said: list[str] = []
    with runlock.hold(lock, "inv build", say=said.append):
        assert said == []


def test_the_holder_takes_it_again_without_waiting(tmp_path: Path) -> None:
    lock = tmp_path / "engine.lock"
    said: list[str] = []
    with runlock.hold(lock, "inv verify", say=said.append), \
            runlock.hold(lock, "inv build", say=said.append):
        assert said == []
    assert "inv verify" in runlock.holder(lock)


def test_each_engine_has_its_own_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    local = runlock.engine_lock(tmp_path)
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:2376")
    assert runlock.engine_lock(tmp_path) != local
    assert local.parent == tmp_path / runlock.FOLDER


def test_a_machine_wide_lock_is_open_to_every_user(tmp_path: Path) -> None:
    lock = tmp_path / "locks" / "smoke.lock"
    with runlock.hold(lock, "inv image-test", say=lambda _line: None, shared=True):
        assert lock.parent.stat().st_mode & 0o7777 == 0o1777
        assert lock.stat().st_mode & 0o777 == 0o666


def test_a_lock_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    from dockbuild.errors import EnvironmentProblem

    lock = tmp_path / "engine.lock"
    lock.mkdir()  # a folder where the file should be: open() fails even for root
    with pytest.raises(EnvironmentProblem, match="cannot open the lock"), \
            runlock.hold(lock, "inv build"):
        pass
