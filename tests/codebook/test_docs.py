"""docs/codebooks.md stays true: its YAML example loads, and the fields it documents are the fields the loader knows."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.codebook.loader import CODE_FIELDS, parse_codebook
from qualcode.domain import Valence

DOC = Path(__file__).resolve().parents[2] / "docs" / "codebooks.md"


def test_documented_example_loads():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert blocks
    spec = parse_codebook(blocks[0], "docs/codebooks.md")
    awareness = dict(spec.walk())["barriers/awareness"]
    assert awareness.valence == Valence.BARRIER and awareness.examples and len(awareness.keywords) == 4


def test_every_code_field_is_documented_in_the_table():
    rows = set(re.findall(r"^\| `([a-z]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.M))
    assert rows == set(CODE_FIELDS)
