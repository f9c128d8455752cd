"""docs/rules.md is generated from the rules' docstrings and kept current."""

from __future__ import annotations

from pathlib import Path

from dockbuild.lint import ruledocs
from dockbuild.lint.rules import ALL_RULES


def test_docs_rules_md_is_current(repo_root: Path) -> None:
    current = (repo_root / ruledocs.RULES_DOC).read_text(encoding="utf-8")
    assert current == ruledocs.render(), "docs/rules.md is stale: run `inv docs`"


def test_every_rule_has_a_section_with_its_examples() -> None:
    text = ruledocs.render()
    for rule in ALL_RULES:
        section = text.split(f"## {rule.code} {rule.name}\n", 1)[1].split("\n## ", 1)[0]
        assert "**Bad**" in section and "**Good**" in section and "```dockerfile" in section
