"""``$VAR`` expansion as container-structure-test does it: Go's ``os.Expand`` with the image's env.

The real tool expands the command and each of its args, and a fileExistence
path, with the image's ``Env`` before it runs anything (``utils.SubstituteEnvVars``);
an unknown name becomes "". Being ``os.Expand``, it also expands inside
``sh -c`` strings, treats ``$0``..``$9``, ``$*``, ``$#``, ``$$``, ``$@``, ``$!``,
``$?``, ``$-`` as names (all unknown, so ""), eats a bad ``${`` and keeps a ``$``
that no name follows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import yaml

_SPECIAL = frozenset("*#$@!?-0123456789")


def _is_name_char(char: str) -> bool:
    return char == "_" or (char.isascii() and char.isalnum())


def _shell_name(rest: str) -> tuple[str, int]:
    """Go's ``getShellName``: the name after ``$`` and how many characters it spans."""
    if rest[0] == "{":
        if len(rest) > 2 and rest[1] in _SPECIAL and rest[2] == "}":
            return rest[1], 3
        end = rest.find("}", 1)
        if end == 1:
            return "", 2  # bad syntax: "${}" is eaten
        if end == -1:
            return "", 1  # bad syntax: "${" is eaten
        return rest[1:end], end + 1
    if rest[0] in _SPECIAL:
        return rest[0], 1
    width = 0
    while width < len(rest) and _is_name_char(rest[width]):
        width += 1
    return rest[:width], width


def go_expand(text: str, mapping: Callable[[str], str]) -> str:
    """Replace ``$name`` and ``${name}`` in ``text`` with ``mapping(name)``, as ``os.Expand``."""
    out: list[str] = []
    start = index = 0
    while index < len(text):
        if text[index] == "$" and index + 1 < len(text):
            out.append(text[start:index])
            name, width = _shell_name(text[index + 1:])
            if name:
                out.append(mapping(name))
            elif width == 0:
                out.append("$")  # no name follows: the dollar stays
            index += width
            start = index + 1
        index += 1
    out.append(text[start:])
    return "".join(out)


def with_env(text: str, env: Mapping[str, str]) -> str:
    """Expand ``text`` with ``env``; an unknown name becomes ""."""
    return go_expand(text, lambda name: env.get(name, ""))


def argv(words: Sequence[str], env: Mapping[str, str]) -> tuple[str, ...]:
    """Expand a command and its args with the image's env, each word on its own."""
    return tuple(with_env(word, env) for word in words)


def path(text: str, env: Mapping[str, str]) -> str:
    """Expand a fileExistence path; the result is read from the filesystem root."""
    return "/" + with_env(text, env).lstrip("/")


def in_strings(node: yaml.Node, replace: Callable[[str], str]) -> None:
    """Apply ``replace`` to every string scalar below ``node``, keeping lines and tags.

    schema.py expands our own ``${PYTHON}``/``${PLATFORM}``/``${ARCH}`` this way
    when it reads a file, before any ``$VAR`` of the image's is looked at.
    """
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            node.value = replace(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            in_strings(item, replace)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            in_strings(value, replace)
