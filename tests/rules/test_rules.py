"""Every fixture under fixtures/<CODE>/ is linted with that one rule, in a small repository.

A line ``# expect: DF101`` says: the next instruction must be reported with
DF101, at exactly that line; ``# expect: DF404 at apps/.env:1`` names another
file. Anything reported without a marker fails the test.

The repository is tests/rules/template/ (a base and one service ``svc``). The
fixture replaces docker/svc/Dockerfile, or docker/Dockerfile.base for rules
about the base and for fixtures named ``base*``. Next to a fixture, optional:
``manifest.yaml`` / ``<stem>.manifest.yaml`` (merged over the template's
manifest), ``<stem>.dockerignore`` (replaces .dockerignore),
``<stem>.no-dockerignore`` (removes it), ``<stem>.context/`` (files added),
``hadolint.yaml`` / ``<stem>.hadolint.yaml`` (the lint configuration).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from dockbuild.errors import DockbuildError
from dockbuild.inputs.dockerfile import decode, parse
from dockbuild.lint import config as lintconfig
from dockbuild.lint import run as lint
from dockbuild.lint.rules import ALL_RULES
from dockbuild.lint.rules.base import Scope

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
TEMPLATE = HERE / "template"
RULES = {rule.code: rule for rule in ALL_RULES}
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[\w, ]+?)(?:\s+at\s+(?P<at>\S+):(?P<line>\d+))?\s*$")


def expected_findings(text: str, path: str) -> set[tuple[str, str, int]]:
    """Return (code, file, line) for each ``# expect:`` marker of a fixture."""
    expected: set[tuple[str, str, int]] = set()
    waiting: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if match := _EXPECT.match(stripped):
            codes = [code.strip() for code in match["codes"].split(",") if code.strip()]
            if match["at"]:
                expected |= {(code, match["at"], int(match["line"])) for code in codes}
            else:
                waiting += codes
        elif stripped and not stripped.startswith("#") and waiting:
            expected |= {(code, path, number) for code in waiting}
            waiting = []
    return expected


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def make_repo(fixture: Path, root: Path) -> str:
    """Lay out the template repository with the fixture in place; return its path there."""
    shutil.copytree(TEMPLATE, root)
    code, stem = fixture.parent.name, fixture.stem
    as_base = RULES[code].scope is Scope.BASE or stem.startswith("base")
    target = "docker/Dockerfile.base" if as_base else "docker/svc/Dockerfile"
    (root / target).write_bytes(fixture.read_bytes())
    manifest_path = root / "docker/services.yaml"
    manifest = yaml.safe_load(manifest_path.read_text())
    for extra in (fixture.parent / "manifest.yaml", fixture.with_suffix(".manifest.yaml")):
        if extra.exists():
            _merge(manifest, yaml.safe_load(extra.read_text()))
    manifest_path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    if fixture.with_suffix(".dockerignore").exists():
        shutil.copy(fixture.with_suffix(".dockerignore"), root / ".dockerignore")
    if fixture.with_suffix(".no-dockerignore").exists():
        (root / ".dockerignore").unlink()
    for config in (fixture.parent / "hadolint.yaml", fixture.with_suffix(".hadolint.yaml")):
        if config.exists():
            shutil.copy(config, root / ".hadolint.yaml")
    context = fixture.with_suffix(".context")
    if context.is_dir():
        shutil.copytree(context, root, dirs_exist_ok=True)
    return target


FIXTURE_FILES = sorted(FIXTURES.glob("*/*.Dockerfile"))


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_fixture(fixture: Path, tmp_path: Path) -> None:
    rule = RULES[fixture.parent.name]
    target = make_repo(fixture, tmp_path / "repo")

    result = lint.run(tmp_path / "repo", use_cache=False, rules=[rule], with_hadolint=False)

    found = {(r.check, r.location.file, r.location.line) for r in result.findings if r.location}
    text = fixture.read_bytes().decode("utf-8", "replace")
    assert found == expected_findings(text, target)


def _user_texts(root: Path) -> list[str]:
    """Return the reasons the repository's own pragmas and .hadolint.yaml give (kept as written)."""
    texts = list(lintconfig.load(root).reasons.values())
    for path in ("docker/Dockerfile.base", "docker/svc/Dockerfile"):
        try:
            dockerfile = parse(decode((root / path).read_bytes(), path), path)
        except DockbuildError:  # an unparseable fixture has no pragmas to keep
            continue
        pragmas = [*dockerfile.file_pragmas, *(p for i in dockerfile.instructions
                                               for p in i.pragmas)]
        texts += [p.reason for p in pragmas]
    return texts


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_rule_speaks_korean_on_every_fixture(
    fixture: Path, tmp_path: Path, not_korean: Callable[..., list[str]]
) -> None:
    make_repo(fixture, tmp_path / "repo")

    result = lint.run(tmp_path / "repo", use_cache=False, rules=list(ALL_RULES),
                      with_hadolint=False)

    kept = _user_texts(tmp_path / "repo")
    problems = [f"{r.check} {r.status.value}: {problem}" for r in result.records
                for text in (r.message_in("ko"), r.reason_in("ko") if r.reason else "")
                if text for problem in not_korean(text, kept=kept)]
    assert not problems
    assert all(r.message_ko != r.message for r in result.records)


def test_every_rule_has_a_bad_and_an_ok_fixture() -> None:
    for code in RULES:
        names = {p.stem for p in (FIXTURES / code).glob("*.Dockerfile")}
        assert any(n.startswith("bad") for n in names), f"{code}: add a bad*.Dockerfile"
        assert "ok" in names, f"{code}: add fixtures/{code}/ok.Dockerfile"


def test_every_bad_fixture_expects_a_finding() -> None:
    for fixture in FIXTURE_FILES:
        if fixture.stem.startswith("bad"):
            text = fixture.read_bytes().decode("utf-8", "replace")
            assert expected_findings(text, "x"), f"{fixture}: a bad fixture needs # expect:"


def test_rule_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_every_rule_module_is_registered() -> None:
    modules = {p.stem.split("_", 1)[0].upper() for p in (HERE.parents[1] / "dockbuild/lint/rules")
               .glob("df*.py")}
    assert modules == set(RULES)


def test_every_rule_documents_why_and_examples() -> None:
    for rule in ALL_RULES:
        doc = type(rule).__doc__ or ""
        for part in ("Why:", "Bad::", "Good::"):
            assert part in doc, f"{rule.code}: its docstring lacks {part!r}"
