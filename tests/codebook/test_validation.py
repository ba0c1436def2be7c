"""Every way a codebook file can be wrong is refused with FILE:LINE and the field at fault."""

from __future__ import annotations

import pytest

from qualcode.codebook.loader import load_codebook, parse_codebook
from qualcode.domain import Valence
from qualcode.errors import CodebookInvalid, QualcodeError

HEAD = "name: Test codebook\nversion: 1\ncodes:\n"  # codes start on line 4

GUID = "3f2b6c1e-8d4a-4e59-9a61-0c7d2e5b9f10"

# (case id, YAML text, line the message must name, fragments the message must contain)
INVALID = [
    ("missing code name", HEAD + "  - name: a\n  - description: no name here\n", 5, ["field 'name' is missing"]),
    ("missing codebook name", "version: 1\ncodes: []\n", 1, ["field 'name' is missing"]),
    ("empty name", HEAD + "  - name: '  '\n", 4, ["field 'name' is empty"]),
    ("unknown field", HEAD + "  - name: a\n    colr: '#ff0000'\n", 5, ["field 'colr' is unknown", "did you mean 'colour'"]),
    ("unknown field, American spelling", HEAD + "  - name: a\n    color: '#ff0000'\n", 5, ["field 'color'", "'colour'"]),
    ("unknown root field", "name: x\ncode:\n  - name: a\n", 2, ["field 'code' is unknown", "did you mean 'codes'"]),
    ("examples not a list", HEAD + "  - name: a\n    examples:\n      first: one\n", 6, ["field 'examples' must be a list"]),
    ("keyword item not text", HEAD + "  - name: a\n    keywords:\n      - fine\n      - [nested]\n", 7, ["field 'keywords' item 2"]),
    ("description a list", HEAD + "  - name: a\n    description: [one, two]\n", 5, ["field 'description' must be text"]),
    ("bad colour", HEAD + "  - name: a\n    colour: red\n", 5, ["field 'colour' must be #RRGGBB", "'red'"]),
    ("five-digit colour", HEAD + "  - name: a\n    colour: '#12345'\n", 5, ["field 'colour'"]),
    ("unquoted colour", HEAD + "  - name: a\n    colour: #1f77b4\n", 5, ["field 'colour'", "quote"]),
    ("bad valence", HEAD + "  - name: a\n    valence: barier\n", 5, ["field 'valence'", "did you mean 'barrier'"]),
    ("duplicate siblings", HEAD + "  - name: Trust\n  - name: other\n  - name: trust\n", 6, ["field 'name' 'trust' repeats a sibling at line 4"]),
    ("duplicate children", HEAD + "  - name: a\n    children:\n      - name: x\n      - name: X\n", 7, ["field 'name'", "line 6"]),
    ("slash in name", HEAD + "  - name: a\n    children:\n      - name: b/c\n", 6, ["field 'name' 'b/c' contains '/'"]),
    ("line break in name", HEAD + '  - name: "two\\nlines"\n', 4, ["field 'name'", "one line"]),
    ("duplicate guid", HEAD + f"  - name: a\n    guid: {GUID}\n  - name: b\n    guid: {GUID.upper()}\n", 7,
     ["field 'guid'", "already used by code 'a' at line 5"]),
    ("invalid guid", HEAD + "  - name: a\n    guid: not-a-guid\n", 5, ["field 'guid' 'not-a-guid' is not a valid GUID"]),
    ("repeated field", HEAD + "  - name: a\n    description: one\n    description: two\n", 6, ["field 'description' appears twice"]),
    ("bad version", "name: x\nversion: two\ncodes: []\n", 2, ["field 'version'"]),
    ("zero version", "name: x\nversion: 0\ncodes: []\n", 2, ["field 'version'"]),
    ("missing codes", "name: x\ndescription: nothing else\n", 1, ["field 'codes' is missing"]),
    ("codes not a list", "name: x\ncodes: just text\n", 2, ["field 'codes' must be a list"]),
    ("children a mapping", HEAD + "  - name: a\n    children:\n      name: b\n", 6, ["field 'children' must be a list"]),
    ("code is a list", HEAD + "  - [a, b]\n", 4, ["each code is a mapping"]),
    ("code is empty", HEAD + "  - name: a\n  - ~\n", 5, ["field 'codes' holds something that is not a code"]),
    ("child is empty", HEAD + "  - name: a\n    children:\n      -\n", 6, ["field 'children' holds something"]),
    ("root is a list", "- name: a\n- name: b\n", 1, ["a codebook is a mapping"]),
    ("yaml syntax: unclosed flow", HEAD + "  - name: a\n    keywords: [one, two\n  - name: b\n", 6, ["YAML syntax error"]),
    ("yaml syntax: bad indent", HEAD + "  - name: a\n   description: b\n", 5, ["YAML syntax error"]),
    ("yaml syntax: tab", HEAD + "  - name: a\n\tdescription: b\n", 5, ["YAML syntax error"]),
    ("two documents", "name: x\ncodes: []\n---\nname: y\n", 3, ["YAML syntax error", "single document"]),
    ("control character", HEAD + "  - name: a\x07\n", 4, ["U+0007"]),
    ("python tag", HEAD + "  - name: !!python/object:collections.OrderedDict a\n", 4, ["YAML tag '!!python/object", "refused"]),
    ("local tag", HEAD + "  - name: a\n    description: !secret b\n", 5, ["YAML tag '!secret'"]),
    ("binary tag", HEAD + "  - name: a\n    description: !!binary aGVsbG8=\n", 5, ["YAML tag '!!binary'"]),
    ("alias", "name: &n x\ncodes:\n  - name: *n\n", 3, ["aliases"]),
    ("empty file", "", 1, ["empty"]),
    ("only comments", "# nothing yet\n\n", 1, ["empty"]),
    ("deep nesting", "name: x\ncodes:\n  " + "[" * 30 + "]" * 30 + "\n", 3, ["deeper than 20 levels"]),
]


