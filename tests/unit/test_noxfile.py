"""noxfile.py: one images session per variant, running inv verify."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dockbuild.inputs import manifest


def test_nox_lists_one_images_cell_per_variant_and_passes_its_arguments_to_verify(
        repo_root: Path) -> None:
    listed = subprocess.run([sys.executable, "-m", "nox", "-l", "--json", "-s", "images"],
                            cwd=repo_root, capture_output=True, text=True, check=True, timeout=60)
    cells = [item["session"] for item in json.loads(listed.stdout)]
    loaded = manifest.load(repo_root)
    assert sorted(cells) == sorted(
        f"images(python='{python}', platform='{platform}')"
        for python in loaded.variants.python for platform in loaded.variants.platforms)
    assert len(cells) == 4


def test_the_images_session_runs_inv_verify_for_its_cell_with_the_extra_arguments(
        repo_root: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("noxfile_under_test", repo_root / "noxfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class Session:
        posargs = ("--service", "api")
        calls: list[tuple[str, ...]] = []  # noqa: RUF012

        def install(self, *args: str) -> None:
            self.calls.append(("install", *args))

        def run(self, *args: str) -> None:
            self.calls.append(args)

    session = Session()
    module.images.func(session, python_version="3.11", platform="linux/arm64")
    assert session.calls[-1] == ("inv", "verify", "--python", "3.11", "--platform",
                                 "linux/arm64", "--service", "api")
    assert session.calls[0] == ("install", "-r", "requirements/dev.txt")
