"""The python x platform cells the manifest asks for: the one to work on, and all of them."""

from __future__ import annotations

from pathlib import Path

from dockbuild.errors import InputError, Location
from dockbuild.inputs import manifest, settings
from dockbuild.inputs.manifest import Manifest

DEFAULT_PLATFORM = "linux/amd64"


def platform_args(platform: str = DEFAULT_PLATFORM) -> dict[str, str]:
    """Return BuildKit's automatic platform ARGs for the variant linted.

    The build platform is taken to be the target's: which engine builds is
    not known when linting.
    """
    os_name, _, rest = platform.partition("/")
    arch, _, variant = rest.partition("/")
    values: dict[str, str] = {}
    for side in ("TARGET", "BUILD"):
        values |= {f"{side}PLATFORM": platform, f"{side}OS": os_name,
                   f"{side}ARCH": arch, f"{side}VARIANT": variant}
    return values


def check(loaded: Manifest, python: str | None, platform: str | None) -> None:
    """Fail (exit 2) when ``--python`` or ``--platform`` names a variant the manifest lacks."""
    variants = loaded.variants
    for option, value, key, known in (("--python", python, "python", variants.python),
                                      ("--platform", platform, "platforms", variants.platforms)):
        if value is not None and value not in known:
            msg = f"{option} {value} is not a variant of the manifest"
            raise InputError(msg, where=Location(loaded.path, variants.line_of(key)),
                             hint=f"use one of {', '.join(known)}")


def target(loaded: Manifest, python: str | None, platform: str | None) -> tuple[str, str]:
    """Return the (python, platform) to work on: as given, else the environment's, else the
    manifest's default."""
    check(loaded, python, platform)
    for name, value, known in ((settings.PYTHON_ENV, python, loaded.variants.python),
                               (settings.PLATFORM_ENV, platform, loaded.variants.platforms)):
        chosen = settings.from_env(name)
        if value is None and chosen is not None and chosen not in known:
            msg = f"{name}={chosen} is not a variant of the manifest"
            raise InputError(msg, where=Location(loaded.path, loaded.variants.line_of(
                "python" if name == settings.PYTHON_ENV else "platforms")),
                hint=f"use one of {', '.join(known)}, or unset it")
    variants = loaded.variants
    return (python or settings.from_env(settings.PYTHON_ENV) or variants.default_python,
            platform or settings.from_env(settings.PLATFORM_ENV) or variants.default_platform)


def image_cells(root: Path | None = None) -> list[tuple[str, str]]:
    """Return every (python, platform) pair, default cell first, for nox and CI matrices."""
    loaded = manifest.load(root or manifest.find_root(Path(__file__).parent))
    variants = loaded.variants
    cells = [(py, pf) for py in variants.python for pf in variants.platforms]
    default = (variants.default_python, variants.default_platform)
    return [default, *(cell for cell in cells if cell != default)]