@pytest.mark.parametrize("text, line, fragments", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_codebook_names_file_line_and_field(tmp_path, text, line, fragments):
    path = tmp_path / "team-codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookInvalid) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message and "Traceback" not in message


def test_errors_are_qualcode_errors_the_cli_can_render():
    with pytest.raises(QualcodeError):
        parse_codebook(HEAD + "  - name: a\n    valence: maybe\n", "inline")


def test_python_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: !!python/object/apply:os.system ['touch {marker}']\ncodes: []\n"
    with pytest.raises(CodebookInvalid, match=r"^inline:1: YAML tag '!!python/object/apply:os.system' is refused"):
        parse_codebook(text, "inline")
    assert not marker.exists()


def test_extreme_nesting_is_refused_without_recursion_error():
    with pytest.raises(CodebookInvalid, match=r"^deep:1: nesting is deeper than 20 levels"):
        parse_codebook("[" * 200_000, "deep")
    with pytest.raises(CodebookInvalid, match="deeper than 20 levels"):
        parse_codebook("a:\n" + "".join(" " * i + "b:\n" for i in range(1, 60)), "deep")


def _nested_codes(levels: int) -> str:
    lines = ["name: deep", "codes:"]
    for level in range(levels):
        pad = "  " * (2 * level)
        lines += [f"{pad}  - name: level{level}", f"{pad}    keywords: [k{level}]"]
        if level < levels - 1:
            lines.append(f"{pad}    children:")
    return "\n".join(lines) + "\n"


def test_nine_levels_of_codes_fit_under_the_depth_limit_and_ten_do_not():
    spec = parse_codebook(_nested_codes(9))
    assert max(path.count("/") for path, _ in spec.walk()) == 8
    with pytest.raises(CodebookInvalid, match="deeper than 20 levels"):
        parse_codebook(_nested_codes(10))


def test_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: x\ncodes:\n  - name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(CodebookInvalid, match=r":3: the file is not UTF-8 text \(byte 0xe9\)") as caught:
        load_codebook(path)
    assert str(caught.value).startswith(str(path))


def test_utf16_file_is_refused_as_not_utf8(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes("name: x\ncodes: []\n".encode("utf-16"))
    with pytest.raises(CodebookInvalid, match="not UTF-8"):
        load_codebook(path)


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: Café codes\ncodes: [a]\n".encode("utf-8"))
    assert load_codebook(path).name == "Café codes"


@pytest.mark.parametrize("target", ["missing.yaml", "."])
def test_unreadable_path_is_refused(tmp_path, target):
    with pytest.raises(CodebookInvalid, match="cannot read the codebook"):
        load_codebook(tmp_path / target)


def test_lenient_forms_are_normalised():
    text = HEAD + (
        "  - name: '  Time pressure  '\n"
        "    keywords: rushed\n"
        "    examples: We never have the time.\n"
        "    colour: '#AbC'\n"
        "    valence: Barrier\n"
        f"    guid: '{{{GUID.upper()}}}'\n"
        "    description:\n"
        "    children: [first, second]\n"
        "  - name: 2024\n"
        "  - name: yes\n"
    )
    spec = parse_codebook(text, "inline")
    code = spec.codes[0]
    assert code.name == "Time pressure"
    assert code.keywords == ["rushed"] and code.examples == ["We never have the time."]
    assert code.colour == "#aabbcc"
    assert code.valence == Valence.BARRIER
    assert code.guid == GUID
    assert code.description == ""
    assert [child.name for child in code.children] == ["first", "second"]
    assert [c.name for c in spec.codes[1:]] == ["2024", "yes"]  # the text as written, not a number or a boolean
    assert spec.source == "inline"


def test_each_code_knows_its_line():
    spec = parse_codebook(HEAD + "  - name: a\n    children:\n      - name: b\n  - name: c\n")
    assert {path: code.line for path, code in spec.walk()} == {"a": 4, "a/b": 6, "c": 7}


def test_a_null_colour_with_a_comment_is_just_no_colour():
    spec = parse_codebook(HEAD + "  - name: a\n    colour: ~  # none yet\n  - name: b\n    colour:   # none\n")
    assert [c.colour for c in spec.codes] == [None, None]


def test_codes_may_be_empty_and_version_defaults_to_one():
    spec = parse_codebook("name: Empty\ncodes:\n")
    assert spec.codes == [] and spec.version == 1
