"""Write a CodebookSpec as codebook YAML: deterministic, readable, and read back unchanged by the loader."""

from __future__ import annotations

import re
from typing import Any

import yaml

from qualcode.codebook.spec import CodebookSpec, CodeSpec
from qualcode.domain import Valence

# Wide enough that most definitions stay on one line, narrow enough to read in a terminal.
LINE_WIDTH = 100
# Unicode line breaks and the BOM do not survive PyYAML's plain, single-quoted or block styles; double quotes escape them.
_NEEDS_ESCAPES = re.compile("[\x85\u2028\u2029\ufeff]")


class _FlowList(list):
    """A list written inline, `[a, b, c]`: keywords read better that way."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent sequences under their key ("codes:\n  - name: ...") as people write them by hand.
        super().increase_indent(flow, False)

    # Inside `[a, b]` lists break lines only between items, never inside a keyword phrase.
    def write_plain(self, text: str, split: bool = True) -> None:
        super().write_plain(text, split and not self.flow_level)

    def write_single_quoted(self, text: str, split: bool = True) -> None:
        super().write_single_quoted(text, split and not self.flow_level)

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        super().write_double_quoted(text, split and not self.flow_level)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text reads best as a literal block; the emitter falls back to quoting when a block cannot hold it.
    style = '"' if _NEEDS_ESCAPES.search(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _code_to_mapping(code: CodeSpec) -> dict[str, Any]:
    """Only fields that differ from the defaults, in a fixed order, so files stay short and diffs small."""
    out: dict[str, Any] = {"name": code.name}
    for key in ("description", "inclusion", "exclusion"):
        if getattr(code, key):
            out[key] = getattr(code, key)
    if code.examples:
        out["examples"] = list(code.examples)
    if code.keywords:
        out["keywords"] = _FlowList(code.keywords)
    if code.colour:
        out["colour"] = code.colour
    if Valence(code.valence) != Valence.NONE:
        out["valence"] = str(Valence(code.valence))
    if code.guid:
        out["guid"] = code.guid
    if code.children:
        out["children"] = [_code_to_mapping(child) for child in code.children]
    return out


def dump_codebook(spec: CodebookSpec) -> str:
    """The codebook as YAML text that `parse_codebook` turns back into an equal spec."""
    document: dict[str, Any] = {"name": spec.name, "version": spec.version}
    if spec.description:
        document["description"] = spec.description
    document["codes"] = [_code_to_mapping(code) for code in spec.codes]
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=LINE_WIDTH,
    )
