"""Evidence records in, JUnit XML out: the one writer lint, image tests and the report share.

Each suite holds one subject of one stage, and its name says which:
``lint: docker/api/Dockerfile``, ``image-test: academy-api py3.11-amd64``,
``build: academy-api py3.11-amd64``. Each record is a testcase; failures and
skips are marked, with the file and line CI annotates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from dockbuild.evidence import Evidence, Status

#: record source -> the stage its suite is named after (hadolint and policy rules are lint)
STAGES = {"image-test": "image-test", "build": "build"}


def suite_name(record: Evidence) -> str:
    """Return the name of the suite a record belongs to: its stage and subject."""
    stage = STAGES.get(record.source, "lint")
    if stage == "lint":
        return f"lint: {record.location.file if record.location else record.subject}"
    image = record.subject
    if record.variant and image.endswith(f":{record.variant}"):
        image = image.removesuffix(f":{record.variant}")
    return f"{stage}: {image} {record.variant}".rstrip()


def render(records: Sequence[Evidence], *, name: str) -> str:
    """Return a JUnit XML document of ``records``, suites in the order they first appear."""
    suites: dict[str, list[Evidence]] = {}
    for record in records:
        suites.setdefault(suite_name(record), []).append(record)
    root = ET.Element("testsuites", name=name, **_counts(records))
    for suite, items in suites.items():
        element = ET.SubElement(root, "testsuite", name=suite, **_counts(items))
        for record in items:
            _case(element, record)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _counts(records: Sequence[Evidence]) -> dict[str, str]:
    return {
        "tests": str(len(records)),
        "failures": str(sum(r.failed for r in records)),
        "errors": "0",
        "skipped": str(sum(r.status in _NOT_RUN for r in records)),
        "time": f"{sum(r.duration_s for r in records):.3f}",
    }


def _case(suite: ET.Element, record: Evidence) -> None:
    loc = record.location
    label = record.name or (f"{record.check} {loc}" if loc else record.check)
    case = ET.SubElement(suite, "testcase", classname=record.check, name=label,
                         time=f"{record.duration_s:.3f}")
    if loc is not None:
        case.set("file", loc.file)
        case.set("line", str(loc.line))
    if record.failed:
        first = record.message.splitlines()[0] if record.message else "failed"
        failure = ET.SubElement(case, "failure", type=record.severity.value, message=first)
        failure.text = "\n".join(part for part in (record.message, loc.text if loc else "") if part)
    elif record.status in _NOT_RUN:
        ET.SubElement(case, "skipped", message=record.reason or record.message)


#: A stale result is not a pass of today's image: JUnit shows it skipped, its reason saying why.
_NOT_RUN = (Status.SKIP, Status.STALE)
