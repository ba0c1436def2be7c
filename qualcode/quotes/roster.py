"""The project's roster: participants' names and aliases plus the extra people, places and
organisations a team lists (project_meta "roster_extra" or a roster file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.anonymise import Roster, RosterEntry
from qualcode.anonymise.roster import job_title
from qualcode.errors import InvalidInput
from qualcode.store import meta
from qualcode.store import participants as participant_repo

if TYPE_CHECKING:
    from qualcode.store import Session

EXTRA_KEY = "roster_extra"
_GROUPS = ("people", "places", "organisations")


def _entry_dict(entry: RosterEntry) -> dict:
    return {
        "key": entry.key, "name": entry.name, "type": entry.type, "aliases": list(entry.aliases),
        "role": entry.role, "region": entry.region,
    }


def _entry(data: dict, group: str) -> RosterEntry:
    if not isinstance(data, dict) or not str(data.get("name") or "").strip():
        raise InvalidInput(f"project setting '{EXTRA_KEY}': every {group} entry needs a name")
    return RosterEntry(
        key=str(data.get("key") or f"{group}:{data['name']}"),
        name=str(data["name"]),
        type=str(data.get("type") or ("PERSON" if group == "people" else "ORG")),
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        role=data.get("role"),
        region=data.get("region"),
    )


def roster_to_json(roster: Roster) -> str:
    payload = {
        "people": [_entry_dict(e) for e in roster.people],
        "places": [_entry_dict(e) for e in roster.places],
        "organisations": [_entry_dict(e) for e in roster.organisations],
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def roster_from_json(text: str) -> Roster:
    """Read roster_extra: {"people": [...], "places": [...], "organisations": [...]}; strings allowed."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"project setting '{EXTRA_KEY}' is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"project setting '{EXTRA_KEY}' must be a JSON object with people/places/organisations")
    groups = {}
    for group in _GROUPS:
        items = data.get(group) or []
        if group == "people":
            items = [*items, *(data.get("others") or [])]
        if not isinstance(items, list):
            raise InvalidInput(f"project setting '{EXTRA_KEY}': '{group}' must be a list")
        groups[group] = [item if isinstance(item, str) else _entry(item, group) for item in items]
    return Roster(**groups)


def stored_extra(session: Session) -> Roster:
    raw = meta.get(session, EXTRA_KEY)
    return roster_from_json(raw) if raw else Roster()


def import_roster(session: Session, path: str | Path) -> Roster:
    """Store a roster file (participants YAML with others/places/organisations, or CSV) as roster_extra."""
    roster = Roster.from_file(path)
    meta.put(session, EXTRA_KEY, roster_to_json(roster))
    return roster


def _participants(session: Session) -> list[RosterEntry]:
    people = []
    for p in participant_repo.list_all(session):
        forms = [f for f in (p.name, *p.aliases) if f and f.strip()]
        if not forms:
            continue
        region = (p.attributes or {}).get("region")
        role = job_title(p.role, p.attributes or {})
        people.append(RosterEntry(f"participant:{p.label}", forms[0], "PERSON", tuple(forms[1:]), role, region))
    return people


def project_roster(session: Session, extra: Roster | None = None) -> Roster:
    """Participants from the database, then roster_extra, then `extra` (a --roster file).

    A person listed twice (a participants file given as the roster) keeps the participant's
    identity, so their pseudonym does not split between two entries.
    """
    people = _participants(session)
    known = {e.name.casefold(): i for i, e in enumerate(people)}
    places, organisations = [], []
    for prefix, source in (("listed", stored_extra(session)), ("file", extra or Roster())):
        # Keys of two rosters may collide ("place:1" in both): each source gets its own namespace.
        source = _rekeyed(source, prefix)
        for entry in source.people:
            at = known.get(entry.name.casefold())
            if at is None:
                known[entry.name.casefold()] = len(people)
                people.append(entry)
            else:
                merged = dict.fromkeys((*people[at].aliases, *entry.aliases))
                people[at] = RosterEntry(people[at].key, people[at].name, "PERSON", tuple(merged),
                                         people[at].role or entry.role, people[at].region or entry.region)
        places += [e for e in source.places if all(e.name != p.name for p in places)]
        organisations += [e for e in source.organisations if all(e.name != o.name for o in organisations)]
    return Roster(people=people, places=places, organisations=organisations)


def _rekeyed(roster: Roster, prefix: str) -> Roster:
    """Keys by what an entry names, not where it stands in its file.

    A roster file numbers its entries ("place:1"); a key built on that number would hand one
    place's pseudonym to another when the list changes. Each source keeps its own namespace.
    """
    def rekey(entry: RosterEntry, group: str) -> RosterEntry:
        key = f"{prefix}:{group}:{' '.join(entry.name.casefold().split())}"
        return RosterEntry(key, entry.name, entry.type, entry.aliases, entry.role, entry.region)

    return Roster(
        people=[rekey(e, "person") for e in roster.people],
        places=[rekey(e, "place") for e in roster.places],
        organisations=[rekey(e, "org") for e in roster.organisations],
    )
