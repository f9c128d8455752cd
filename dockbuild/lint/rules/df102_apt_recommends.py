"""DF102: apt-get install --no-install-recommends."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject
from dockbuild.lint.rules.facts import apt_installs, runs


class AptInstallsRecommends(Rule):
    """Install apt packages with ``--no-install-recommends``.

    Why: recommended packages are not needed to run the service and can
    double an image (tesseract recommends a whole font and X stack).

    Bad::

        RUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*

    Good::

        RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \\
            && rm -rf /var/lib/apt/lists/*
    """

    code = "DF102"
    name = "apt-installs-recommends"
    severity = Severity.ERROR
    requirement_ko = "apt-get install --no-install-recommends"
    requirement_en = "apt-get install --no-install-recommends"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check every apt-get install."""
        seen = False
        for stage_state in subject.stages():
            for instruction, cmds in runs(stage_state.stage):
                for cmd in apt_installs(cmds):
                    seen = True
                    where = subject.span(instruction)
                    off = "APT::Install-Recommends=false" in " ".join(cmd.args)
                    if cmd.has_option("--no-install-recommends") or off:
                        yield self.ok("--no-install-recommends given", where,
                                      ko="`--no-install-recommends` 있음")
                    else:
                        yield self.fail("apt-get install without --no-install-recommends", where,
                                        ko="apt-get install에 `--no-install-recommends` 없음")
        if not seen:
            yield self.skip("no apt-get install in this Dockerfile",
                            ko="이 Dockerfile에 apt-get install 없음")
