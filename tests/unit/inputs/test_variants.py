"""Choosing the python x platform cell: the manifest's default, or a checked --python/--platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.errors import InputError
from dockbuild.imagetest import run as imagetest
from dockbuild.inputs import manifest, variants
from dockbuild.report import run as report_run


def manifest_line(key: str) -> int:
    path = manifest.find_root(Path(__file__).parent) / manifest.MANIFEST
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(f"{key}:"))


def test_no_option_takes_the_manifest_default(academy: manifest.Manifest) -> None:
    default = (academy.variants.default_python, academy.variants.default_platform)
    assert variants.target(academy, None, None) == default
    other = academy.variants.python[-1]
    assert variants.target(academy, other, None) == (other, default[1])


@pytest.mark.parametrize(("python", "platform", "key", "known"), [
    ("3.9", None, "python", "3.11, 3.13"),
    (None, "linux/s390x", "platforms", "linux/amd64, linux/arm64"),
])
def test_an_unknown_variant_names_the_manifest_line_and_the_allowed_values(
        academy: manifest.Manifest, python: str | None, platform: str | None, key: str,
        known: str) -> None:
    option, value = ("--python", python) if python else ("--platform", platform)
    with pytest.raises(InputError) as caught:
        variants.target(academy, python, platform)
    assert caught.value.exit_code == 2
    assert str(caught.value) == (f"docker/services.yaml:{manifest_line(key)}: {option} {value}"
                                 f" is not a variant of the manifest (hint: use one of {known})")


def test_build_image_test_and_report_give_the_same_error(academy: manifest.Manifest) -> None:
    with pytest.raises(InputError) as by_target:
        variants.target(academy, "3.9", None)
    with pytest.raises(InputError) as by_report:
        report_run.cells(academy, "3.9", None)
    with pytest.raises(InputError) as by_image_test:
        imagetest._cell(imagetest.Options(python="3.9"), academy)
    assert str(by_target.value) == str(by_report.value) == str(by_image_test.value)


def test_the_report_covers_every_cell_the_options_leave(academy: manifest.Manifest) -> None:
    assert report_run.cells(academy, None, "linux/arm64") == [("3.11", "linux/arm64"),
                                                             ("3.13", "linux/arm64")]
    assert len(report_run.cells(academy, None, None)) == 4
