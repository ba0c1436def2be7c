"""REFI-QDA vocabulary: namespaces, deterministic GUIDs, colours, and the parsed-project values."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_SCHEMA_LOCATION = f"{PROJECT_NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_SCHEMA_LOCATION = f"{CODEBOOK_NS} http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"

# Every GUID qualcode derives (variables, selections, coding notes) lives under this namespace,
# so the same project state always yields the same identifiers.
QUALCODE_NS = uuid.UUID("5b0c6f1e-4a8e-5d57-9a43-2f7d0e6c1a11")
PROJECT_GUID_KEY = "refi_project_guid"

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def norm_guid(value: str | None) -> str | None:
    """A GUID as qualcode stores it: lower case, no braces; None when the value is not a GUID."""
    match = _GUID.match((value or "").strip())
    return match.group(1).lower() if match else None


def derived_guid(*parts: object) -> str:
    """A GUID that depends only on its parts (uuid5), never on the clock."""
    return str(uuid.uuid5(QUALCODE_NS, "\x1f".join(str(p) for p in parts)))


def variable_guid(project_guid: str, name: str) -> str:
    return derived_guid(project_guid, "variable", name)


def selection_guid(document_guid: str, start: int, end: int, user: str = "", memo: str = "") -> str:
    """One selection per (range, coder, memo) of a document."""
    extra = (user,) + ((memo,) if memo else ())
    return derived_guid(document_guid, "selection", start, end, *extra)


def coding_note_guid(coding_guid: str) -> str:
    """The Note that carries a coding's own memo text (Coding.memo, not a memo row)."""
    return derived_guid(coding_guid, "coding-memo")


def norm_colour(value: str | None) -> str | None:
    """#RGB or #RRGGBB in any case -> #RRGGBB upper case; anything else -> None."""
    match = _COLOUR.match((value or "").strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def xml_datetime(value: datetime | None) -> str | None:
    """xsd:dateTime in UTC with a Z; SQLite hands back naive datetimes, which are UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


# Code definitions beyond the description travel in the REFI Description after a "---" line,
# readable in any tool and parsed back by qualcode.
_EXTRA_LABELS = (("inclusion", "Include"), ("exclusion", "Exclude"), ("examples", "Example"),
                 ("keywords", "Keyword"), ("valence", "Valence"))
_SEPARATOR = "\n\n---\n"


def pack_description(description: str, extras: dict[str, object]) -> str:
    lines: list[str] = []
    for key, label in _EXTRA_LABELS:
        value = extras.get(key)
        if not value or value == "none":
            continue
        values = list(value) if key in ("examples", "keywords") else [str(value)]
        for item in values:
            lines.append(f"{label}: " + str(item).replace("\n", "\n  "))
    if not lines:
        return description
    return description + _SEPARATOR + "\n".join(lines)


def unpack_description(text: str) -> tuple[str, dict[str, object]]:
    """Inverse of pack_description; text without a parsable trailer is all description."""
    head, sep, tail = text.rpartition(_SEPARATOR)
    if not sep:
        return text, {}
    labels = {label: key for key, label in _EXTRA_LABELS}
    extras: dict[str, object] = {}
    current: str | None = None
    for line in tail.split("\n"):
        if line.startswith("  ") and current is not None:
            _append_line(extras, current, line[2:])
            continue
        label, colon, value = line.partition(": ")
        if not colon or label not in labels:
            return text, {}
        current = labels[label]
        if current in ("examples", "keywords"):
            extras.setdefault(current, []).append(value)
        else:
            extras[current] = value
    return head, extras


def _append_line(extras: dict[str, object], key: str, line: str) -> None:
    if key in ("examples", "keywords"):
        items = extras[key]
        items[-1] = f"{items[-1]}\n{line}"
    else:
        extras[key] = f"{extras[key]}\n{line}"


@dataclass(slots=True)
class RefiUser:
    guid: str
    name: str


@dataclass(slots=True)
class RefiCode:
    guid: str
    name: str
    parent: str | None
    description: str = ""
    colour: str | None = None
    note_refs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiCoding:
    guid: str | None
    code: str
    user: str | None
    created: datetime | None
    note_refs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSelection:
    guid: str | None
    start: int
    end: int
    name: str
    user: str | None
    created: datetime | None
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    description: str = ""  # QualCoder and MAXQDA write the coding memo here


@dataclass(slots=True)
class RefiSource:
    guid: str
    name: str
    text: str  # LF line ends; selections already in code points of this text
    created: datetime | None
    selections: list[RefiSelection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    note_refs: list[str] = field(default_factory=list)
    description: str = ""


@dataclass(slots=True)
class RefiCase:
    guid: str
    name: str
    variables: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    description: str = ""


@dataclass(slots=True)
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    created: datetime | None


@dataclass(slots=True)
class RefiSet:
    guid: str
    name: str
    description: str
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiProject:
    """What an imported .qdpx or .qdc says, vendor quirks already smoothed out; GUIDs normalised."""

    name: str
    origin: str
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    project_note_refs: list[str] = field(default_factory=list)
    utf16_offsets: bool = False
    warnings: list[str] = field(default_factory=list)
