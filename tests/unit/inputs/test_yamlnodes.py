"""YAML read as nodes: typed values, and every complaint at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dockbuild.errors import ConfigError
from dockbuild.inputs import yamlnodes

SHOWN = Path("x.yaml")
READER = yamlnodes.NodeReader(SHOWN, ConfigError)


def node(text: str) -> yaml.Node:
    return yaml.compose(text)


def test_a_mapping_keeps_its_value_nodes_and_their_lines() -> None:
    items = READER.mapping(node("a: 1\nb: [x, y]\n"), "top", required=("a",), optional=("b",))
    assert READER.integer(items["a"], "a", low=0, high=9) == 1
    assert READER.strings(items["b"], "b") == ("x", "y")
    assert READER.where(items["b"]) == yamlnodes.Location(SHOWN, 2)


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: 1\na: 2\n", 2, "duplicate key 'a' in top (first defined on line 1)"),
    ("a: 1\nbb: 2\n", 2, "unknown key 'bb' in top"),
    ("b: 2\n", 1, "top lacks the required key 'a'"),
    ("- a\n", 1, "top must be a mapping, not a list"),
])
def test_a_bad_mapping_names_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        READER.mapping(node(text), "top", required=("a",), optional=("b",))
    assert info.value.where == yamlnodes.Location(SHOWN, line)
    assert words in info.value.message


def test_numbers_are_not_strings_and_integers_keep_their_range() -> None:
    with pytest.raises(ConfigError, match=r"must be a string, not the number '3\.10'"):
        READER.string(node("3.10"), "python")
    with pytest.raises(ConfigError, match="between 1 and 9, not 10"):
        READER.integer(node("10"), "n", low=1, high=9)
    assert READER.integer(node("0x1F"), "n", low=0, high=99) == 31
    with pytest.raises(ConfigError, match="'x' appears twice"):
        READER.strings(node("[x, x]"), "list")


def test_compose_names_the_line_of_bad_utf8_and_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(ConfigError, match="is not valid UTF-8") as info:
        yamlnodes.compose(path, SHOWN, ConfigError)
    assert info.value.where == yamlnodes.Location(SHOWN, 2)
    path.write_text("# nothing\n")
    with pytest.raises(ConfigError, match="the file is empty"):
        yamlnodes.compose(path, SHOWN, ConfigError)


def test_a_folder_is_one_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder, not a file") as info:
        yamlnodes.compose(tmp_path, Path("docker"), ConfigError)
    assert str(info.value.where) == "docker"
