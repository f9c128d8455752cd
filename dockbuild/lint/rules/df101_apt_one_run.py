"""DF101: apt-get update, install and list removal in one RUN."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs import shell
from dockbuild.inputs.dockerfile import Instruction
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import apt_installs, runs

_LISTS = frozenset({"/var/lib/apt", "/var/lib/apt/lists"})


def _removes_lists(cmd: shell.Command) -> bool:
    if cmd.program in {"apt-get", "apt"} and cmd.subcommand == "dist-clean":
        return True
    targets = [a.rstrip("/*").rstrip("/") for a in cmd.args if not a.startswith("-")]
    return cmd.program == "rm" and "/var/lib/apt/lists" in targets


def _lists_not_in_layer(instruction: Instruction) -> bool:
    """Return True when a cache or tmpfs mount holds apt's lists: they never enter the layer."""
    for flag in instruction.flags:
        if not flag.startswith("--mount="):
            continue
        parts = dict(p.partition("=")[::2] for p in flag.removeprefix("--mount=").split(","))
        target = parts.get("target") or parts.get("dst") or parts.get("destination") or ""
        if parts.get("type") in {"cache", "tmpfs"} and target.rstrip("/") in _LISTS:
            return True
    return False


class AptNotInOneRun(Rule):
    """Update, install and remove apt's lists in ONE RUN, once per stage.

    Why: the report's layer rule: "apt-get: 1개 RUN (update + install + rm)".
    An ``apt-get update`` in a RUN of its own is cached as a layer and goes
    stale; lists removed in a later RUN still ship inside the earlier layer;
    a second apt RUN adds a second layer of packages and lists. ``apt-get
    install --update`` updates and ``apt-get dist-clean`` removes the lists;
    lists on a ``--mount=type=cache`` (or tmpfs) over /var/lib/apt never
    enter the layer, so nothing needs removing.

    Bad::

        RUN apt-get update
        RUN apt-get install -y --no-install-recommends ffmpeg

    Good::

        RUN apt-get update \\
            && apt-get install -y --no-install-recommends ffmpeg \\
            && rm -rf /var/lib/apt/lists/*
    """

    code = "DF101"
    name = "apt-not-in-one-run"
    severity = Severity.ERROR
    requirement_ko = "apt-get: 1개 RUN (update + install + rm)"
    requirement_en = "apt-get: one RUN (update + install + rm)"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check every RUN that calls apt, stage by stage."""
        seen_any = False
        for stage_state in subject.stages():
            first_install = None
            for instruction, cmds in runs(stage_state.stage):
                apt = [c for c in cmds if c.program in {"apt-get", "apt"}]
                if not apt:
                    continue
                seen_any = True
                where = subject.span(instruction)
                installs = apt_installs(cmds)
                if not installs:
                    if any(c.subcommand == "update" for c in apt):
                        yield self.fail("apt-get update without install in the same RUN", where,
                                        ko="같은 RUN에 apt-get update만 있고 install 없음")
                    continue
                if first_install is not None:
                    yield self.fail(
                        f"a second apt-get install RUN in this stage: merge it into"
                        f" {first_install.cite()}",
                        where,
                        first_install,
                        ko=f"이 스테이지의 두 번째 `apt-get install` RUN: {first_install.cite()}에"
                        " 합쳐야 함",
                    )
                    continue
                first_install = where
                index = cmds.index(installs[0])
                updated = installs[0].has_option("--update") or any(
                    c.subcommand == "update" for c in apt if cmds.index(c) < index)
                removed = _lists_not_in_layer(instruction) or any(
                    _removes_lists(c) for c in cmds[index + 1 :])
                missing = [
                    what
                    for what, ok in (
                        ("apt-get update", updated),
                        ("rm -rf /var/lib/apt/lists/*", removed),
                    )
                    if not ok
                ]
                if missing:
                    yield self.fail(
                        f"apt-get install without {' and '.join(missing)} in the same RUN", where,
                        ko=f"같은 RUN에 {', '.join(f'`{m}`' for m in missing)} 없음",
                    )
                elif _lists_not_in_layer(instruction):
                    yield self.ok(
                        "update + install in one RUN; apt's lists are a cache mount (no layer)",
                        where, ko="update + install 1개 RUN, apt 목록은 캐시 마운트(레이어에 없음)",
                    )
                else:
                    yield self.ok(
                        "update + install + rm -rf /var/lib/apt/lists/* in one RUN", where,
                        ko="update + install + `rm -rf /var/lib/apt/lists/*` 1개 RUN",
                    )
        if not seen_any:
            yield self.skip("no apt-get in this Dockerfile", ko="이 Dockerfile에 apt-get 없음")
