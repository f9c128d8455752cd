"""image-test options that cannot work are exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.errors import InputError
from dockbuild.imagetest import run as imagetest


def test_options_that_cannot_work_are_exit_2() -> None:
    for options in (imagetest.Options(fmt="sarif"), imagetest.Options(config=Path("x.yaml")),
                    imagetest.Options(config=Path("x"), image="i", services=("api",))):
        with pytest.raises(InputError) as info:
            imagetest.check_options(options)
        assert info.value.exit_code == 2
