"""DF307: the base's builder upgrades pip and installs the common requirements in ONE RUN."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs import shell
from dockbuild.inputs.buildcontext import normal
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject
from dockbuild.lint.rules.facts import runs


def _upgrades_pip(cmd: shell.Command) -> bool:
    words = [w for w in cmd.args if not w.startswith("-")]
    return cmd.has_option("--upgrade", "-U") and "pip" in words[1:]


class BuilderPipNotOneRun(Rule):
    """The base's builder stage upgrades pip and installs the common requirements in ONE RUN.

    Why: the report's first row: "builder: pip install --upgrade pip와
    common.txt 설치 단일 RUN". Two RUNs make two layers and let a cached
    old pip resolve the requirements. The requirements file is the manifest's
    ``base.requirements``.

    Bad::

        RUN pip install --upgrade pip
        RUN pip install --user --no-cache-dir -r requirements/common.txt

    Good::

        RUN pip install --upgrade pip \\
            && pip install --user --no-cache-dir -r requirements/common.txt
    """

    code = "DF307"
    name = "builder-pip-not-one-run"
    severity = Severity.ERROR
    scope = Scope.BASE
    requirement_ko = "builder: `pip install --upgrade pip`와 `{requirements}` 설치 단일 RUN"
    requirement_en = (
        "builder: `pip install --upgrade pip` and the `{requirements}` install in one RUN"
    )

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Find the RUNs of the builder stages that upgrade pip and install the requirements."""
        wanted = subject.requirements()
        builders = [s for s in subject.stages() if s is not subject.final]
        if not builders:
            yield self.fail(
                "no builder stage: the base installs its requirements in a stage"
                " before the runtime one",
                subject.span(subject.final.stage.start),
                ko="builder 스테이지 없음: 베이스는 runtime 앞 스테이지에서"
                " requirements를 설치해야 함",
            )
            return
        upgrade = install = None
        for stage_state in builders:
            for instruction, cmds in runs(stage_state.stage):
                for pip in shell.pip_installs(cmds):
                    if _upgrades_pip(pip):
                        upgrade = upgrade or instruction
                    files = [normal(f) for f in shell.requirement_files(pip)]
                    if wanted and any(
                        f == normal(wanted) or normal(wanted).endswith("/" + f) for f in files
                    ):
                        install = install or instruction
        start = subject.span(builders[-1].stage.start)
        if upgrade is None or install is None:
            missing = [
                w
                for w, i in (
                    ("pip install --upgrade pip", upgrade),
                    (f"pip install -r {wanted}", install),
                )
                if i is None
            ]
            yield self.fail(f"the builder stage lacks {' and '.join(missing)}", start,
                            ko=f"builder 스테이지에 {', '.join(f'`{m}`' for m in missing)} 없음")
        elif upgrade is not install:
            yield self.fail(
                f"pip upgrade ({subject.span(upgrade).cite()}) and the {wanted} install"
                f" ({subject.span(install).cite()}) are separate RUNs",
                subject.span(install),
                subject.span(upgrade),
                ko=f"pip 업그레이드({subject.span(upgrade).cite()})와 `{wanted}` 설치"
                f"({subject.span(install).cite()})가 별도 RUN",
            )
        else:
            yield self.ok(
                f"pip install --upgrade pip && pip install -r {wanted} in one RUN",
                subject.span(install),
                ko=f"`pip install --upgrade pip && pip install -r {wanted}` 단일 RUN",
            )
