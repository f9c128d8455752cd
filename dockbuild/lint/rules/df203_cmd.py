"""DF203: the final CMD is the manifest's cmd."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class CmdDisagreesWithManifest(Rule):
    """The image's effective CMD must be exactly the manifest's ``cmd``.

    Why: the report's "CMD/진입점 변경 없음": the manifest is the single source
    of truth for entry points. A list in the manifest means the exec form
    (signals reach the process; no shell in between); an ENTRYPOINT would turn
    the CMD into its arguments. An image without its own CMD inherits its
    parent's, which is checked the same way.

    Bad::

        CMD python -m apps.worker.video_worker.sqs_main

    Good::

        CMD ["python", "-m", "apps.worker.video_worker.sqs_main"]
    """

    code = "DF203"
    name = "cmd-disagrees-with-manifest"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "CMD/진입점 변경 없음: {cmd}"
    requirement_en = "CMD/entry point unchanged: {cmd}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Compare the final state's CMD (own or inherited) with the manifest."""
        state = subject.final.final
        wanted = subject.image.cmd
        declared = subject.manifest_span("cmd")
        start = subject.span(subject.final.stage.start)
        if state.entrypoint is not None:
            yield self.fail(
                "an ENTRYPOINT is set; the manifest's cmd is the whole command",
                state.entrypoint.span,
                declared,
                ko="ENTRYPOINT 있음: 매니페스트의 cmd가 명령 전체여야 함",
            )
            return
        cmd = state.cmd
        if cmd is None:
            yield self.fail("no CMD: the manifest says " + _show(wanted), start, declared,
                            ko=f"CMD 없음: 매니페스트는 `{_show(wanted)}`")
            return
        inherited = cmd.span.file != subject.dockerfile.path if subject.dockerfile else False
        where = start if inherited else cmd.span
        related = (cmd.span, declared) if inherited else (declared,)
        if isinstance(wanted, str):
            matches = not cmd.parts and cmd.value == wanted
        else:
            matches = cmd.parts == wanted
        if matches:
            yield self.ok(
                f"CMD {_show(wanted)}" + (" (inherited)" if inherited else ""), where, *related,
                ko=f"`CMD {_show(wanted)}`, 매니페스트와 같음" + (" (상속)" if inherited else ""),
            )
        elif not isinstance(wanted, str) and not cmd.parts:
            yield self.fail(
                f"CMD is in shell form; the manifest says {_show(wanted)} (exec form)",
                where,
                *related,
                ko=f"CMD가 shell 형식: 매니페스트는 exec 형식 `{_show(wanted)}`",
            )
        else:
            got = _show(cmd.parts) if cmd.parts else cmd.value
            yield self.fail(
                f"CMD {got} differs from the manifest's {_show(wanted)}", where, *related,
                ko=f"`CMD {got}`: 매니페스트는 `{_show(wanted)}`",
            )


def _show(cmd: tuple[str, ...] | str) -> str:
    if isinstance(cmd, str):
        return cmd
    return "[" + ", ".join(f'"{part}"' for part in cmd) + "]"
