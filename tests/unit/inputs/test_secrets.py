"""Every secret pattern catches its kind of key and lets a near-miss through."""

from __future__ import annotations

import pytest

from dockbuild.inputs import secrets

#: kind -> (a value it must catch, a value just short of one)
CASES = {
    "AWS access key id": ("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMP"),
    "PEM private key": ("-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----"),
    "GitHub token": ("ghp_" + "a1" * 18, "ghx_" + "a1" * 18),
    "Slack token": ("xoxs-1234567890-abc", "xoxc-1234567890-abc"),
    "OpenAI API key": ("sk-" + "A1" * 10, "sk-" + "A1" * 9 + "A"),
    "Google API key": ("AIza" + "B" * 35, "AIza" + "B" * 34),
}


def test_every_pattern_has_a_case() -> None:
    assert set(CASES) == set(secrets.VALUE_PATTERNS)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_key_of_each_kind_is_caught_and_masked(kind: str) -> None:
    key = CASES[kind][0]
    assert secrets.looks_secret(f"value={key} rest")
    assert secrets.mask(f"value={key} rest") == "value=*** rest"


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_near_miss_of_each_kind_passes(kind: str) -> None:
    near = CASES[kind][1]
    assert not secrets.looks_secret(near)
    assert secrets.mask(near) == near


def test_image_tests_flag_every_kind_lint_flags() -> None:
    from dockbuild.imagetest import checks

    for kind, (key, near) in CASES.items():
        flagged = [en for en, _ko in checks._secrets({"Env": [f"HARMLESS={key}",
                                                              f"PLAIN={near}"]}, [])]
        assert flagged == ["Env HARMLESS holds a secret-looking value"], kind
