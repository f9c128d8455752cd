"""Where container-structure-test's decoders are lenient, make the node tree say so.

The real tool decodes YAML with go-yaml's ``UnmarshalStrict`` (unknown and
duplicate keys refuse the file, as ours do) but follows merge keys (``<<``) and
reads a ``null`` value as "not given". A ``.json`` file goes through Go's
``encoding/json``: keys match field names case-insensitively and unknown keys are
ignored. These functions rewrite the composed tree in place, keeping every
node's line, so the strict reader that follows sees what the real tool sees.
"""

from __future__ import annotations

import yaml

_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"


def normalise(node: yaml.Node) -> yaml.Node:
    """Resolve merge keys and drop null-valued keys, everywhere below ``node``."""
    _walk(node, set())
    return node


def _walk(node: yaml.Node, seen: set[int]) -> None:
    if id(node) in seen:  # an alias: the same node again
        return
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, seen)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            _walk(value, seen)
        _merge(node)
        node.value = [(key, value) for key, value in node.value if not is_null(value)]


def _merge(node: yaml.MappingNode) -> None:
    """Replace ``<<: *anchor`` by the anchor's keys the mapping does not set itself."""
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    own: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.tag != _MERGE:
            own.append((key, value))
            continue
        sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for source in sources:
            if isinstance(source, yaml.MappingNode):
                _merge(source)
                merged += source.value
    if not merged:
        return
    taken = {key.value for key, _value in own}
    kept = []
    for key, value in merged:  # YAML: the first source to set a key wins
        if key.value not in taken:
            taken.add(key.value)
            kept.append((key, value))
    node.value = kept + own


def fold_keys(node: yaml.Node, known: tuple[str, ...]) -> None:
    """JSON: rename keys to the ``known`` name they match case-insensitively; drop the rest."""
    if not isinstance(node, yaml.MappingNode):
        return
    names = {name.lower(): name for name in known}
    kept = []
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value.lower() in names:
            key.value = names[key.value.lower()]
            kept.append((key, value))
    node.value = kept


def is_null(node: yaml.Node) -> bool:
    """Whether ``node`` is YAML's null (``null``, ``~`` or nothing)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL
