"""Read codebook YAML into a CodebookSpec; anything invalid is refused as `FILE:LINE: field 'x' ...`."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from qualcode.codebook.spec import CodebookSpec, CodeSpec
from qualcode.domain import Valence
from qualcode.errors import CodebookInvalid
from qualcode.sanitise import MAX_CODE_NAME, clean_text

# A codebook needs about two levels per level of codes; 20 allows nine levels of codes and stops
# hostile nesting long before Python's recursion limit.
MAX_DEPTH = 20
ROOT_FIELDS = ("name", "version", "description", "codes")
CODE_FIELDS = (
    "name", "description", "inclusion", "exclusion", "examples", "keywords", "colour", "valence", "guid", "children",
)
_CORE = "tag:yaml.org,2002:"
# Plain YAML only: what the safe resolver assigns implicitly, plus the three node kinds. No !!python/..., no local tags.
_ALLOWED_TAGS = {
    _CORE + kind for kind in ("str", "seq", "map", "null", "bool", "int", "float", "timestamp", "merge", "value", "yaml")
}
_NULL = _CORE + "null"
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_NOT_IN_NAMES = {"Cc", "Zl", "Zp"}  # control characters and Unicode line or paragraph separators
_Entry = tuple[yaml.Node, yaml.Node]  # (key node, value node) of one field
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


@dataclass(slots=True)
class _Problem(Exception):
    """A validation failure before the file name is attached."""

    line: int
    message: str


class _ComposeLoader(yaml.SafeLoader):
    """Builds the node tree only (nothing is constructed), refusing aliases, foreign tags and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # PyYAML's signature; called once per node, depth first
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Problem(line, "YAML aliases (*name) are not read in codebooks; write the text out in full")
        opens = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if opens:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Problem(line, f"nesting is deeper than {MAX_DEPTH} levels; codes can nest about nine levels deep")
        try:
            node = super().compose_node(parent, index)
        finally:
            if opens:
                self._depth -= 1
        if node.tag not in _ALLOWED_TAGS:
            tag = _short(node.tag.replace(_CORE, "!!"))
            raise _Problem(line, f"YAML tag '{tag}' is refused; a codebook holds plain text, lists and mappings only")
        return node


