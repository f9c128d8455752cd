"""DF202: services do not start FROM the root Python image."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject
from dockbuild.lint.stages import repository


class RootImageInService(Rule):
    """A service must not start FROM the root Python image; only the base does.

    Why: the report's "FROM python:3.11-slim 폐기". A service on the root
    image re-installs what the base already has, runs as root and drifts
    from the base's Python. The root image comes from the manifest
    (``base.root_image``), matched whatever its tag.

    Bad::

        FROM python:3.11-slim

    Good::

        ARG BASE_IMAGE=academy-base:latest
        FROM ${BASE_IMAGE}
    """

    code = "DF202"
    name = "root-image-in-service"
    severity = Severity.ERROR
    scope = Scope.SERVICE
    requirement_ko = "FROM {root_image} 폐기"
    requirement_en = "FROM {root_image} dropped"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Render every FROM and compare its repository with the root image's."""
        assert subject.analysis is not None
        root = repository(subject.manifest.base.root_image_for("x"))
        bad = False
        for stage_state in subject.stages():
            image = subject.analysis.rendered_from(stage_state.stage)
            if repository(image) == root:
                bad = True
                yield self.fail(
                    f"FROM {image}: services start FROM the base, not the root image",
                    subject.span(stage_state.stage.start),
                    ko=f"`FROM {image}`: 서비스는 루트 이미지가 아니라 베이스에서 시작해야 함",
                )
        if not bad:
            start = subject.final.stage.start
            yield self.ok(f"no FROM {root}:*", subject.span(start), ko=f"`FROM {root}:*` 없음")
