"""Find the host's Debian mirror in its apt configuration, so debootstrap uses the same one.

Both formats apt reads are understood: one-line ``sources.list`` entries and
deb822 ``*.sources`` stanzas. Nothing here names a mirror: it is read at run time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from dockbuild.errors import EnvironmentProblem

APT_DIR = Path("/etc/apt")
#: Suites that name a Debian release (the archive root holds all of them).
_RELEASES = ("bookworm", "trixie", "forky", "sid", "bullseye", "stable", "testing", "unstable")


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """One apt source: a repository URI, its suites and components."""

    uri: str
    suites: tuple[str, ...]
    components: tuple[str, ...]


def parse_one_line(text: str) -> list[Source]:
    """Parse one-line ``deb [options] URI suite component...`` entries."""
    sources = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line.startswith("deb "):
            continue  # deb-src and blank lines
        words = line[4:].strip()
        if words.startswith("["):
            end = words.find("]")
            if end < 0:
                continue
            words = words[end + 1 :]
        parts = words.split()
        if len(parts) >= 2:
            sources.append(Source(parts[0], (parts[1],), tuple(parts[2:])))
    return sources


def parse_deb822(text: str) -> list[Source]:
    """Parse deb822 stanzas (``Types:``, ``URIs:``, ``Suites:``, ``Components:``)."""
    sources = []
    for stanza in _stanzas(text):
        if "deb" not in stanza.get("types", "").split():
            continue
        if stanza.get("enabled", "yes").strip().lower() == "no":
            continue
        suites = tuple(stanza.get("suites", "").split())
        components = tuple(stanza.get("components", "").split())
        sources.extend(Source(uri, suites, components) for uri in stanza.get("uris", "").split())
    return sources


def _stanzas(text: str) -> Iterable[dict[str, str]]:
    fields: dict[str, str] = {}
    key = None
    for raw in [*text.splitlines(), ""]:
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if fields:
                yield fields
            fields, key = {}, None
        elif raw[0] in " \t" and key is not None:
            fields[key] += " " + raw.strip()  # continuation line
        elif ":" in raw:
            name, value = raw.split(":", 1)
            key = name.strip().lower()
            fields[key] = value.strip()


def host_sources(apt_dir: Path = APT_DIR) -> list[Source]:
    """Return every enabled ``deb`` source of the host, in apt's reading order."""
    sources: list[Source] = []
    main = apt_dir / "sources.list"
    if main.is_file():
        sources += parse_one_line(main.read_text(errors="replace"))
    folder = apt_dir / "sources.list.d"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix == ".list":
                sources += parse_one_line(path.read_text(errors="replace"))
            elif path.suffix == ".sources":
                sources += parse_deb822(path.read_text(errors="replace"))
    return sources


def pick_debian_mirror(sources: Iterable[Source]) -> str | None:
    """Return the URI of the first source that serves a Debian release's main component."""
    for source in sources:
        if "security" in source.uri:
            continue
        if "main" not in source.components:
            continue
        if any(suite in _RELEASES for suite in source.suites):
            return source.uri.rstrip("/")
    return None


def debian_mirror(apt_dir: Path = APT_DIR) -> str:
    """Return the host's Debian mirror, or explain how to configure one."""
    mirror = pick_debian_mirror(host_sources(apt_dir))
    if mirror is None:
        msg = f"no Debian mirror found in {apt_dir}/sources.list or {apt_dir}/sources.list.d"
        raise EnvironmentProblem(
            msg, hint="add a `deb <mirror> bookworm main` line (or a deb822 .sources file)"
        )
    return mirror
