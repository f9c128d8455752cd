"""DF104: pip installs in one RUN per Dockerfile."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs import shell
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import runs


class PipNotInOneRun(Rule):
    """Install Python packages in one RUN per Dockerfile.

    Why: the report's layer rule "pip: 1개 RUN". Each pip RUN is a layer of
    its own with its own copy of metadata, and a second resolver run can
    change what the first one installed.

    Bad::

        RUN pip install --user --no-cache-dir -r requirements/api.txt
        RUN pip install --user --no-cache-dir gunicorn

    Good::

        RUN pip install --user --no-cache-dir -r requirements/api.txt
    """

    code = "DF104"
    name = "pip-not-in-one-run"
    severity = Severity.ERROR
    requirement_ko = "pip: 1개 RUN"
    requirement_en = "pip: one RUN"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Count the RUNs that call pip install."""
        first = None
        for stage_state in subject.stages():
            for instruction, cmds in runs(stage_state.stage):
                if not list(shell.pip_installs(cmds)):
                    continue
                where = subject.span(instruction)
                if first is None:
                    first = where
                    yield self.ok("the only RUN that installs with pip", where,
                                  ko="pip 설치 RUN은 이것 1개")
                else:
                    yield self.fail(
                        f"a second pip install RUN: merge it into {first.cite()}", where, first,
                        ko=f"두 번째 `pip install` RUN: {first.cite()}에 합쳐야 함",
                    )
        if first is None:
            yield self.skip("no pip install in this Dockerfile",
                            ko="이 Dockerfile에 pip install 없음")
