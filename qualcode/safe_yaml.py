"""Plain YAML for the files people hand in (participants, rosters): no aliases, no tags, bounded size and depth, no repeated keys.

Aliases are refused rather than counted: nine nested aliases in 363 bytes expand to a billion
strings once anything walks the data (the "billion laughs"), and a roster never needs one.
"""

from __future__ import annotations

from typing import Any

import yaml

from qualcode.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 2_000_000
_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_CORE + k for k in ("str", "seq", "map", "null", "bool", "int", "float", "timestamp")}
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping ("participants:" twice)."""

    source = "<yaml>"

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    first = seen.setdefault(key, line)
                except TypeError:
                    raise InvalidInput(f"{self.source}: line {line}: a key must be plain text, not a list or mapping") from None
                if first != line:
                    raise InvalidInput(f"{self.source}: line {line}: key '{str(key)[:60]}' is written twice (first at line {first})")
        return super().construct_mapping(node, deep=deep)


def load(text: str, source: str, *, max_depth: int = MAX_DEPTH) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (for line numbers); every refusal is one InvalidInput line naming `source`."""
    if len(text) > MAX_BYTES:
        raise InvalidInput(f"{source}: {len(text) // (1024 * 1024)} MB is more YAML than a participants file can hold")
    try:
        _check_events(text, source, max_depth)
        loader = _Loader(text)
        loader.source = source
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise InvalidInput(f"{source}: {where}not valid YAML ({problem})") from None
    except RecursionError:
        raise InvalidInput(f"{source}: nested too deeply to read") from None
    return data, node


def _check_events(text: str, source: str, max_depth: int) -> None:
    """Walk the flat event stream (no recursion, no expansion) before anything is built."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_FAST):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise InvalidInput(f"{source}: line {line}: YAML aliases (*{event.anchor}) are not read here; write the entries out in full")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > max_depth:
                raise InvalidInput(f"{source}: line {line}: nested deeper than {max_depth} levels")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise InvalidInput(f"{source}: holds more than {MAX_NODES:,} YAML values")
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                raise InvalidInput(f"{source}: line {line}: YAML tags such as '{tag}' are not allowed")
