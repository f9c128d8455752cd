"""docs/rules.md, generated from the rules' docstrings (the docstring IS the documentation)."""

from __future__ import annotations

import inspect
from pathlib import Path

from dockbuild.rules import ALL_RULES
from dockbuild.rules.base import Rule

RULES_DOC = Path("docs/rules.md")

_HEADER = """# Lint rules

Generated from the rules' docstrings by `inv docs` (or `python -m dockbuild docs`);
do not edit by hand. `inv lint` runs hadolint (configured by `.hadolint.yaml`)
and these policy rules, which read `docker/services.yaml`.

Silence a finding on the instruction below the comment with
`# lint: ignore=DF101 reason` (a rule code or name; the reason is shown in the
report) or hadolint's own `# hadolint ignore=DL3008`. Turn a rule off or change
its level for the whole repository in `.hadolint.yaml` (`ignored`, `override`,
and `reasons` for the text shown next to a disabled rule).

| code | name | severity | scope | requirement (report) |
|---|---|---|---|---|
"""


def doc(rule: Rule) -> str:
    """Return the rule's docstring with the examples as code blocks."""
    text = inspect.cleandoc(type(rule).__doc__ or "")
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        if line.rstrip().endswith("::") and line.strip() in {"Bad::", "Good::"}:
            if in_block:
                out.append("```")
            out += [f"**{line.strip()[:-2]}**", "", "```dockerfile"]
            in_block = True
        elif in_block and line and not line.startswith("    "):
            out += ["```", "", line]
            in_block = False
        else:
            out.append(line[4:] if in_block else line)
    if in_block:
        while out and not out[-1].strip():
            out.pop()
        out.append("```")
    return "\n".join(out).replace("\n\n```\n", "\n```\n").strip()


def render() -> str:
    """Return the whole of docs/rules.md."""
    rows = [
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity.value} |"
        f" {r.scope.value} | {r.requirement_ko} / {r.requirement_en} |"
        for r in ALL_RULES
    ]
    sections = [
        f"## {r.code} {r.name}\n\nSeverity: {r.severity.value}. Scope: {r.scope.value}."
        f" Requirement: {r.requirement_ko} — {r.requirement_en}\n\n{doc(r)}\n"
        for r in ALL_RULES
    ]
    body = _HEADER + "\n".join(rows) + "\n\n" + "\n".join(sections)
    return body.replace("{", "{").rstrip() + "\n"
