"""A small invented project for quote-bank tests: names that are also words, nicknames, places."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from qualcode.coding import CodingService
from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment
from qualcode.store import codes as code_repo
from qualcode.store import documents as doc_repo
from qualcode.store import meta
from qualcode.store import participants as participant_repo

PEOPLE = [
    ParsedParticipant("P01", "service manager", "Hope Marlow", ["Hope"], {"region": "Midlands"}),
    ParsedParticipant("P02", "commissioner", "William Tarrant", ["Will", "Bill"], {"region": "North"}),
    ParsedParticipant("P03", "commissioner", "Rose Pennick", ["Rosie"], {"region": "North"}),
    ParsedParticipant("P04", "frontline provider", "Dawn Kellaway", ["Dawn"], {"region": "Midlands"}),
    ParsedParticipant("P05", "commissioner", "Sandeep Virk", ["Sandy"], {"region": "South"}),
]
EXTRA = {
    "people": [{"name": "Margaret Hollis", "aliases": ["Mags"]}],
    "places": ["Thornbury Vale", "Larkin Ward"],
    "organisations": ["St Wilfrid's Hospice"],
}

INTERVIEW = [
    ("Interviewer", "Tell me about your community work."),
    ("Hope Marlow",
     "I hope the community in Thornbury Vale feels like ours. Mags runs the café at St Wilfrid's Hospice "
     "and people drop in. Dawn said the café is where belonging starts. We will keep it going whatever happens."),
    ("Interviewer", "What gets in the way?"),
    ("Hope Marlow",
     "Funding is the barrier. Every year we bid again and lose staff. "
     "Bill from the ICB rang me in June about it, but the money never came."),
]
FOCUS = [
    ("Rose Pennick",
     "For me community means a place, the streets around Larkin Ward. Rosie is what my team call me, "
     "and they know every family on that ward."),
    ("William Tarrant",
     "Will you let me add something? Community is where people feel they belong, not a postcode. "
     "Belonging is built by listening over many years."),
    ("Sandeep Virk",
     "Sandy here. The barrier for commissioners is time; we never get time to meet the groups in Thornbury Vale."),
    ("Dawn Kellaway",
     "Belonging comes from neighbours who look out for each other. Hope says the same about the café."),
]


def _doc(title, kind, turns):
    parts, segments, at = [], [], 0
    for speaker, words in turns:
        prefix = f"{speaker}: "
        start = at + len(prefix)
        parts.append(prefix + words)
        segments.append(ParsedSegment(start, start + len(words), SegmentKind.TURN, speaker))
        at += len(prefix) + len(words) + 2
    return ParsedDocument(title=title, kind=kind, text="\n\n".join(parts), segments=segments, sha256=title)


@dataclass
class Fixture:
    db: object
    docs: dict
    codings: dict

    def text(self, title):
        with self.db.reading() as s:
            return doc_repo.resolve(s, title).text


def _span(text, phrase):
    at = text.index(phrase)
    return at, at + len(phrase)


@pytest.fixture
def project(sqlite_db):
    return make_project(sqlite_db)


@pytest.fixture
def project_on_each_backend(db):
    """The same project on SQLite and, when QUALCODE_TEST_PG_URL is set, on PostgreSQL."""
    return make_project(db)


def make_project(db):
    with db.transaction() as s:
        ids = {p.label: participant_repo.upsert(s, p) for p in PEOPLE}
        by_name = {p.name: ids[p.label] for p in PEOPLE}
        docs = {}
        for title, kind, turns in (("Interview one", DocumentKind.INTERVIEW, INTERVIEW),
                                   ("Commissioners group", DocumentKind.FOCUS_GROUP, FOCUS)):
            parsed = _doc(title, kind, turns)
            docs[title] = doc_repo.add_parsed(s, parsed, [by_name.get(sp) for sp, _ in turns])
        code_repo.add(s, "community")
        code_repo.add(s, "belonging", parent="community")
        code_repo.add(s, "site", parent="community")
        code_repo.add(s, "barriers")
        meta.put(s, "roster_extra", json.dumps(EXTRA))
    service = CodingService(db, "ana")
    fixture = Fixture(db, docs, {})
    interview, focus = fixture.text("Interview one"), fixture.text("Commissioners group")
    plan = [
        ("Interview one", interview, "Mags runs the café", "community/belonging", False),
        ("Interview one", interview, "where belonging starts", "community/belonging", True),
        ("Interview one", interview, "I hope the community in Thornbury Vale feels like ours.", "community/site", False),
        ("Interview one", interview, "Funding is the barrier.", "barriers", False),
        ("Interview one", interview, "Bill from the ICB rang me in June about it", "barriers", False),
        ("Commissioners group", focus, "the streets around Larkin Ward", "community/site", False),
        ("Commissioners group", focus, "Community is where people feel they belong, not a postcode.", "community/belonging", False),
        ("Commissioners group", focus, "we never get time to meet the groups in Thornbury Vale", "barriers", True),
        ("Commissioners group", focus, "Belonging comes from neighbours who look out for each other.", "community/belonging", False),
    ]
    for title, text, phrase, code, marked in plan:
        start, end = _span(text, phrase)
        coding = service.apply(docs[title], start, end, code, candidate_quote=marked)
        fixture.codings[phrase] = coding.id
    return fixture


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run the coroutine Pilot tests of this folder on a fresh asyncio loop (no async plugin needed)."""
    import asyncio
    import inspect

    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
