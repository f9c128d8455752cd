"""Lint records in, text out: text, json, sarif, junit. No printing, no files here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import Any

from dockbuild import junit
from dockbuild.evidence import Evidence, Severity, Status

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36", Severity.STYLE: "35"}


def _summary(records: Sequence[Evidence]) -> dict[str, int]:
    failed = [r for r in records if r.failed]
    counts = {level.value: sum(r.severity is level for r in failed) for level in Severity}
    counts["passed"] = sum(r.status is Status.PASS for r in records)
    counts["ignored"] = sum(r.status is Status.SKIP and bool(r.reason) for r in records)
    counts["files"] = len({r.location.file for r in records if r.location})
    return counts


def summary_line(records: Sequence[Evidence]) -> str:
    """Return the one-line summary the text format ends with."""
    c = _summary(records)
    return (
        f"{c['error']} errors, {c['warning']} warnings, {c['info']} info, {c['style']} style"
        f" in {c['files']} files; {c['passed']} checks passed, {c['ignored']} ignored"
    )


def as_text(records: Sequence[Evidence], *, colour: bool = False,
            show_ignored: bool = False) -> str:
    """Group findings by file: ``file:line: RULE message``, the fix and its docs, a summary."""
    from dockbuild.lint import ruledocs

    findings, also = _merged(sorted((r for r in records if r.failed), key=Evidence.sort_key))
    out: list[str] = []
    for file, group in groupby(
        findings, key=lambda r: r.location.file if r.location else r.subject
    ):
        out.append(f"\033[1m{file}\033[0m" if colour else file)
        for record in group:
            line = record.location.line if record.location else 0
            level = record.severity.value
            if colour:
                level = f"\033[{_COLOURS[record.severity]}m{level}\033[0m"
            same = f" (hadolint {', '.join(also[id(record)])} says the same)" \
                if id(record) in also else ""
            out.append(f"{file}:{line}: {record.check} {level}: {record.message}{same}")
            if record.related:
                out.append("    see " + ", ".join(str(span) for span in record.related))
            todo, link = ruledocs.fix(record.check)
            if todo or link:
                out.append(f"    fix: {todo} ({link})" if todo else f"    docs: {link}")
        out.append("")
    ignored = sorted((r for r in records if r.status is Status.SKIP and r.reason),
                     key=Evidence.sort_key)
    for record in ignored if show_ignored else []:
        where = (
            f"{record.location.file}:{record.location.line}" if record.location else record.subject
        )
        out.append(f"ignored {where}: {record.check} ({record.reason})")
    if ignored and show_ignored:
        out.append("")
    notes = ["--show-ignored lists them"] if ignored and not show_ignored \
        else []
    twins = sum(len(codes) for codes in also.values())
    notes += [f"{twins} hadolint finding(s) shown with the policy rule saying the same"] \
        if twins else []
    out.append(summary_line(records) + (f" ({'; '.join(notes)})" if notes else ""))
    return "\n".join(out) + "\n"


def _merged(findings: list[Evidence]) -> tuple[list[Evidence], dict[int, list[str]]]:
    """Drop hadolint findings a policy finding in the same file says; note them on it."""
    from dockbuild.lint.ruledocs import SAME_AS

    policy = {(r.check, r.location.file if r.location else r.subject): r for r in findings}
    kept, also = [], {}
    for record in findings:
        twin = policy.get((SAME_AS.get(record.check, ""),
                           record.location.file if record.location else record.subject))
        if twin is not None:
            also.setdefault(id(twin), []).append(record.check)
            continue
        kept.append(record)
    return kept, also


def as_json(records: Sequence[Evidence], *, tools: dict[str, str] | None = None) -> str:
    """Return ``{"findings": [...], "checks": [...], "summary": {...}, "tools": {...}}``."""
    findings = [
        {
            "file": r.location.file if r.location else r.subject,
            "line": r.location.line if r.location else 1,
            "end_line": r.location.end_line if r.location else 1,
            "rule": r.check,
            "severity": r.severity.value,
            "message": r.message,
            "source": r.source,
        }
        for r in sorted((r for r in records if r.failed), key=Evidence.sort_key)
    ]
    checks = [r.to_dict() for r in sorted(records, key=Evidence.sort_key)]
    document = {
        "findings": findings,
        "checks": checks,
        "summary": _summary(records),
        "tools": tools or {},
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def as_sarif(
    records: Sequence[Evidence],
    *,
    tools: dict[str, str] | None = None,
    rules_help: dict[str, tuple[str, str]] | None = None,
) -> str:
    """Return a SARIF 2.1.0 log (one run) that code scanning accepts."""
    level = {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        Severity.INFO: "note",
        Severity.STYLE: "note",
    }
    shown = [
        r for r in records if r.location and (r.failed or (r.status is Status.SKIP and r.reason))
    ]
    ids = sorted({r.check for r in shown})
    helps = rules_help or {}
    rules = []
    for code in ids:
        example = next(r for r in shown if r.check == code)
        rules.append(_sarif_rule(code, example, helps, level[example.severity]))
    results = []
    for record in sorted(shown, key=Evidence.sort_key):
        loc = record.location
        assert loc is not None
        region: dict[str, Any] = {"startLine": loc.line, "endLine": max(loc.end_line, loc.line)}
        if loc.text:
            region["snippet"] = {"text": loc.text}
        result: dict[str, Any] = {
            "ruleId": record.check,
            "ruleIndex": ids.index(record.check),
            "level": level[record.severity],
            "message": {"text": record.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": loc.file, "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {
                "dockbuild/v1": hashlib.sha256(
                    f"{record.check}\0{loc.file}\0{loc.text.strip()}".encode()
                ).hexdigest()
            },
        }
        if record.related:
            result["relatedLocations"] = [
                {
                    "id": n,
                    "physicalLocation": {
                        "artifactLocation": {"uri": s.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": s.line, "endLine": max(s.end_line, s.line)},
                    },
                }
                for n, s in enumerate(record.related)
            ]
        if record.status is Status.SKIP:
            result["suppressions"] = [{"kind": "inSource", "justification": record.reason}]
        results.append(result)
    run = {
        "tool": {
            "driver": {
                "name": "dockbuild-lint",
                "version": (tools or {}).get("hadolint", "unknown"),
                "rules": rules,
            }
        },
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=1) + "\n"


def _sarif_rule(code: str, example: Evidence, helps: dict[str, tuple[str, str]],
                level: str) -> dict[str, Any]:
    """Return one SARIF rule: what it checks, how to fix it, and where that is explained."""
    from dockbuild.lint import ruledocs

    if code in helps:
        title, doc = helps[code]
    else:  # hadolint's own: its finding's text says what the rule wants
        title = doc = example.message or example.requirement.en
    todo, link = ruledocs.fix(code)
    rule: dict[str, Any] = {
        "id": code,
        "name": code,
        "shortDescription": {"text": title},
        "fullDescription": {"text": doc},
        "help": {"text": f"{todo or title} ({link})" if link else doc,
                 "markdown": f"{todo or title} ([{code}]({link}))" if link else doc},
        "defaultConfiguration": {"level": level},
        "properties": {
            "source": example.source,
            "requirement_ko": example.requirement.ko,
            "requirement_en": example.requirement.en,
        },
    }
    if link.startswith("https://"):
        rule["helpUri"] = link
    return rule


def as_junit(records: Sequence[Evidence], **_: Any) -> str:
    """Return JUnit XML: a ``lint: FILE`` testsuite per file, a testcase per check."""
    return junit.render(sorted(records, key=Evidence.sort_key), name="dockbuild lint")


FORMATS: dict[str, Callable[..., str]] = {
    "text": as_text,
    "json": as_json,
    "sarif": as_sarif,
    "junit": as_junit,
}


def render(fmt: str, records: Sequence[Evidence], tools: dict[str, str], *,
           colour: bool = False, show_ignored: bool = False) -> str:
    """Render records in format ``fmt`` (colour and the ignored list apply to text only)."""
    if fmt == "text":
        return as_text(records, colour=colour, show_ignored=show_ignored)
    if fmt == "sarif":
        return as_sarif(records, tools=tools, rules_help=_rules_help())
    return FORMATS[fmt](records, tools=tools)


def _rules_help() -> dict[str, tuple[str, str]]:
    """Return (first line, whole docstring) of every policy rule, for SARIF's rule metadata."""
    import inspect

    from dockbuild.lint.rules import ALL_RULES

    helps = {}
    for rule in ALL_RULES:
        doc = inspect.cleandoc(type(rule).__doc__ or rule.name)
        helps[rule.code] = (doc.splitlines()[0], doc)
    return helps
