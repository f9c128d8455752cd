"""The lint configuration: .hadolint.yaml's lists and levels for both tools, bad ones at exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.errors import ConfigError
from dockbuild.evidence import Severity
from dockbuild.lint import config


def test_the_repositorys_config_turns_off_its_listed_rules_with_reasons(repo_root: Path) -> None:
    loaded = config.load(repo_root)
    assert not loaded.enabled("DL3008")
    assert loaded.enabled("DF101", "apt-lists-not-removed")
    assert loaded.reasons["DL3009"].startswith("DF101 enforces")
    assert loaded.path == ".hadolint.yaml" and len(loaded.digest) == 64


def test_override_changes_a_level_and_ignored_matches_a_rule_name(tmp_path: Path) -> None:
    (tmp_path / ".hadolint.yaml").write_text(
        "ignored: [apt-lists-not-removed]\noverride:\n  info: [DF204]\n")
    loaded = config.load(tmp_path)
    assert loaded.level("DF204", Severity.ERROR) is Severity.INFO
    assert loaded.level("DF203", Severity.ERROR) is Severity.ERROR
    assert not loaded.enabled("DF101", "apt-lists-not-removed")


def test_a_missing_file_means_every_rule_at_its_own_level(tmp_path: Path) -> None:
    loaded = config.load(tmp_path)
    assert loaded.path is None and loaded.enabled("DL3008")


@pytest.mark.parametrize(("text", "words"), [
    ("ignored: DL3008\n", "ignored must be a list of rule codes"),
    ("override:\n  loud: [DF204]\n", "override: unknown level 'loud'"),
    ("- a\n", "must be a mapping"),
    ("ignored: [\n", "invalid YAML"),
])
def test_a_bad_config_is_a_config_error_naming_the_file(tmp_path: Path, text: str,
                                                        words: str) -> None:
    (tmp_path / ".hadolint.yaml").write_text(text)
    with pytest.raises(ConfigError, match=words) as info:
        config.load(tmp_path)
    assert info.value.exit_code == 2
    assert str(info.value).startswith(".hadolint.yaml")
