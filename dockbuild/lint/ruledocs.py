"""docs/rules.md, generated from the rules' docstrings (the docstring IS the documentation)."""

from __future__ import annotations

import inspect
from pathlib import Path

from dockbuild.lint.rules import ALL_RULES
from dockbuild.lint.rules.base import Rule

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


HADOLINT_WIKI = "https://github.com/hadolint/hadolint/wiki/"
#: hadolint rules that say what a policy rule says: a finding of both is shown once.
SAME_AS = {"DL3002": "DF302", "DL3009": "DF101", "DL3015": "DF102"}


def anchor(rule: Rule) -> str:
    """Return the rule's section in docs/rules.md, as a link GitHub renders."""
    return f"{RULES_DOC.as_posix()}#{rule.code.lower()}-{rule.name}"


def fix(code: str) -> tuple[str, str]:
    """Return (what to do, where it is explained) for a finding of rule ``code``.

    A policy rule's fix is its docstring's first line; hadolint's rules
    explain themselves in the finding and link to hadolint's wiki.
    """
    for rule in ALL_RULES:
        if rule.code == code:
            first = inspect.cleandoc(type(rule).__doc__ or rule.name).splitlines()[0]
            return first.replace("``", "`"), anchor(rule)
    return "", HADOLINT_WIKI + code if code[:2] in ("DL", "SC") else ""


def doc(rule: Rule) -> str:
    """Return the rule's docstring as Markdown, its ``Bad::``/``Good::`` examples as code blocks."""
    out: list[str] = []
    block: list[str] | None = None
    for line in [*inspect.cleandoc(type(rule).__doc__ or "").splitlines(), "<end>"]:
        if block is not None and (not line.strip() or line.startswith("    ")):
            block.append(line[4:])
            continue
        if block is not None:
            while block and not block[-1].strip():
                block.pop()
            while block and not block[0].strip():
                block.pop(0)
            out += ["```dockerfile", *block, "```", ""]
            block = None
        if line.strip() in {"Bad::", "Good::"}:
            out += [f"**{line.strip()[:-2]}**", ""]
            block = []
        elif line != "<end>":
            out.append(line)
    return "\n".join(out).strip()


def _shown(template: str) -> str:
    """Show a requirement template's placeholders as ``<user>`` rather than ``{user}``."""
    return template.replace("{{", "\0").replace("}}", "\1").replace("{", "<").replace(
        "}", ">").replace("\0", "{").replace("\1", "}")


def render() -> str:
    """Return the whole of docs/rules.md."""
    rows = [
        f"| [{r.code}]({anchor(r).removeprefix(RULES_DOC.as_posix())}) | `{r.name}` |"
        f" {r.severity.value} |"
        f" {r.scope.value} | {_shown(r.requirement_ko)} / {_shown(r.requirement_en)} |"
        for r in ALL_RULES
    ]
    sections = [
        f"## {r.code} {r.name}\n\nSeverity: {r.severity.value}. Scope: {r.scope.value}."
        f" Requirement: {r.requirement_ko} — {r.requirement_en}\n\n{doc(r)}\n"
        for r in ALL_RULES
    ]
    body = _HEADER + "\n".join(rows) + "\n\n" + "\n".join(sections)
    return body.rstrip() + "\n"


def write(root: Path, *, check: bool = False) -> Path:
    """Write docs/rules.md under ``root``; with ``check``, raise when it is out of date instead."""
    from dockbuild.errors import ChecksFailed

    path = root / RULES_DOC
    text = render()
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if check:
        if current != text:
            msg = f"{RULES_DOC} is out of date"
            raise ChecksFailed(msg, hint="run `inv docs`")
        return path
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"{RULES_DOC}: {'updated' if current != text else 'up to date'}")
    return path
