"""DF204: EXPOSE lists exactly the manifest's ports."""

from __future__ import annotations

from collections.abc import Iterator

from dockbuild.evidence import Severity
from dockbuild.lint.rules.base import Outcome, Rule, Subject


class ExposeDisagreesWithManifest(Rule):
    """``EXPOSE`` (own and inherited) must list exactly the manifest's ``ports``.

    Why: the report's "포트 8000 변경 없음": ports live in the manifest; the
    image tests and the smoke test probe what the manifest says, and an
    EXPOSE that disagrees documents a port nobody listens on.

    Bad::

        EXPOSE 8080

    Good::

        EXPOSE 8000
    """

    code = "DF204"
    name = "expose-disagrees-with-manifest"
    severity = Severity.ERROR
    inherits = True
    requirement_ko = "포트 변경 없음: EXPOSE {ports}"
    requirement_en = "ports unchanged: EXPOSE {ports}"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Compare the set of exposed ports with the manifest's."""
        state = subject.final.final
        wanted = set(subject.image.ports)
        exposed: dict[int, object] = {}
        bad: list[str] = []
        for setting in state.expose:
            number = setting.value.split("/", 1)[0]
            if number.isdigit():
                exposed[int(number)] = setting.span
            else:
                bad.append(setting.value)
        spans = sorted({s.span for s in state.expose}, key=lambda s: (s.file, s.line))
        declared = (subject.manifest_span("ports"),) if subject.image.line_of("ports") else ()
        where = spans[-1] if spans else subject.span(subject.final.stage.start)
        if bad:
            yield self.fail(f"EXPOSE {' '.join(bad)} is not a port number", where, *declared,
                            ko=f"`EXPOSE {' '.join(bad)}`: 포트 번호가 아님")
        elif set(exposed) == wanted:
            shown = " ".join(map(str, sorted(wanted))) or "nothing"
            yield self.ok(f"EXPOSE {shown}, as the manifest says", where, *spans[:-1], *declared,
                          ko=f"`EXPOSE {' '.join(map(str, sorted(wanted)))}`, 매니페스트와 같음"
                          if wanted else "EXPOSE 없음, 매니페스트와 같음")
        else:
            extra = sorted(set(exposed) - wanted)
            missing = sorted(wanted - set(exposed))
            parts, parts_ko = [], []
            if missing:
                parts.append(f"does not expose {', '.join(map(str, missing))}")
                parts_ko.append(f"`{', '.join(map(str, missing))}` EXPOSE 없음")
            if extra:
                parts.append(f"exposes {', '.join(map(str, extra))}, which the manifest lacks")
                parts_ko.append(f"매니페스트에 없는 `{', '.join(map(str, extra))}` EXPOSE")
            yield self.fail(
                f"{'; '.join(parts)} (manifest ports: {sorted(wanted)})",
                where,
                *spans[:-1],
                *declared,
                ko=f"{'; '.join(parts_ko)} (매니페스트 포트: `{sorted(wanted)}`)",
            )