def load_codebook(path: str | Path) -> CodebookSpec:
    """Read and validate a codebook file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookInvalid(f"{path}: cannot read the codebook: {exc.strerror or exc}") from None
    return parse_codebook(data, str(path))


def parse_codebook(text: str | bytes, source: str = "<codebook>") -> CodebookSpec:
    """Validate codebook YAML given as text (or UTF-8 bytes); `source` names it in error messages."""
    try:
        if isinstance(text, bytes):
            text = _decode(text)
        spec = _Reader(text).read()
    except _Problem as problem:
        raise CodebookInvalid(f"{source}:{problem.line}: {problem.message}") from None
    spec.source = source
    return spec


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Problem(line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def _compose(text: str) -> yaml.Node | None:
    """The node tree, through libyaml when present (ten times faster); any doubt goes to the pure-Python reader."""
    if _FAST_LOADER is not None:
        try:
            return _compose_fast(text)
        except (yaml.YAMLError, _Problem, UnicodeError, ValueError, RecursionError):
            pass  # the pure-Python reader below finds the same problem and words it with its line
    return _compose_checked(text)


def _compose_fast(text: str) -> yaml.Node | None:
    # libyaml composes recursively in C, so depth, aliases and tags are checked on its flat event stream first.
    depth = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Problem(event.start_mark.line + 1, "too deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise _Problem(event.start_mark.line + 1, "alias")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            raise _Problem(event.start_mark.line + 1, "tag")
    node = yaml.compose(text, Loader=_FAST_LOADER)
    return node if node is None or _tags_allowed(node) else _compose_checked(text)


def _tags_allowed(root: yaml.Node) -> bool:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _ALLOWED_TAGS:
            return False
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    return True


def _compose_checked(text: str) -> yaml.Node | None:
    loader = None
    try:
        loader = _ComposeLoader(text)  # the reader checks every character here, so this can fail too
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or "cannot be read"
        if exc.context:
            detail = f"{exc.context}, {detail}" if detail.startswith("but ") else f"{detail} ({exc.context})"
        raise _Problem(mark.line + 1 if mark else 1, f"YAML syntax error: {detail}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise _Problem(line, f"YAML syntax error: character U+{exc.character:04X} is not allowed in YAML text") from None
    except yaml.YAMLError as exc:
        raise _Problem(1, f"YAML syntax error: {str(exc).splitlines()[0] if str(exc) else 'cannot be read'}") from None
    except RecursionError:
        raise _Problem(1, f"nesting is deeper than {MAX_DEPTH} levels") from None
    finally:
        if loader is not None:
            loader.dispose()


class _Reader:
    """Walks the composed node tree, checking each field where it stands so errors carry its line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.guids: dict[str, tuple[str, int]] = {}

    def read(self) -> CodebookSpec:
        root = _compose(self.text)
        if root is None:
            raise _Problem(1, "the codebook is empty; it needs at least 'name' and 'codes'")
        if not isinstance(root, yaml.MappingNode):
            raise _Problem(_line(root), "a codebook is a mapping with 'name', 'version', 'description' and 'codes'")
        fields = self.fields(root, ROOT_FIELDS, "a codebook")
        name = self.name(fields, root, "the codebook")
        version = self.version(fields.get("version"))
        description = self.text_field(fields.get("description"), "description")
        if "codes" not in fields:
            raise _Problem(_line(root), "field 'codes' is missing: list the codebook's codes under 'codes:'")
        codes = self.code_list(fields["codes"][1], "codes", prefix="")
        return CodebookSpec(name=name, version=version, description=description, codes=codes)

    def fields(self, node: yaml.MappingNode, known: tuple[str, ...], what: str) -> dict[str, _Entry]:
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise _Problem(_line(key), f"field names must be plain words; {what} has a list or mapping as a key")
            name = key.value
            if name in found:
                raise _Problem(_line(key), f"field '{_short(name)}' appears twice (first at line {_line(found[name][0])})")
            if name not in known:
                hint = _suggest(name, known)
                raise _Problem(_line(key), f"field '{_short(name)}' is unknown{hint}; {what} may have: {', '.join(known)}")
            found[name] = (key, value)
        return found

    def name(self, fields: dict[str, _Entry], node: yaml.Node, what: str) -> str:
        if "name" not in fields or _is_null(fields["name"][1]):
            raise _Problem(_line(node), f"field 'name' is missing: {what} needs a name")
        value = fields["name"][1]
        name = self.text_field(fields["name"], "name").strip()
        if not name:
            raise _Problem(_line(value), "field 'name' is empty")
        if "/" in name:
            raise _Problem(_line(value), f"field 'name' '{_short(name)}' contains '/', which separates the levels of a path; "
                           "nest codes with 'children' instead")
        if any(unicodedata.category(ch) in _NOT_IN_NAMES for ch in name):
            raise _Problem(_line(value), f"field 'name' {name[:40]!r} holds a line break or control character; a name is one line")
        if len(name) > MAX_CODE_NAME:
            raise _Problem(_line(value), f"field 'name' '{_short(name)}' is {len(name):,} characters; the limit is {MAX_CODE_NAME}")
        return name

    def version(self, entry: _Entry | None) -> int:
        if entry is None or _is_null(entry[1]):
            return 1
        value = entry[1]
        try:
            number = int(_scalar(value, "version"))
        except ValueError:
            number = 0
        if number < 1:
            raise _Problem(_line(value), f"field 'version' must be a whole number from 1 up, not '{_short(value.value)}'")
        return number

    def text_field(self, entry: _Entry | None, field: str) -> str:
        if entry is None or _is_null(entry[1]):
            return ""
        return _scalar(entry[1], field)

    def text_list(self, entry: _Entry | None, field: str) -> list[str]:
        if entry is None or _is_null(entry[1]):
            return []
        value = entry[1]
        if isinstance(value, yaml.ScalarNode):
            return [_scalar(value, field)]  # a single string is a one-item list
        if not isinstance(value, yaml.SequenceNode):
            raise _Problem(_line(value), f"field '{field}' must be a list of text (or one text), not a mapping")
        items = []
        for number, item in enumerate(value.value, start=1):
            if not isinstance(item, yaml.ScalarNode) or _is_null(item):
                raise _Problem(_line(item), f"field '{field}' item {number} must be text")
            items.append(_scalar(item, field))
        return items

    def code_list(self, node: yaml.Node, field: str, prefix: str) -> list[CodeSpec]:
        if _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise _Problem(_line(node), f"field '{field}' must be a list of codes, each starting '- name: ...'")
        codes: list[CodeSpec] = []
        seen: dict[str, int] = {}
        for item in node.value:
            code = self.code(item, field, prefix)
            for key in {code.name.lower(), code.name.casefold()}:
                if key in seen:
                    raise _Problem(code.line or 1, f"field 'name' '{_short(code.name)}' repeats a sibling at line {seen[key]} "
                                   "(names are compared ignoring case)")
                seen[key] = code.line or 1
            codes.append(code)
        return codes

    def code(self, node: yaml.Node, field: str, prefix: str) -> CodeSpec:
        if isinstance(node, yaml.ScalarNode) and not _is_null(node):
            # Shorthand: "- feelings" is a code with only a name.
            return CodeSpec(name=self.name({"name": (node, node)}, node, "a code"), line=_line(node))
        if not isinstance(node, yaml.MappingNode):
            raise _Problem(_line(node), f"field '{field}' holds something that is not a code; each code is a mapping with a 'name'")
        fields = self.fields(node, CODE_FIELDS, "a code")
        name = self.name(fields, node, "every code")
        path = f"{prefix}/{name}" if prefix else name
        code = CodeSpec(
            name=name,
            description=self.text_field(fields.get("description"), "description"),
            inclusion=self.text_field(fields.get("inclusion"), "inclusion"),
            exclusion=self.text_field(fields.get("exclusion"), "exclusion"),
            examples=self.text_list(fields.get("examples"), "examples"),
            keywords=self.text_list(fields.get("keywords"), "keywords"),
            colour=self.colour(fields.get("colour")),
            valence=self.valence(fields.get("valence")),
            guid=self.guid(fields.get("guid"), path),
            line=_line(node),
        )
        if "children" in fields:
            code.children = self.code_list(fields["children"][1], "children", prefix=path)
        return code

    def colour(self, entry: _Entry | None) -> str | None:
        if entry is None:
            return None
        key, value = entry
        if _is_null(value):
            if value.value == "" and self._comment_follows(key):
                raise _Problem(_line(value), "field 'colour' is empty because an unquoted # starts a YAML comment; "
                               'quote it: colour: "#1f77b4"')
            return None
        raw = _scalar(value, "colour").strip()
        if not _COLOUR.fullmatch(raw):
            raise _Problem(_line(value), f"field 'colour' must be #RRGGBB (or #RGB), not '{_short(raw)}'")
        digits = raw[1:].lower()
        return "#" + ("".join(ch * 2 for ch in digits) if len(digits) == 3 else digits)

    def _comment_follows(self, key: yaml.Node) -> bool:
        """`colour: #1f77b4` reads as an empty value and a comment: the commonest slip in codebook files."""
        lines = self.text.splitlines()
        line = lines[key.start_mark.line] if key.start_mark.line < len(lines) else ""
        rest = line[key.end_mark.column :].lstrip()
        return rest.startswith(":") and re.match(r"#[0-9a-fA-F]{3,6}\b", rest[1:].lstrip()) is not None

    def valence(self, entry: _Entry | None) -> Valence:
        if entry is None or _is_null(entry[1]):
            return Valence.NONE
        raw = _scalar(entry[1], "valence").strip().lower()
        choices = tuple(str(v) for v in Valence)
        if raw not in choices:
            allowed = f"{', '.join(choices[:-1])} or {choices[-1]}"
            raise _Problem(_line(entry[1]), f"field 'valence' must be {allowed}, not '{_short(raw)}'{_suggest(raw, choices)}")
        return Valence(raw)

    def guid(self, entry: _Entry | None, path: str) -> str | None:
        if entry is None or _is_null(entry[1]):
            return None
        value = entry[1]
        raw = _scalar(value, "guid").strip()
        try:
            guid = str(uuid.UUID(raw))
        except ValueError:
            example = "3f2b6c1e-8d4a-4e59-9a61-0c7d2e5b9f10"
            raise _Problem(_line(value), f"field 'guid' '{_short(raw)}' is not a valid GUID (e.g. {example})") from None
        if guid in self.guids:
            other, line = self.guids[guid]
            raise _Problem(_line(value), f"field 'guid' {guid} is already used by code '{_short(other)}' at line {line}")
        self.guids[guid] = (path, _line(value))
        return guid


def _scalar(node: yaml.Node, field: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        raise _Problem(_line(node), f"field '{field}' must be text, not {kind}")
    # The text as written: `name: 2024` stays "2024" and `description: yes` stays "yes".
    if "\x00" in node.value:
        raise _Problem(_line(node), f"field '{field}' holds a NUL character (\\0), which cannot be stored")
    return clean_text(node.value)  # "\e" or "\v" escapes in quoted YAML: the import rule of qualcode.sanitise


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _short(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    match = process.extractOne(word.lower(), choices, scorer=fuzz.ratio, score_cutoff=60)
    return f" (did you mean '{match[0]}'?)" if match else ""
