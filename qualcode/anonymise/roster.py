"""The project's roster of people, places and organisations, read from YAML or CSV."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from qualcode.errors import InvalidInput, NotFound

from .lexicon import TITLES


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One real-world person, place or organisation and every form it may be written in."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    region: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _name_tokens(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", name) if w.casefold() not in TITLES]


def org_type(name: str) -> str:
    """HOSPICE or WARD when the name says so; ORG otherwise."""
    lower = name.casefold()
    if "hospice" in lower:
        return "HOSPICE"
    if re.search(r"\bward\b", lower):
        return "WARD"
    return "ORG"


@dataclass(frozen=True, slots=True)
class Roster:
    """People (participants, staff, others named), places and organisations a team lists.

    `people`, `places` and `organisations` accept plain strings or RosterEntry values;
    a person string becomes an entry keyed by its position.
    """

    people: tuple[RosterEntry, ...] = ()
    places: tuple[RosterEntry, ...] = ()
    organisations: tuple[RosterEntry, ...] = ()

    def __init__(
        self,
        people: Iterable[RosterEntry | str] = (),
        places: Iterable[RosterEntry | str] = (),
        organisations: Iterable[RosterEntry | str] = (),
    ) -> None:
        object.__setattr__(self, "people", tuple(_entry(p, "PERSON", f"person:{i}") for i, p in enumerate(people, 1)))
        object.__setattr__(self, "places", tuple(_entry(p, "TOWN", f"place:{i}") for i, p in enumerate(places, 1)))
        object.__setattr__(
            self,
            "organisations",
            tuple(_entry(o, None, f"org:{i}") for i, o in enumerate(organisations, 1)),
        )

    @property
    def entries(self) -> tuple[RosterEntry, ...]:
        return self.people + self.places + self.organisations

    def __bool__(self) -> bool:
        return bool(self.entries)

    def all_forms(self) -> list[str]:
        """Every name, alias and name token of a person: what must never survive an export."""
        forms: list[str] = []
        for entry in self.entries:
            forms.extend(entry.forms)
            if entry.type == "PERSON":
                for form in entry.forms:
                    forms.extend(_name_tokens(form))
        return list(dict.fromkeys(f for f in forms if f.strip()))

    @classmethod
    def from_file(cls, path: str | Path) -> Roster:
        """Read the participants YAML (participants/others/places/organisations) or a CSV."""
        path = Path(path)
        if not path.is_file():
            raise NotFound(f"roster file not found: {path}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read roster {path}: {exc}") from exc
        if path.suffix.lower() == ".csv":
            return cls._from_csv(text, path)
        return cls._from_yaml(text, path)

    @classmethod
    def _from_yaml(cls, text: str, path: Path) -> Roster:
        from qualcode import safe_yaml  # no aliases, bounded depth, no repeated keys: a roster is handed in

        data = safe_yaml.load(text, f"roster {path}")[0] or {}
        if not isinstance(data, dict):
            raise InvalidInput(f"roster {path} must be a mapping with participants/others/places/organisations")
        participants = enumerate(_list(data, "participants", path), 1)
        others = enumerate(_list(data, "others", path), 1)
        people = [_person(item, f"participant {i}", path) for i, item in participants]
        people += [_person(item, f"other {i}", path, prefix="other") for i, item in others]
        places = [_named(item, "TOWN", f"place:{i}", path) for i, item in enumerate(_list(data, "places", path), 1)]
        orgs = [_named(item, None, f"org:{i}", path) for i, item in enumerate(_list(data, "organisations", path), 1)]
        return cls(people=people, places=places, organisations=orgs)

    @classmethod
    def _from_csv(cls, text: str, path: Path) -> Roster:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise InvalidInput(f"roster {path} needs a header with at least: label,name,aliases,role")
        people = []
        for row_number, row in enumerate(reader, 2):
            name = (row.get("name") or "").strip()
            if not name:
                raise InvalidInput(f"roster {path} line {row_number}: empty name")
            label = (row.get("label") or "").strip() or f"row{row_number}"
            aliases = tuple(a.strip() for a in re.split(r"[;|]", row.get("aliases") or "") if a.strip())
            people.append(RosterEntry(f"person:{label}", name, "PERSON", aliases, (row.get("role") or None)))
        return cls(people=people)


def _entry(value: RosterEntry | str, type_: str | None, key: str) -> RosterEntry:
    if isinstance(value, RosterEntry):
        return value
    name = str(value).strip()
    return RosterEntry(key, name, type_ or org_type(name))


def _list(data: dict, field_name: str, path: Path) -> list:
    value = data.get(field_name) or []
    if not isinstance(value, list):
        raise InvalidInput(f"roster {path}: '{field_name}' must be a list")
    return value


def _aliases(item: dict, where: str, path: Path) -> tuple[str, ...]:
    raw = item.get("aliases") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise InvalidInput(f"roster {path}, {where}: 'aliases' must be a list")
    return tuple(str(a).strip() for a in raw if str(a).strip())


def _person(item: Any, where: str, path: Path, prefix: str = "person") -> RosterEntry:
    if isinstance(item, str):
        return RosterEntry(f"{prefix}:{item.casefold()}", item.strip(), "PERSON")
    if not isinstance(item, dict) or not str(item.get("name") or "").strip():
        raise InvalidInput(f"roster {path}, {where}: each person needs a 'name'")
    name = str(item["name"]).strip()
    label = str(item.get("label") or name.casefold())
    attributes = item.get("attributes") or {}
    attributes = attributes if isinstance(attributes, dict) else {}
    region = attributes.get("region")
    role = job_title(item.get("role"), attributes)
    return RosterEntry(f"{prefix}:{label}", name, "PERSON", _aliases(item, where, path), role, region)


def job_title(role: Any, attributes: dict) -> str | None:
    """A person's role, or a job title under their attributes; a unique one singles its holder out.

    Roster files and the project's participants both go through here, so `qualcode anonymise
    --roster` and a quote bank built on the same people mask the same titles.
    """
    role = role or next(
        (attributes[k] for k in ("role", "job", "job_title", "occupation", "position") if attributes.get(k)), None
    )
    return str(role).strip() if role else None


def _named(item: Any, type_: str | None, key: str, path: Path) -> RosterEntry:
    """A place or organisation: a plain string, or {name, aliases, region, type}."""
    if isinstance(item, str):
        return RosterEntry(key, item.strip(), type_ or org_type(item))
    if not isinstance(item, dict) or not str(item.get("name") or "").strip():
        raise InvalidInput(f"roster {path}, {key}: give a name string or a mapping with 'name'")
    name = str(item["name"]).strip()
    declared = str(item.get("type") or "").upper() or None
    return RosterEntry(
        key, name, declared or type_ or org_type(name), _aliases(item, key, path), None, item.get("region")
    )
