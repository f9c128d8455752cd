"""DF207: the manifest's apt packages are installed."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import stage_apt


class AptPackageMissing(Rule):
    """Install every apt package the manifest lists for the image.

    Why: the report's "AI 전용 시스템 패키지(OCR 등)": the manifest's ``apt``
    list (tesseract-ocr, tesseract-ocr-kor, ffmpeg, ...) is what the service
    needs at runtime; one missing package fails only when a job arrives.
    Packages a parent image installs count too.

    Bad::

        # manifest: apt: [tesseract-ocr, tesseract-ocr-kor]
        RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr \\
            && rm -rf /var/lib/apt/lists/*

    Good::

        RUN apt-get update \\
            && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-kor \\
            && rm -rf /var/lib/apt/lists/*
    """

    code = "DF207"
    name = "apt-package-missing"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "전용 시스템 패키지(apt: {apt}) 설치"
    requirement_en = "image-specific system packages installed (apt: {apt})"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Look for each manifest package in the final stage's and the parents' apt installs."""
        if not subject.image.apt:
            yield self.skip("the manifest lists no apt packages", ko="매니페스트에 apt 패키지 없음")
            return
        installed = {name: subject.span(run) for run, name in stage_apt(subject.final.stage)}
        for parent in subject.parents:
            final = parent.analysis.final if parent.analysis else None
            if final is not None and parent.analysis is not None:
                for run, name in stage_apt(final.stage):
                    installed.setdefault(name, parent.analysis.dockerfile.span_of(run))
        declared = subject.manifest_span("apt")
        where = subject.span(subject.final.stage.start)
        for package in subject.image.apt:
            if package in installed:
                yield self.ok(f"apt installs {package}", installed[package], declared,
                              ko=f"apt로 `{package}` 설치")
            else:
                yield self.fail(
                    f"{package} (manifest apt list) is never installed with apt-get",
                    where,
                    declared,
                    ko=f"`{package}` (매니페스트 apt 목록)을 apt-get으로 설치하지 않음",
                )
