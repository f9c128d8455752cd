"""The lint configuration: the checked-in .hadolint.yaml, read for both sources.

Hadolint reads its own keys from this file. ``inv lint`` applies the same
``ignored`` list and ``override`` levels to its policy rules (DF codes), so one
file says which rules run and how severe they are, whichever tool owns them.
One key is ours: ``reasons`` (code -> text), shown next to a disabled rule.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path

from dockbuild.errors import ConfigError, Location
from dockbuild.evidence import Severity

CONFIG = ".hadolint.yaml"
_LEVELS = {level.value: level for level in Severity}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LintConfig:
    """Which rules run, at which level, and why some do not."""

    path: str | None = None
    digest: str = "none"
    ignored: frozenset[str] = frozenset()
    levels: Mapping[str, Severity] = dataclasses.field(default_factory=dict)
    reasons: Mapping[str, str] = dataclasses.field(default_factory=dict)
    trusted_registries: tuple[str, ...] = ()

    def enabled(self, code: str, name: str = "") -> bool:
        """Return False when the config's ``ignored`` list names the rule."""
        return code not in self.ignored and (not name or name not in self.ignored)

    def level(self, code: str, default: Severity) -> Severity:
        """Return the rule's level after ``override``."""
        return self.levels.get(code, default)


def digest_of(root: Path) -> str:
    """Return :func:`load`'s ``digest`` from the file's bytes alone (the replay key: no YAML)."""
    try:
        return hashlib.sha256((root / CONFIG).read_bytes()).hexdigest()
    except FileNotFoundError:
        return LintConfig().digest


def load(root: Path) -> LintConfig:
    """Read ``root/.hadolint.yaml``; a missing file means hadolint's defaults."""
    import yaml  # here, not above: a replayed lint run reads no YAML

    path = root / CONFIG
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LintConfig()
    where = Location(Path(CONFIG))
    try:
        raw = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        msg = f"invalid YAML: {exc.problem}"
        raise ConfigError(
            msg, where=Location(Path(CONFIG), mark.line + 1 if mark else None)
        ) from None
    if not isinstance(raw, dict):
        msg = "must be a mapping of hadolint settings"
        raise ConfigError(msg, where=where)
    ignored = _codes(raw.get("ignored", []), "ignored", where)
    levels: dict[str, Severity] = {}
    override = raw.get("override", {}) or {}
    if not isinstance(override, dict):
        msg = "override must map a level (error, warning, info, style) to rule codes"
        raise ConfigError(msg, where=where)
    for level, codes in override.items():
        if level not in _LEVELS:
            msg = f"override: unknown level {level!r}"
            raise ConfigError(msg, where=where, hint="use error, warning, info or style")
        for code in _codes(codes, f"override.{level}", where):
            levels[code] = _LEVELS[level]
    reasons = raw.get("reasons", {}) or {}
    if not isinstance(reasons, dict):
        msg = "reasons must map rule codes to text"
        raise ConfigError(msg, where=where)
    trusted = raw.get("trustedRegistries", []) or []
    return LintConfig(
        path=CONFIG,
        digest=hashlib.sha256(data).hexdigest(),
        ignored=frozenset(ignored),
        levels=levels,
        reasons={str(k): str(v) for k, v in reasons.items()},
        trusted_registries=tuple(str(r) for r in trusted),
    )


def _codes(value: object, what: str, where: Location) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        msg = f"{what} must be a list of rule codes"
        raise ConfigError(msg, where=where)
    return list(value)
