"""Participant sidecar files (CSV or YAML) and linking transcript speaker names to participant labels.

Labels made only of digits become "ID:<digits>", as survey respondent IDs do, so both sources agree.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from qualcode.errors import ImportRefused, InvalidInput
from qualcode.importers.base import ParsedParticipant, decode_text, read_bytes
from qualcode.importers.survey_table import guess_delimiter

FUZZY_MIN_RATIO = 90
_KNOWN_KEYS = ("label", "name", "aliases", "role", "attributes")
_ALIAS_SPLIT = re.compile(r"[;|]")
# Research-team roles: their turns belong to no participant unless the sidecar names them.
_TEAM_ROLE = re.compile(
    r"^(?:interviewer|int|iv|i|q|facilitator|co-facilitator|moderator|researcher|host|chair|note ?taker)(?: ?\d{1,3})?$"
)


def load_participants(path: Path, encoding: str | None = None) -> list[ParsedParticipant]:
    path = Path(path)
    raw = read_bytes(path)
    text = decode_text(raw, path.name, encoding)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        people = _from_csv(text, path.name)
    elif suffix in (".yaml", ".yml"):
        people = _from_yaml(text, path.name)
    else:
        raise ImportRefused(f"{path.name}: participant lists must be .csv, .yaml or .yml")
    if not people:
        raise ImportRefused(f"{path.name}: lists no participants")
    return people


def normalise_label(value: object) -> str:
    label = " ".join(str(value).split())
    return f"ID:{label}" if label.isdigit() else label


def _split_aliases(value: str) -> list[str]:
    return [a.strip() for a in _ALIAS_SPLIT.split(value) if a.strip()]


def _from_csv(text: str, name: str) -> list[ParsedParticipant]:
    reader = csv.reader(io.StringIO(text), delimiter=guess_delimiter(text))
    try:
        rows = [(number, row) for number, row in enumerate(reader, 1) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise ImportRefused(f"{name}: line {reader.line_num}: cannot read the CSV ({exc})") from None
    if not rows:
        raise ImportRefused(f"{name}: lists no participants")
    header = [" ".join(h.split()) for h in rows[0][1]]
    keys = [h.lower() for h in header]
    keys = ["aliases" if k == "alias" else k for k in keys]
    if "label" not in keys:
        raise ImportRefused(f"{name}: row 1: needs a 'label' column (found: {', '.join(header)})")
    people: list[ParsedParticipant] = []
    seen: set[str] = set()
    for number, cells in rows[1:]:
        cells = (cells + [""] * len(keys))[: len(keys)]
        values = dict(zip(keys, (c.strip() for c in cells), strict=True))
        label = normalise_label(values["label"])
        if not label:
            raise ImportRefused(f"{name}: row {number}: the label is empty")
        _check_unique(label, f"row {number}", seen, name)
        attributes = {h: c.strip() for h, k, c in zip(header, keys, cells, strict=True) if k not in _KNOWN_KEYS and c.strip()}
        people.append(
            ParsedParticipant(
                label=label,
                role=values.get("role") or None,
                name=values.get("name") or None,
                aliases=_split_aliases(values.get("aliases", "")),
                attributes=attributes,
            )
        )
    return people


def _check_unique(label: str, where: str, seen: set[str], name: str) -> None:
    if label in seen:
        raise ImportRefused(f"{name}: {where}: duplicate label '{label}'")
    seen.add(label)


def _from_yaml(text: str, name: str) -> list[ParsedParticipant]:
    from qualcode import safe_yaml  # PyYAML only when a YAML sidecar is read

    try:
        data, root = safe_yaml.load(text, name)
    except InvalidInput as exc:
        raise ImportRefused(str(exc)) from None
    items, item_nodes = _participant_list(data, root, name)
    people: list[ParsedParticipant] = []
    seen: set[str] = set()
    for item, node in zip(items, item_nodes, strict=True):
        line = node.start_mark.line + 1
        people.append(_yaml_participant(item, f"line {line}", name))
        _check_unique(people[-1].label, f"line {line}", seen, name)
    return people


# Lists the anonymiser reads from the same file (people only mentioned, places, organisations);
# they are not participants, so the participants loader accepts and skips them.
ROSTER_KEYS = {"others", "places", "organisations", "organizations"}


def _participant_list(data: Any, root: Any, name: str) -> tuple[list[Any], list[Any]]:
    """The list under 'participants:' (or a bare top-level list) with the YAML node of each item."""
    import yaml

    if isinstance(data, dict) and isinstance(root, yaml.MappingNode):
        unknown = [k for k in data if k != "participants" and k not in ROSTER_KEYS]
        if unknown:
            raise ImportRefused(
                f"{name}: line 1: unknown top-level key '{unknown[0]}' (expected 'participants', or roster lists: "
                + ", ".join(sorted(ROSTER_KEYS)) + ")"
            )
        data = data.get("participants")
        root = next((v for k, v in root.value if k.value == "participants"), None)
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        raise ImportRefused(f"{name}: expected 'participants:' followed by a list of participants")
    return data, root.value


def _yaml_participant(item: Any, where: str, name: str) -> ParsedParticipant:
    if not isinstance(item, dict):
        raise ImportRefused(f"{name}: {where}: each participant must be a mapping with at least 'label'")
    unknown = [str(k) for k in item if k not in _KNOWN_KEYS]
    if unknown:
        raise ImportRefused(f"{name}: {where}: unknown key '{unknown[0]}' (known: {', '.join(_KNOWN_KEYS)})")
    label = normalise_label(_scalar(item.get("label"), "label", where, name))
    if not label:
        raise ImportRefused(f"{name}: {where}: every participant needs a label")
    aliases = item.get("aliases") or []
    if isinstance(aliases, str):
        aliases = _split_aliases(aliases)
    elif isinstance(aliases, list):
        aliases = [_scalar(a, "aliases", where, name) for a in aliases]
    else:
        raise ImportRefused(f"{name}: {where}: 'aliases' must be a list of names")
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise ImportRefused(f"{name}: {where}: 'attributes' must be a mapping of names to values")
    return ParsedParticipant(
        label=label,
        role=_scalar(item.get("role"), "role", where, name) or None,
        name=_scalar(item.get("name"), "name", where, name) or None,
        aliases=[a for a in aliases if a],
        attributes={
            str(k): _scalar(v, f"attributes.{k}", where, name) for k, v in attributes.items() if v is not None
        },
    )


def _scalar(value: Any, field: str, where: str, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        raise ImportRefused(f"{name}: {where}: '{field}' must be a single value")
    return " ".join(str(value).split())


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to compare names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(text.strip().strip("*").rstrip(":").split())


def _variants(speaker: str) -> list[str]:
    """'Ellison, Margaret (She/Her)' is how Teams writes 'Margaret Ellison'."""
    base = _fold(re.sub(r"\s*\([^)]*\)\s*$", "", speaker))
    variants = [_fold(speaker), base]
    if base.count(",") == 1:
        last, first = (p.strip() for p in base.split(","))
        variants.append(f"{first} {last}")
    return [v for i, v in enumerate(variants) if v and v not in variants[:i]]


def link_speaker(speaker: str, participants: list[ParsedParticipant]) -> str | None:
    """The label of the participant a transcript speaker names, or None when unknown or ambiguous."""
    if not speaker or not participants:
        return None
    keys = _variants(speaker)
    if not keys:
        return None
    names = [(p.label, _fold(n)) for p in participants for n in (p.label, p.name, *p.aliases) if n and _fold(n)]
    for key in keys:
        labels = {label for label, n in names if n in (key, f"id:{key}")}
        if labels:
            return labels.pop() if len(labels) == 1 else None
    if any(_TEAM_ROLE.match(key) for key in keys):
        return None
    for key in keys:
        if " " not in key:
            labels = {label for label, n in names if " " in n and n.split()[0] == key}
            if labels:
                return labels.pop() if len(labels) == 1 else None
    return _fuzzy(keys, names)


def _fuzzy(keys: list[str], names: list[tuple[str, str]]) -> str | None:
    from rapidfuzz import fuzz

    best_score = 0.0
    best: set[str] = set()
    for key in keys:
        for label, n in names:
            if len(n) < 4:
                continue  # "P3" and "P8" are near in edit distance but different people
            score = fuzz.ratio(key, n)
            if score > best_score:
                best_score, best = score, {label}
            elif score == best_score:
                best.add(label)
    if best_score >= FUZZY_MIN_RATIO and len(best) == 1:
        return best.pop()
    return None
