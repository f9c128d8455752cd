"""DF407: the build context has a .dockerignore."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity, Span
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject


class DockerignoreMissing(Rule):
    """Every build context needs a .dockerignore.

    Why: without one the context sends everything: .git, virtual
    environments, caches and any secret lying around, which makes builds
    slow and the cache key of every image change on every commit.

    Bad::

        # no .dockerignore next to the build context

    Good::

        # .dockerignore
        .git
        .venv
        **/__pycache__
    """

    code = "DF407"
    name = "dockerignore-missing"
    severity = Severity.WARNING
    scope = Scope.CONTEXT
    requirement_ko = ".dockerignore 존재"
    requirement_en = ".dockerignore exists"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check the file exists."""
        ignore = subject.context.ignore_file
        if ignore.exists:
            lines = max(len(ignore.text.splitlines()), 1)
            yield self.ok(
                f"{ignore.path} has {len(ignore.rules)} patterns", Span(ignore.path, 1, lines, ""),
                ko=f"`{ignore.path}` 패턴 {len(ignore.rules)}개",
            )
        else:
            yield self.fail(
                f"no {ignore.path}: the build context sends every file",
                Span(ignore.path, 1, 1, ""),
                ko=f"`{ignore.path}` 없음: 빌드 컨텍스트가 모든 파일을 보냄",
            )
