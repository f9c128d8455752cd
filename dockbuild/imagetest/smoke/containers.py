"""A service container started as shipped: its own CMD, host networking, the run's label."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

STOP_BUDGET_S = 5.0


class Service:
    """One running service container; SIGTERM stops it and measures how long that took."""

    def __init__(self, client: Any, ref: str, env: Mapping[str, str],
                 labels: Mapping[str, str]) -> None:
        self.api = client.api
        self.ref = ref
        host_config = self.api.create_host_config(network_mode="host")
        # No command, no entrypoint: the image's own CMD, as it ships.
        self.id = self.api.create_container(ref, environment=dict(env), labels=dict(labels),
                                            host_config=host_config)["Id"]
        self.api.start(self.id)
        self.started = time.monotonic()

    def state(self) -> dict[str, Any]:
        """Return the container's State (Running, ExitCode ...)."""
        return dict(self.api.inspect_container(self.id)["State"])

    def running(self) -> bool:
        """Return True while the container runs."""
        return bool(self.state().get("Running"))

    def exited_message(self) -> str:
        """Say how the container ended, with its last log lines."""
        state = self.state()
        code = state.get("ExitCode")
        how = "exited (exit 0)" if code == 0 else f"crashed (exit {code})"
        return (f"{self.ref} {how} {time.monotonic() - self.started:.1f} s after it started;"
                f" {self.logs_tail()}")

    def logs_tail(self, lines: int = 8) -> str:
        """Return the container's last log lines on one line."""
        text = self.api.logs(self.id, stdout=True, stderr=True, tail=lines).decode(errors="replace")
        tail = " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
        return f"last log lines: {tail}" if tail else "no log output"

    def stop(self, budget_s: float = STOP_BUDGET_S) -> tuple[float, int | None, str]:
        """Send SIGTERM; return seconds to exit, the exit code (None if killed) and a problem."""
        if not self.running():
            return 0.0, None, self.exited_message()
        started = time.monotonic()
        self.api.kill(self.id, signal="SIGTERM")
        try:
            code = int(self.api.wait(self.id, timeout=budget_s + 5)["StatusCode"])
        except Exception:  # requests' ReadTimeout: it ignored SIGTERM
            self.api.kill(self.id, signal="SIGKILL")
            seconds = time.monotonic() - started
            return seconds, None, f"still running {seconds:.1f} s after SIGTERM; killed"
        seconds = time.monotonic() - started
        problem = ""
        if code != 0:
            problem = f"exited with code {code} on SIGTERM, expected 0; {self.logs_tail()}"
        elif seconds > budget_s:
            problem = f"took {seconds:.2f} s to stop on SIGTERM, more than {budget_s:.0f} s"
        return seconds, code, problem

    def remove(self) -> None:
        """Remove the container (the run's clean-up removes it too, whatever happens)."""
        self.api.remove_container(self.id, force=True, v=True)
