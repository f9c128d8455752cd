"""The node-tree rewrites that make the strict reader as lenient as the real tool's decoders."""

from __future__ import annotations

import yaml

from dockbuild.imagetest.cst import leniency


def plain(node: yaml.Node) -> object:
    return yaml.safe_load(yaml.serialize(node))


def test_merge_keys_are_resolved_and_own_keys_win() -> None:
    node = leniency.normalise(yaml.compose("a: &x {k: 1, j: 2}\nb: {<<: *x, k: 3}\n"))
    assert plain(node) == {"a": {"k": 1, "j": 2}, "b": {"j": 2, "k": 3}}


def test_a_list_of_merges_takes_the_first_source_of_a_key() -> None:
    node = leniency.normalise(yaml.compose(
        "a: &x {k: 1}\nb: &y {k: 2, m: 5}\nc: {<<: [*x, *y]}\n"))
    assert plain(node)["c"] == {"k": 1, "m": 5}


def test_null_values_are_dropped_as_not_given() -> None:
    node = leniency.normalise(yaml.compose("a: null\nb: ~\nc:\nd: [1, null]\ne: 0\n"))
    assert plain(node) == {"d": [1, None], "e": 0}


def test_lines_survive() -> None:
    node = leniency.normalise(yaml.compose("a: &x {k: 1}\n\nb:\n  <<: *x\n  j: 2\n"))
    b = dict((k.value, v) for k, v in node.value)["b"]
    assert [k.start_mark.line + 1 for k, _v in b.value] == [1, 5]


def test_json_keys_fold_to_the_known_names_and_unknown_ones_go() -> None:
    node = yaml.compose('{"Name": "a", "COMMAND": "ls", "retries": 3}')
    leniency.fold_keys(node, ("name", "command"))
    assert plain(node) == {"name": "a", "command": "ls"}
