"""DF405: a FROM with variables renders, through the ARG defaults, to a tagged image."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


def has_tag(image: str) -> bool:
    """Return True when a reference carries a tag or a digest."""
    last = image.rsplit("/", 1)[-1]
    return "@" in image or ":" in last


class RenderedFromUntagged(Rule):
    """A ``FROM ${VAR}`` must render, through its ARG default, to a tagged image.

    Why: hadolint cannot see through ``FROM ${BASE_IMAGE}`` (it does not
    substitute ARG defaults), so its DL3006 ("always tag the version") never
    looks at our FROM lines. This rule lints the rendered FROM instead; an
    empty default also breaks a plain ``docker build``.

    Bad::

        ARG BASE_IMAGE=academy-base
        FROM ${BASE_IMAGE}

    Good::

        ARG BASE_IMAGE=academy-base:latest
        FROM ${BASE_IMAGE}
    """

    code = "DF405"
    name = "rendered-from-untagged"
    severity = Severity.WARNING
    requirement_ko = "ARG 기본값으로 렌더링한 FROM에 태그 명시 (DL3006)"
    requirement_en = "the FROM rendered from ARG defaults names a tag (DL3006)"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Render each FROM that holds a variable."""
        assert subject.analysis is not None
        stages = {s.stage.name.lower() for s in subject.stages() if s.stage.name}
        seen = False
        for stage_state in subject.stages():
            stage = stage_state.stage
            if "$" not in stage.image:
                continue
            seen = True
            where = subject.span(stage.start)
            image = subject.analysis.rendered_from(stage)
            if not image:
                yield self.fail(
                    f"FROM {stage.image} renders to nothing: give the ARG a default", where,
                    ko=f"`FROM {stage.image}`: 빈 값으로 렌더링됨: ARG에 기본값 필요",
                )
            elif image.lower() in stages or image == "scratch" or has_tag(image):
                yield self.ok(f"FROM {stage.image} renders to {image}", where,
                              ko=f"`FROM {stage.image}` → `{image}`: 태그 있음")
            else:
                yield self.fail(f"FROM {stage.image} renders to {image}, which has no tag", where,
                                ko=f"`FROM {stage.image}` → `{image}`: 태그 없음")
        if not seen:
            yield self.skip("no FROM with variables", ko="변수가 든 FROM 없음")
