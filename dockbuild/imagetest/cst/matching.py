"""container-structure-test's matching rules as pure functions: no engine needed to test them.

Every pattern is Go's RE2 (regex.py); one RE2 refuses fails its test with RE2's
reason, as ``utils.CompileAndRunRegex`` fails it in the real tool.
"""

from __future__ import annotations

import stat
import tarfile
from collections.abc import Iterable, Mapping, Sequence

from dockbuild.imagetest.cst import regex
from dockbuild.imagetest.cst.records import EnvVar

EXECUTABLE_BY = ("owner", "group", "other", "any")
#: A problem as (English, Korean).
Problem = tuple[str, str]

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


def executable_problems(mode: int, who: str, subject: str) -> list[Problem]:
    """isExecutableBy: an unknown ``who`` fails the test, as in the real tool."""
    if who not in EXECUTABLE_BY:
        return [(f"isExecutableBy {who!r} is not recognised (use {', '.join(EXECUTABLE_BY)})",
                 f"`isExecutableBy` 값 `{who}` 모름: 기대값 `{'`, `'.join(EXECUTABLE_BY)}`")]
    if is_executable_by(mode, who):
        return []
    return [(f"{subject} is not executable by {who}", f"`{subject}`: `{who}` 실행 권한 없음")]


def search(pattern: str, text: str) -> bool | str:
    """Return whether RE2 ``pattern`` matches in ``text``, or RE2's reason for refusing it."""
    try:
        return regex.search(pattern, text)
    except regex.RegexError as exc:
        return str(exc)


def refused(pattern: str, reason: str, where: str = "") -> Problem:
    """RE2 refuses ``pattern``: its reason stays in the English text."""
    return (f"{where}{pattern!r} is not a valid RE2 regular expression ({reason})",
            f"{where}`{pattern}`: RE2 정규식이 아님 (사유는 영어 보고서 참조)")


def pattern_problems(text: str, expected: Sequence[str], excluded: Sequence[str],
                     subject: str, subject_ko: str = "") -> list[Problem]:
    """Each expected pattern must match somewhere in ``text``, each excluded one nowhere.

    Problems are (English, Korean); ``subject_ko`` names ``subject`` in the Korean.
    """
    ko = subject_ko or f"`{subject}`"
    problems = []
    for pattern, wanted in [*((p, True) for p in expected), *((p, False) for p in excluded)]:
        found = search(pattern, text)
        if isinstance(found, str):
            problems.append(refused(pattern, found))
        elif found != wanted:
            problems.append((f"expected {subject} to match {pattern!r}",
                             f"{ko}: `{pattern}`에 맞지 않음") if wanted
                            else (f"{subject} matched the excluded {pattern!r}",
                                  f"{ko}: 제외할 `{pattern}`에 맞음"))
    return problems


def output_problems(text: str, expected: Sequence[str], excluded: Sequence[str],
                    stream: str) -> list[Problem]:
    """Return what is wrong with ``text`` as (English, Korean): each regex must match, or not.

    The output itself is shown in the English text only.
    """
    problems = pattern_problems(text, expected, excluded, stream, stream)
    if problems:
        english, korean = problems[-1]
        problems[-1] = (f"{english}; {stream} was: {_shorten(text)}",
                        f"{korean} (출력은 영어 보고서 참조)")
    return problems


def env_problems(expected: Iterable[EnvVar], actual: Mapping[str, str],
                 what: str) -> list[Problem]:
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
            found = search(item.value, value)
            if isinstance(found, str):
                problems.append(refused(item.value, found, f"{what} {item.key}: "))
            elif not found:
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


def _port(text: str) -> tuple[str, str | None]:
    number, _sep, protocol = str(text).strip().partition("/")
    number = number.lstrip("0") or "0"
    return number, protocol.lower() or None


def port_exposed(wanted: str, exposed: Iterable[str]) -> bool:
    """Whether port ``wanted`` (``8080`` or ``8080/tcp``) is among the image's ``exposed`` keys.

    Numbers are compared; the protocol only where both sides state one, so ``8080``
    matches ``8080/tcp`` and ``8080/tcp`` does not match ``8080/udp``. (The real
    tool never matches ``8080/tcp``: deliberate.yaml.)
    """
    number, protocol = _port(wanted)
    for key in exposed:
        other_number, other_protocol = _port(key)
        if number == other_number and (protocol is None or other_protocol is None
                                       or protocol == other_protocol):
            return True
    return False


def port_problems(exposed: Sequence[str], unexposed: Sequence[str],
                  actual: Mapping[str, object] | None) -> list[Problem]:
    """exposedPorts must each be exposed by the image, unexposedPorts none."""
    keys = sorted(actual or {})
    problems = [(f"port {p} is not exposed (exposed: {keys or 'none'})",
                 f"포트 `{p}` EXPOSE 없음 (EXPOSE: `{keys}`)")
                for p in exposed if not port_exposed(p, keys)]
    problems += [(f"port {p} is exposed but should not be", f"포트 `{p}` EXPOSE: 없어야 함")
                 for p in unexposed if port_exposed(p, keys)]
    return problems


def _shorten(text: str, limit: int = 400) -> str:
    text = text.strip()
    if not text:
        return "(empty)"
    return repr(text if len(text) <= limit else text[:limit] + "...")
