"""What every policy rule shares: the Rule class, what it looks at, what it yields."""

from __future__ import annotations

import dataclasses
import enum
import posixpath
from collections.abc import Iterator
from typing import ClassVar

from dockbuild.evidence import Severity, Span, Status
from dockbuild.inputs.buildcontext import ContextView, normal
from dockbuild.inputs.dockerfile import Dockerfile, Instruction
from dockbuild.inputs.manifest import Image, Manifest
from dockbuild.lint.stages import Analysis, StageState, State


class Scope(enum.Enum):
    """Which subjects a rule checks."""

    IMAGE = "image"  # the base and every service
    BASE = "base"  # the base image only
    SERVICE = "service"  # every image built FROM another manifest image
    CONTEXT = "context"  # once per build context (.dockerignore, files sent)


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """What a rule found: pass, fail or skip, a message (English and Korean), the proof."""

    status: Status
    message: str
    where: Span | None = None
    related: tuple[Span, ...] = ()
    message_ko: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Parent:
    """The image a service is built FROM, as far as its Dockerfile could be read."""

    image: Image
    analysis: Analysis | None

    @property
    def final(self) -> State | None:
        """Return the parent's final state, or None when its Dockerfile does not parse."""
        stage = self.analysis.final if self.analysis else None
        return stage.final if stage else None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """Everything a rule may look at for one image (or one context)."""

    manifest: Manifest
    image: Image
    dockerfile: Dockerfile | None
    analysis: Analysis | None
    parents: tuple[Parent, ...]
    context: ContextView
    manifest_lines: tuple[str, ...]
    trusted_registries: tuple[str, ...] = ()

    @property
    def is_base(self) -> bool:
        """Return True for the manifest's base image."""
        return self.image.name == self.manifest.base.name

    @property
    def parent(self) -> Parent | None:
        """Return the direct parent image, if any."""
        return self.parents[0] if self.parents else None

    @property
    def final(self) -> StageState:
        """Return the final stage's states (rules run only on parsed files)."""
        assert self.analysis is not None and self.analysis.final is not None
        return self.analysis.final

    def span(self, instruction: Instruction) -> Span:
        """Return an instruction's lines in this subject's Dockerfile."""
        assert self.dockerfile is not None
        return self.dockerfile.span_of(instruction)

    def cite_setting(self, span: Span) -> tuple[Span, tuple[Span, ...], Span | None]:
        """Return where to cite a final setting, the related lines, and its parent's line.

        A setting this Dockerfile makes is cited where it is made; one inherited
        from a parent image is cited at this file's final FROM, with the parent's
        line as related evidence (and returned, for the message).
        """
        if self.dockerfile is not None and span.file == self.dockerfile.path:
            return span, (), None
        return self.span(self.final.stage.start), (span,), span

    def manifest_span(self, key: str, image: Image | None = None) -> Span:
        """Return the manifest line that sets ``key`` for ``image`` (default: this one)."""
        image = image or self.image
        line = image.line_of(key) or image.where.line or 1
        text = self.manifest_lines[line - 1] if line <= len(self.manifest_lines) else ""
        return Span(str(self.manifest.path), line, line, text)

    def stages(self) -> Iterator[StageState]:
        """Yield every stage with its states."""
        assert self.analysis is not None
        yield from self.analysis.stages

    def requirements(self) -> str | None:
        """Return the image's requirements file (repository-relative), if the manifest names one."""
        return self.image.requirements.as_posix() if self.image.requirements else None

    def terms(self) -> dict[str, str]:
        """Return the words requirement texts are filled with."""
        base = self.manifest.base
        user = base.user
        parent = self.parent.image if self.parent else None
        python = self.manifest.variants.default_python
        requirements = self.image.requirements or base.requirements
        cmd = self.image.cmd if isinstance(self.image.cmd, str) else " ".join(self.image.cmd)
        return {
            "image": self.image.name,
            "user": user.name,
            "uid": str(user.uid),
            "gid": str(user.gid),
            "home": user.home,
            "workdir": base.workdir,
            "base": base.name,
            "parent": parent.image if parent else base.image,
            "root_image": base.root_image_for(python),
            "requirements": requirements.name if requirements else "requirements",
            "copies": ", ".join(self.image.copies) or "-",
            "base_copies": ", ".join(base.copies) or "-",
            "apt": ", ".join(self.image.apt) or "-",
            "ports": ", ".join(map(str, self.image.ports)) or "-",
            "cmd": cmd,
        }


class Rule:
    """A policy rule: subclass, set the class attributes, implement :meth:`check`.

    The docstring is the rule's user documentation: a first line, a ``Why:``
    paragraph, then ``Bad::`` and ``Good::`` examples. docs/rules.md is made of it.
    Every outcome states its message twice, where it is made: English first, then
    ``ko=`` in the Korean report's words (short, code and values in backticks).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    scope: ClassVar[Scope] = Scope.IMAGE
    requirement_ko: ClassVar[str]
    requirement_en: ClassVar[str]
    # True when the verdict depends on what the parent images give (USER, WORKDIR, CMD...):
    # such a rule is skipped, not run, while a parent's Dockerfile does not parse.
    inherits: ClassVar[bool] = False

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Yield an outcome for each thing checked: pass, fail or skip."""
        raise NotImplementedError

    @staticmethod
    def ok(message: str, where: Span | None = None, *related: Span, ko: str) -> Outcome:
        """Return a passing outcome with its evidence."""
        return Outcome(Status.PASS, message, where, related, ko)

    @staticmethod
    def fail(message: str, where: Span | None = None, *related: Span, ko: str) -> Outcome:
        """Return a failing outcome."""
        return Outcome(Status.FAIL, message, where, related, ko)

    @staticmethod
    def skip(message: str, where: Span | None = None, *, ko: str) -> Outcome:
        """Return an outcome for a check that does not apply here."""
        return Outcome(Status.SKIP, message, where, (), ko)


def destination(state: State, dest: str, source: str, *, is_dir: bool = False) -> str:
    """Return where a copied source lands, made absolute against the WORKDIR.

    A file copied to a folder (``dest`` ending in ``/``, or ``.``) keeps its
    name; a folder's contents land in ``dest`` itself, as COPY does it.
    """
    path = dest if dest.startswith("/") else posixpath.join(state.workdir_path, dest)
    if not is_dir and (dest.endswith("/") or dest in {".", "./"}):
        path = posixpath.join(path, posixpath.basename(normal(source)))
    return posixpath.normpath(path)
