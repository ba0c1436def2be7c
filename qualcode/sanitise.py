"""One rule for text entering the project, and the cleaning each output (XML, terminal, Markdown) needs.

At import: a NUL is refused (naming the file and its byte offset); vertical tab and form feed
become a newline (Word writes a manual line break as a vertical tab when text is pasted out of it);
every other C0 control (tab and LF are kept; CR was already made a line ending), DEL, the C1
controls U+0080-U+009F and the non-characters U+FFFE/U+FFFF become a space. Every replacement is
one character for one, so offsets computed before cleaning stay valid. The same text therefore
reaches SQLite and PostgreSQL, and no export format can refuse it later.
"""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

from qualcode.errors import InvalidInput

# Column lengths of the store's tables, checked in code so SQLite refuses what PostgreSQL would.
MAX_TITLE = 500
MAX_SPEAKER = 200
MAX_LABEL = 100
MAX_ROLE = 200
MAX_PERSON_NAME = 300
MAX_CODE_NAME = 300
MAX_CODER = 200

_NEWLINE_LIKE = "\x0b\x0c"
_SPACED = [c for c in range(0x20) if chr(c) not in "\t\n\r\x00" + _NEWLINE_LIKE] + list(range(0x7F, 0xA0)) + [0xFFFE, 0xFFFF]
_TABLE = {**{ord(c): "\n" for c in _NEWLINE_LIKE}, **{c: " " for c in _SPACED}, 0x0D: "\n"}
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# What XML 1.0 (docx, xlsx) cannot hold at all: C0 except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Terminal control: escape sequences (CSI, OSC up to BEL or ST, two-character ESC x), C1 and C0 controls.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[P^_X][^\x1b]*(?:\x1b\\)?|\x1b.?"
    r"|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*[\x07\x9c]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]",
    re.DOTALL,
)
_CONTROL_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def nul_offset(data: bytes, text: str, encoding: str) -> int | None:
    """Byte offset of the first NUL in the file, or None; measured in the file's own encoding."""
    index = text.find("\x00")
    if index < 0:
        return None
    if encoding.replace("_", "-").lower() in ("utf-8", "utf-8-sig", "utf8"):
        return data.find(b"\x00")
    try:
        return len(text[:index].encode(encoding))  # utf-16 writes its byte-order mark, as the file did
    except (LookupError, UnicodeError):
        return index


def clean_text(text: str, where: str = "text") -> str:
    """The import rule for one string: NUL refused, other controls replaced one for one."""
    if "\x00" in text:
        raise InvalidInput(f"{where}: holds a NUL character at character {text.index(chr(0))}; a NUL cannot be stored")
    if _UNCLEAN.search(text) is None:
        return text
    return text.translate(_TABLE)


def clean_tree(value: Any, where: str = "text") -> Any:
    """clean_text over every string in nested dicts, lists and tuples (metadata, attributes)."""
    if isinstance(value, str):
        return clean_text(value, where)
    if isinstance(value, dict):
        return {clean_tree(k, where): clean_tree(v, where) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_tree(v, where) for v in value)
    return value


def check_name(value: str, what: str, limit: int, where: str | None = None) -> str:
    """A one-line name (code, coder, label, speaker): no control characters, at most `limit` characters."""
    prefix = f"{where}: " if where else ""
    shown = terminal_safe(value[:40])
    if _CONTROL_IN_NAME.search(value):
        raise InvalidInput(f"{prefix}{what} '{shown}' holds a line break or control character; a name is one line of text")
    check_length(value, what, limit, where)
    return value


def check_length(value: str | None, what: str, limit: int, where: str | None = None) -> None:
    if value is not None and len(value) > limit:
        prefix = f"{where}: " if where else ""
        raise InvalidInput(f"{prefix}{what} '{terminal_safe(value[:40])}…' is {len(value):,} characters; the limit is {limit}")


def xml_safe(text: str) -> str:
    """Text an XML writer (python-docx, openpyxl) accepts: characters XML cannot hold become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def terminal_safe(text: str) -> str:
    """Text with escape sequences removed and lone control characters (except tab and newline) dropped."""
    return _TERMINAL.sub("", text) if _TERMINAL.search(text) else text


def markdown_safe(text: str) -> str:
    """HTML in user text shown as text when a Markdown file is rendered (code names, quotes, memos)."""
    return html.escape(text, quote=False)


def map_strings(value: Any, fix) -> Any:
    """Apply `fix` to every string inside dataclasses, lists, tuples and dicts (a report before it is written)."""
    if isinstance(value, str):
        return fix(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: map_strings(getattr(value, f.name), fix) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {map_strings(k, fix): map_strings(v, fix) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return type(value)(map_strings(v, fix) for v in value)
    if isinstance(value, tuple):  # a named tuple
        return type(value)(*(map_strings(v, fix) for v in value))
    return value
