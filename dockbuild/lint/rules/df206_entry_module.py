"""DF206: the entry module the CMD names is in the build context and in the image."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from dockbuild.evidence import Severity, Span
from dockbuild.inputs.buildcontext import context_copies, covers, normal
from dockbuild.lint.rules.base import Outcome, Rule, Subject, destination
from dockbuild.lint.stages import State

_APP = re.compile(r"^(?P<module>[A-Za-z_][\w.]*):[A-Za-z_][\w.]*(\(.*\))?$")


def entry_modules(parts: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Return (module, run_as_main) for ``python -m X`` and ``gunicorn pkg.mod:app``."""
    found: list[tuple[str, bool]] = []
    program = parts[0].rsplit("/", 1)[-1] if parts else ""
    if program.startswith("python") and "-m" in parts[:-1]:
        found.append((parts[parts.index("-m") + 1], True))
    elif program in {"gunicorn", "uvicorn", "daphne", "hypercorn"}:
        found += [(m["module"], False) for word in parts[1:] if (m := _APP.match(word))]
    return found


class EntryModuleMissing(Rule):
    """The module a ``python -m`` (or gunicorn) CMD names must reach the image.

    Why: the report's entry points (``python -m apps.worker.video_worker.sqs_main``)
    only work if that module is in the build context (not excluded by
    .dockerignore), is copied by the image or one of its parents, and lands
    under the WORKDIR with the same path so Python can import it.

    Bad::

        # apps/worker/video_worker/sqs_main.py does not exist
        CMD ["python", "-m", "apps.worker.video_worker.sqs_main"]

    Good::

        # apps/ is copied to /app/apps by the base; WORKDIR is /app
        CMD ["python", "-m", "apps.worker.video_worker.sqs_main"]
    """

    code = "DF206"
    name = "entry-module-missing"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "진입점 모듈이 빌드 컨텍스트와 이미지에 있음: {cmd}"
    requirement_en = "the entry module is in the build context and the image: {cmd}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Resolve each entry module to a file and follow it into the image."""
        cmd = subject.final.final.cmd
        parts = cmd.parts if cmd and cmd.parts else tuple((cmd.value if cmd else "").split())
        modules = entry_modules(parts)
        if not modules or cmd is None:
            yield self.skip("the command names no Python module", ko="명령에 Python 모듈 없음")
            return
        for module, as_main in modules:
            yield self._one(subject, module, as_main, cmd.span)

    def _one(self, subject: Subject, module: str, as_main: bool, where: Span) -> Outcome:
        base = module.replace(".", "/")
        candidates = [f"{base}.py", f"{base}/__main__.py" if as_main else f"{base}/__init__.py"]
        found = next((c for c in candidates if subject.context.sent(c)), None)
        if found is None:
            hidden = next((c for c in candidates if subject.context.exists(c)), None)
            if hidden is None:
                return self.fail(
                    f"module {module}: neither {' nor '.join(candidates)} exists in"
                    " the build context",
                    where,
                    ko=f"모듈 `{module}`: 빌드 컨텍스트에"
                    f" {' / '.join(f'`{c}`' for c in candidates)} 없음",
                )
            rule = subject.context.exclusion(hidden)
            why = f" by {rule.file}:{rule.line} `{rule.text}`" if rule else ""
            related = (rule,) if rule else ()
            return self.fail(
                f"module {module}: {hidden} is excluded from the build context{why}",
                where,
                *related,
                ko=f"모듈 `{module}`: 빌드 컨텍스트에서 `{hidden}` 제외됨"
                + (f" (`{rule.file}:{rule.line}` `{rule.text}`)" if rule else ""),
            )
        wanted = posixpath.join(subject.final.final.workdir_path, found)
        for (source, state, dest), copy_span in self._sources(subject):
            if not covers(source, found):
                continue
            is_dir = normal(source) != found
            landed = destination(state, dest, source, is_dir=is_dir)
            rest = found if normal(source) == "." else found[len(normal(source)) + 1 :]
            inside = posixpath.normpath(posixpath.join(landed, rest)) if is_dir else landed
            if inside == wanted:
                return self.ok(f"module {module}: {found} is copied to {wanted}", where, copy_span,
                               ko=f"모듈 `{module}`: `{found}` → `{wanted}` 복사")
            return self.fail(
                f"module {module}: {found} lands in {inside}, not {wanted}", where, copy_span,
                ko=f"모듈 `{module}`: `{found}` → `{inside}` 복사됨, 기대값 `{wanted}`",
            )
        return self.fail(
            f"module {module}: {found} is in the build context but no COPY of this"
            " image or its parents brings it",
            where,
            ko=f"모듈 `{module}`: 빌드 컨텍스트에 `{found}` 있으나 이 이미지와 부모 이미지의"
            " COPY가 가져오지 않음",
        )

    @staticmethod
    def _sources(subject: Subject) -> Iterator[tuple[tuple[str, State, str], Span]]:
        """Yield ((source, state at COPY, dest), COPY lines) for this image and its parents."""
        chains = [(subject.final, subject.dockerfile)]
        chains += [
            (p.analysis.final, p.analysis.dockerfile)
            for p in subject.parents
            if p.analysis is not None and p.analysis.final is not None
        ]
        for stage_state, dockerfile in chains:
            assert dockerfile is not None
            for copy in context_copies(stage_state.stage.body):
                state = stage_state.at(copy.instruction)
                for source in copy.sources:
                    yield (normal(source), state, copy.dest), dockerfile.span_of(copy.instruction)
