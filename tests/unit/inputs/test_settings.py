"""Defaults from the environment: used when no option is given, refused in one line when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.errors import InputError
from dockbuild.inputs import manifest, settings, variants


def test_the_environment_picks_the_variant_unless_an_option_does(
        repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = manifest.load(repo_root)
    monkeypatch.delenv(settings.PYTHON_ENV, raising=False)
    monkeypatch.delenv(settings.PLATFORM_ENV, raising=False)
    assert variants.target(loaded, None, None) == ("3.11", "linux/amd64")  # the manifest's
    monkeypatch.setenv(settings.PYTHON_ENV, "3.13")
    monkeypatch.setenv(settings.PLATFORM_ENV, "linux/arm64")
    assert variants.target(loaded, None, None) == ("3.13", "linux/arm64")
    assert variants.target(loaded, "3.11", None) == ("3.11", "linux/arm64")  # the option wins
    monkeypatch.setenv(settings.PYTHON_ENV, "2.7")
    with pytest.raises(InputError, match=r"DOCKBUILD_PYTHON=2\.7 is not a variant") as info:
        variants.target(loaded, None, None)
    assert info.value.exit_code == 2 and "use one of 3.11, 3.13, or unset it" in info.value.hint


@pytest.mark.parametrize(("given", "env", "expected"), [
    (None, None, None), ("3", None, 3), (None, "2", 2), ("4", "2", 4)])
def test_jobs_come_from_the_option_then_the_environment(
        given: str | None, env: str | None, expected: int | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if env is None:
        monkeypatch.delenv(settings.JOBS_ENV, raising=False)
    else:
        monkeypatch.setenv(settings.JOBS_ENV, env)
    assert settings.jobs(given) == expected


@pytest.mark.parametrize(("given", "env", "shown"), [
    ("0", None, "--jobs='0'"), ("two", None, "--jobs='two'"), (None, "-1", "DOCKBUILD_JOBS='-1'")])
def test_a_wrong_number_of_jobs_names_where_it_came_from(
        given: str | None, env: str | None, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if env is not None:
        monkeypatch.setenv(settings.JOBS_ENV, env)
    with pytest.raises(InputError) as info:
        settings.jobs(given)
    assert str(info.value).startswith(f"{shown} is not a number of parallel builds")
