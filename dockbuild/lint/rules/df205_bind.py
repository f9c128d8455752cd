"""DF205: the command binds a manifest port on all interfaces."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject

_ADDRESS = re.compile(r"^(?P<host>[\w.\-\[\]:]*?):(?P<port>\d{1,5})$")
_LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def binds(parts: tuple[str, ...]) -> list[tuple[str, int]]:
    """Return (host, port) pairs a gunicorn/uvicorn/runserver-style command binds."""
    found: list[tuple[str, int]] = []
    host = ""
    for index, word in enumerate(parts):
        value = None
        if word in {"--bind", "-b"} and index + 1 < len(parts):
            value = parts[index + 1]
        elif word.startswith("--bind="):
            value = word.split("=", 1)[1]
        elif word == "--host" and index + 1 < len(parts):
            host = parts[index + 1]
        elif word == "--port" and index + 1 < len(parts) and parts[index + 1].isdigit():
            found.append((host or "127.0.0.1", int(parts[index + 1])))
        elif index > 0 and parts[index - 1] == "runserver":
            value = word
        if value and (match := _ADDRESS.match(value)):
            found.append((match["host"], int(match["port"])))
    return found


class BindPortDisagreesWithManifest(Rule):
    """The command must listen on a manifest port, on all interfaces.

    Why: the report's "gunicorn 0.0.0.0:8000": a server bound to 127.0.0.1
    inside a container cannot be reached through a published port, and a
    port that is not in the manifest is not the one the smoke test and the
    load balancer use.

    Bad::

        CMD ["gunicorn", "src.config.wsgi:application", "--bind", "127.0.0.1:8080"]

    Good::

        CMD ["gunicorn", "src.config.wsgi:application", "--bind", "0.0.0.0:8000"]
    """

    code = "DF205"
    name = "bind-port-disagrees-with-manifest"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "바인드 포트 변경 없음: 0.0.0.0:{ports}"
    requirement_en = "bound port unchanged: 0.0.0.0:{ports}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Find the addresses the CMD binds and compare them with the manifest."""
        cmd = subject.final.final.cmd
        ports = set(subject.image.ports)
        parts = cmd.parts if cmd and cmd.parts else tuple((cmd.value if cmd else "").split())
        found = binds(parts)
        declared = (subject.manifest_span("ports"),) if subject.image.line_of("ports") else ()
        if not found:
            yield self.skip(
                "the command binds no address lint can read"
                if ports
                else "no ports in the manifest and none bound",
                ko="명령에서 읽을 수 있는 바인드 주소 없음"
                if ports
                else "매니페스트에 포트 없음, 바인드도 없음",
            )
            return
        assert cmd is not None
        for host, port in found:
            if port not in ports:
                yield self.fail(
                    f"binds port {port}, not a manifest port ({sorted(ports)})",
                    cmd.span,
                    *declared,
                    ko=f"포트 `{port}` 바인드: 매니페스트 포트(`{sorted(ports)}`) 아님",
                )
            elif host in _LOOPBACK:
                yield self.fail(
                    f"binds {host}:{port}: unreachable from outside the container;"
                    f" use 0.0.0.0:{port}",
                    cmd.span,
                    *declared,
                    ko=f"`{host}:{port}` 바인드: 컨테이너 밖에서 접근 불가, `0.0.0.0:{port}` 사용",
                )
            else:
                yield self.ok(f"binds {host or '0.0.0.0'}:{port}", cmd.span, *declared,
                              ko=f"`{host or '0.0.0.0'}:{port}` 바인드")
