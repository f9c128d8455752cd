"""container-structure-test's matching rules as pure functions: no engine needed to test them."""

from __future__ import annotations

import re
import stat
import tarfile
from collections.abc import Iterable, Mapping, Sequence

from dockbuild.imagetest.cst.schema import EnvVar

# Go's os.FileMode.String(): one letter per set type bit, in this order, then rwx x3.
_GO_TYPE_LETTERS = (
    ("d", "dir"), ("L", "symlink"), ("D", "device"), ("p", "fifo"), ("S", "socket"),
    ("u", "setuid"), ("g", "setgid"), ("c", "chardev"), ("t", "sticky"),
)


def go_mode_string(member: tarfile.TarInfo) -> str:
    """Return the mode as Go's ``FileMode.String()`` writes it (``-rwxr-xr-x``, ``ugrwxr-xr-x``)."""
    bits = {
        "dir": member.isdir(),
        "symlink": member.issym(),
        "device": member.ischr() or member.isblk(),
        "fifo": member.isfifo(),
        "socket": False,  # tar cannot hold sockets
        "setuid": bool(member.mode & stat.S_ISUID),
        "setgid": bool(member.mode & stat.S_ISGID),
        "chardev": member.ischr(),
        "sticky": bool(member.mode & stat.S_ISVTX),
    }
    letters = "".join(letter for letter, name in _GO_TYPE_LETTERS if bits[name]) or "-"
    rwx = "".join(ch if member.mode & (1 << (8 - i)) else "-" for i, ch in enumerate("rwxrwxrwx"))
    return letters + rwx


def is_executable_by(mode: int, who: str) -> bool:
    """Return whether ``who`` (owner, group, other, any) may execute a file of ``mode``."""
    mask = {"owner": 0o100, "group": 0o010, "other": 0o001, "any": 0o111}[who]
    return bool(mode & mask)


def output_problems(text: str, expected: Sequence[str], excluded: Sequence[str],
                    stream: str) -> list[tuple[str, str]]:
    """Return what is wrong with ``text`` as (English, Korean): each regex must match, or not.

    The output itself is shown in the English text only.
    """
    problems = [(f"expected {stream} to match {pattern!r}", f"{stream}: `{pattern}`에 맞지 않음")
                for pattern in expected if not re.search(pattern, text)]
    problems += [(f"{stream} matched the excluded {pattern!r}",
                  f"{stream}: 제외할 `{pattern}`에 맞음")
                 for pattern in excluded if re.search(pattern, text)]
    if problems:
        english, korean = problems[-1]
        problems[-1] = (f"{english}; {stream} was: {_shorten(text)}",
                        f"{korean} (출력은 영어 보고서 참조)")
    return problems


def env_problems(expected: Iterable[EnvVar], actual: Mapping[str, str],
                 what: str) -> list[tuple[str, str]]:
    """Compare ``key``/``value``/``isRegex`` records with a mapping (env or labels).

    Problems are (English, Korean).
    """
    what_ko = {"env": "env", "label": "라벨"}.get(what, what)
    problems = []
    for item in expected:
        if item.key not in actual:
            problems.append((f"{what} {item.key} is not set", f"{what_ko} `{item.key}` 없음"))
            continue
        value = actual[item.key]
        if item.is_regex:
            if not re.search(item.value, value):
                problems.append((f"{what} {item.key}={value!r} does not match {item.value!r}",
                                 f"{what_ko} `{item.key}={value}`: `{item.value}`에 맞지 않음"))
        elif value != item.value:
            problems.append((f"{what} {item.key} is {value!r}, expected {item.value!r}",
                             f"{what_ko} `{item.key}` 값 `{value}`: 기대값 `{item.value}`"))
    return problems


def env_mapping(env: Sequence[str] | None) -> dict[str, str]:
    """Turn an image config's ``KEY=value`` list into a mapping."""
    pairs = (entry.partition("=") for entry in env or ())
    return {key: value for key, _sep, value in pairs}


def port_numbers(exposed: Mapping[str, object] | None) -> set[str]:
    """Return exposed ports both as ``8000`` and ``8000/tcp``, as the tool compares either."""
    ports: set[str] = set()
    for key in exposed or {}:
        ports.add(key)
        ports.add(key.split("/", 1)[0])
    return ports


def _shorten(text: str, limit: int = 400) -> str:
    text = text.strip()
    if not text:
        return "(empty)"
    return repr(text if len(text) <= limit else text[:limit] + "...")
