"""DF201: ARG BASE_IMAGE=<parent>:latest, then FROM ${BASE_IMAGE}."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject

_ARG_REF = re.compile(r"^\$(?:\{BASE_IMAGE\}|BASE_IMAGE)$")


class BaseImageArg(Rule):
    """Start a service from its parent image through ``ARG BASE_IMAGE``.

    Why: the report's "FROM academy-base:latest 상속": the build system passes
    ``BASE_IMAGE=academy-base:<variant tag>`` so each Python x platform variant
    builds on the matching base, and the default keeps a plain ``docker build``
    working. The parent comes from the manifest (``parent``, default: the base).

    Bad::

        FROM academy-base:latest

    Good::

        ARG BASE_IMAGE=academy-base:latest
        FROM ${BASE_IMAGE}
    """

    code = "DF201"
    name = "base-image-arg"
    severity = Severity.ERROR
    scope = Scope.SERVICE
    requirement_ko = "FROM {parent}:latest 상속 (ARG BASE_IMAGE / FROM ${{BASE_IMAGE}})"
    requirement_en = "inherit FROM {parent}:latest (ARG BASE_IMAGE / FROM ${{BASE_IMAGE}})"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check the global ARG's default and the final FROM."""
        assert subject.dockerfile is not None and subject.parent is not None
        expected = f"{subject.parent.image.image}:latest"
        start = subject.final.stage.start
        from_span = subject.span(start)
        arg = next(
            (
                i
                for i in subject.dockerfile.global_args
                for a in i.args
                if a.partition("=")[0] == "BASE_IMAGE"
            ),
            None,
        )
        parent_line = subject.manifest_span("parent") if subject.image.line_of("parent") else None
        related = (parent_line,) if parent_line else ()
        if arg is None:
            yield self.fail(f"no `ARG BASE_IMAGE={expected}` before the first FROM", from_span,
                            ko=f"첫 FROM 앞에 `ARG BASE_IMAGE={expected}` 없음")
            return
        value = next(a for a in arg.args if a.partition("=")[0] == "BASE_IMAGE").partition("=")[2]
        arg_span = subject.span(arg)
        if value != expected:
            yield self.fail(
                f"ARG BASE_IMAGE defaults to {value or 'nothing'!r}, expected {expected!r}",
                arg_span,
                *related,
                ko=f"`ARG BASE_IMAGE` 기본값이 `{value}`: 기대값 `{expected}`" if value
                else f"`ARG BASE_IMAGE` 기본값 없음: 기대값 `{expected}`",
            )
            return
        if not _ARG_REF.match(subject.final.stage.image):
            yield self.fail(
                f"the final stage is FROM {subject.final.stage.image}, not FROM ${{BASE_IMAGE}}",
                from_span,
                arg_span,
                ko=f"최종 스테이지가 `FROM {subject.final.stage.image}`:"
                " 기대값 `FROM ${BASE_IMAGE}`",
            )
            return
        if start.line - arg.end_line <= 2:
            where = subject.dockerfile.span(arg.line, start.end_line)
            yield self.ok(f"ARG BASE_IMAGE={expected} / FROM ${{BASE_IMAGE}}", where, *related,
                          ko=f"`ARG BASE_IMAGE={expected}` / `FROM ${{BASE_IMAGE}}` 있음")
        else:
            yield self.ok(
                f"ARG BASE_IMAGE={expected} / FROM ${{BASE_IMAGE}}", from_span, arg_span, *related,
                ko=f"`ARG BASE_IMAGE={expected}` / `FROM ${{BASE_IMAGE}}` 있음",
            )
