"""DF105: COPY the requirements file alone, then RUN pip install -r on it."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.inputs import shell
from dockbuild.inputs.buildcontext import context_copies, covers, normal
from dockbuild.inputs.dockerfile import Instruction
from dockbuild.lint.rules.base import Outcome, Rule, Subject, destination
from dockbuild.lint.rules.facts import runs
from dockbuild.lint.stages import StageState


class RequirementsNotCopiedFirst(Rule):
    """Install the manifest's requirements file, COPYed on its own just before pip.

    Why: the report keeps "COPY + RUN pip (캐시 효율)": when the COPY brings
    only the requirements file, the pip layer stays cached until that file
    changes. Copying application code first (or not at all) either rebuilds
    pip on every code change or fails with "No such file".

    Bad::

        COPY . .
        RUN pip install --user --no-cache-dir -r requirements/api.txt

    Good::

        COPY --chown=appuser:appuser requirements/api.txt requirements/api.txt
        RUN pip install --user --no-cache-dir -r requirements/api.txt
    """

    code = "DF105"
    name = "requirements-not-copied-first"
    severity = Severity.ERROR
    requirement_ko = "COPY + RUN pip 유지(캐시 효율): {requirements}"
    requirement_en = "keep COPY + RUN pip (cache efficiency): {requirements}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Find each pip -r, the COPY that brings its file, and compare with the manifest."""
        wanted = subject.requirements()
        app_code = [*subject.manifest.base.copies, *subject.image.copies]
        installed = seen = False
        for stage_state in subject.stages():
            for instruction, cmds in runs(stage_state.stage):
                where = subject.span(instruction)
                workdir = stage_state.at(instruction).workdir_path
                for pip in shell.pip_installs(cmds):
                    for name in shell.requirement_files(pip):
                        seen = True
                        target = posixpath.normpath(posixpath.join(workdir, name))
                        brought = self._copy_of(stage_state, target, instruction.line)
                        if brought is None:
                            installed = installed or normal(name) == normal(wanted or "")
                            yield self.fail(f"{name} is not COPYed before this RUN", where,
                                            ko=f"이 RUN 전에 `{name}` COPY 없음")
                            continue
                        copy, sources, context_file = brought
                        copy_span = subject.span(copy)
                        if normal(context_file) == normal(wanted or ""):
                            installed = True
                        if wanted and normal(context_file) != normal(wanted):
                            yield self.fail(
                                f"pip installs {context_file}, but"
                                f" {subject.manifest.path} names {wanted}",
                                where,
                                copy_span,
                                subject.manifest_span("requirements"),
                                ko=f"pip가 `{context_file}` 설치, `{subject.manifest.path}`에는"
                                f" `{wanted}`",
                            )
                        elif any(covers(s, code) for s in sources for code in app_code):
                            yield self.fail(
                                f"the COPY that brings {name} also brings application"
                                " code: every code change re-runs pip",
                                copy_span,
                                where,
                                ko=f"`{name}`의 COPY가 애플리케이션 코드도 가져옴:"
                                " 코드가 바뀔 때마다 pip 재실행",
                            )
                        else:
                            yield self.ok(
                                f"COPY {context_file}, then pip install -r", copy_span, where,
                                ko=f"`COPY {context_file}` 후 `pip install -r`",
                            )
        if wanted and not installed:
            yield self.fail(
                f"{wanted} (from {subject.manifest.path}) is never pip-installed",
                subject.span(subject.final.stage.start),
                subject.manifest_span("requirements"),
                ko=f"`{wanted}` (`{subject.manifest.path}`)를 pip로 설치하지 않음",
            )
        elif not wanted and not seen:
            yield self.skip("the manifest names no requirements file",
                            ko="매니페스트에 requirements 파일 없음")

    @staticmethod
    def _copy_of(
        stage_state: StageState, target: str, before: int
    ) -> tuple[Instruction, tuple[str, ...], str] | None:
        """Return the last COPY before line ``before`` that puts a file at ``target``."""
        found = None
        for copy in context_copies(stage_state.stage.body):
            if copy.instruction.line >= before:
                break
            state = stage_state.at(copy.instruction)
            for source in copy.sources:
                landed = destination(state, copy.dest, source)
                if target == landed or target.startswith(landed + "/"):
                    found = (copy.instruction, copy.sources, normal(source) + target[len(landed) :])
        return found
