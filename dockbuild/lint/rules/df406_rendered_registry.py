"""DF406: a FROM with variables renders to an image from a trusted registry."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.stages import repository


def registry(image: str) -> str:
    """Return the registry host of a reference (``docker.io`` when none is named)."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first
    return "docker.io"


class RenderedFromUntrustedRegistry(Rule):
    """A ``FROM ${VAR}`` must render to an image from a trusted registry.

    Why: hadolint's DL3026 (only allowed registries) skips FROM lines with
    variables. With ``trustedRegistries`` in .hadolint.yaml this rule checks
    the rendered image. The manifest's own images (built here, never
    pulled) and earlier stages are always allowed.

    Bad::

        # .hadolint.yaml: trustedRegistries: [docker.io]
        ARG PYTHON_IMAGE=quay.io/someone/python:3.11
        FROM ${PYTHON_IMAGE}

    Good::

        ARG PYTHON_IMAGE=python:3.11-slim
        FROM ${PYTHON_IMAGE}
    """

    code = "DF406"
    name = "rendered-from-untrusted-registry"
    severity = Severity.ERROR
    requirement_ko = "ARG 기본값으로 렌더링한 FROM은 허용된 레지스트리 (DL3026)"
    requirement_en = "the FROM rendered from ARG defaults uses an allowed registry (DL3026)"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Render each FROM that holds a variable and check its registry."""
        assert subject.analysis is not None
        trusted = subject.trusted_registries
        if not trusted:
            yield self.skip("no trustedRegistries in .hadolint.yaml",
                            ko="`.hadolint.yaml`에 `trustedRegistries` 없음")
            return
        local = {image.image for image in subject.manifest.images()}
        stages = {s.stage.name.lower() for s in subject.stages() if s.stage.name}
        for stage_state in subject.stages():
            stage = stage_state.stage
            if "$" not in stage.image:
                continue
            image = subject.analysis.rendered_from(stage)
            where = subject.span(stage.start)
            if repository(image) in local or image.lower() in stages or image == "scratch":
                yield self.ok(f"FROM {image}: built here, never pulled", where,
                              ko=f"`FROM {image}`: 여기서 빌드, pull 안 함")
            elif registry(image) in trusted:
                yield self.ok(f"FROM {image}: {registry(image)} is trusted", where,
                              ko=f"`FROM {image}`: 신뢰 레지스트리 `{registry(image)}`")
            else:
                yield self.fail(
                    f"FROM {image}: registry {registry(image)} is not in"
                    f" trustedRegistries ({', '.join(trusted)})",
                    where,
                    ko=f"`FROM {image}`: 레지스트리 `{registry(image)}`:"
                    f" `trustedRegistries`(`{', '.join(trusted)}`)에 없음",
                )
