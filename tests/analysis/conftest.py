"""A small invented project built through the API, with counts worked out by hand in the tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from qualcode.coding import CodingService
from qualcode.domain import DocumentKind, MemoTarget, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment
from qualcode.store import codes, documents, participants

PEOPLE = [
    ParsedParticipant("P01", role="manager", name="Orla Fenwick", aliases=["Orla"], attributes={"setting": "hospice", "region": "North"}),
    ParsedParticipant("P02", role="nurse", name="Tamsin Brackley", attributes={"setting": "community", "region": "North"}),
    ParsedParticipant("P03", role="commissioner", name="Idris Wolstenholme", attributes={"setting": "ICB", "region": "South"}),
    ParsedParticipant("ID:101", attributes={"setting": "hospice", "region": "South", "ambition": "A1"}),
    ParsedParticipant("ID:102", attributes={"setting": "hospice", "region": "North", "ambition": "A4"}),
]

DOCS = [
    ("int-1", DocumentKind.INTERVIEW, "2024-01-10", [
        ("Interviewer", "How do you use the framework?"),
        ("P01", "Leadership changed three times this year. Nobody owned the ambitions after that, Orla said."),
        ("Interviewer", "What helped?"),
        ("P01", "Our local champion kept the group meeting. The champion also shared documents widely."),
    ]),
    ("fg-1", DocumentKind.FOCUS_GROUP, "2024-02-01", [
        ("Facilitator", "Tell me about barriers."),
        ("P01", "Staff turnover means we lose the thread of every project."),
        ("P02", "Leadership was absent and turnover made it worse in our community team."),
        ("P03", "In the church hall the community meets every month."),
    ]),
    ("Survey ID:101", DocumentKind.SURVEY, None, [("ID:101", "Leadership is weak and we lack a champion locally.")]),
    ("Survey ID:102", DocumentKind.SURVEY, None, [("ID:102", "Turnover of staff is constant.")]),
]

# (document, quote, code, coder, candidate)
CODINGS = [
    ("int-1", "Leadership changed three times this year.", "barriers/leadership", "alex", False),
    ("int-1", "Leadership changed three times this year.", "barriers/leadership", "sam", False),
    ("int-1", "Our local champion kept the group meeting.", "facilitators/champions", "alex", True),
    ("fg-1", "Staff turnover means we lose the thread of every project.", "barriers/turnover", "alex", False),
    ("fg-1", "Leadership was absent", "barriers/leadership", "sam", False),
    ("fg-1", "turnover made it worse in our community team", "barriers/turnover", "alex", False),
    ("fg-1", "Leadership was absent and turnover made it worse in our community team.", "community/site", "sam", False),
    ("fg-1", "In the church hall the community meets every month.", "community/site", "alex", False),
    ("Survey ID:101", "Leadership is weak and we lack a champion locally.", "barriers/leadership", "alex", False),
    ("Survey ID:102", "Turnover of staff is constant.", "barriers/turnover", "sam", False),
]


def parsed(title, kind, date, turns):
    parts, segments, at = [], [], 0
    for speaker, words in turns:
        prefix = "" if kind == DocumentKind.SURVEY else f"{speaker}: "
        start = at + len(prefix)
        parts.append(prefix + words)
        seg_kind = SegmentKind.ANSWER if kind == DocumentKind.SURVEY else SegmentKind.TURN
        segments.append(ParsedSegment(start, start + len(words), seg_kind, None if kind == DocumentKind.SURVEY else speaker))
        at += len(prefix) + len(words) + 2
    respondent = turns[0][0] if kind == DocumentKind.SURVEY else None
    return ParsedDocument(title=title, kind=kind, text="\n\n".join(parts), segments=segments, source_name=title,
                          sha256=title, date=date, participant_label=respondent)


@dataclass
class Fixture:
    db: object
    doc_ids: dict[str, int] = field(default_factory=dict)
    code_ids: dict[str, int] = field(default_factory=dict)
    person_ids: dict[str, int] = field(default_factory=dict)


def build_fixture(db) -> Fixture:
    from qualcode.store.memos import add as add_memo

    fx = Fixture(db)
    with db.transaction() as s:
        for person in PEOPLE:
            fx.person_ids[person.label] = participants.upsert(s, person)
        for parent, children, valence in [
            ("barriers", ["leadership", "turnover"], "barrier"),
            ("facilitators", ["champions"], "facilitator"),
            ("community", ["site", "public"], "none"),
        ]:
            fx.code_ids[parent] = codes.add(s, parent).id
            for child in children:
                fx.code_ids[f"{parent}/{child}"] = codes.add(s, child, parent=parent, fields={"valence": valence}).id
        for title, kind, date, turns in DOCS:
            doc = parsed(title, kind, date, turns)
            ids = [fx.person_ids.get(speaker) for speaker, _ in turns]
            fx.doc_ids[title] = documents.add_parsed(s, doc, ids)
        add_memo(s, target=MemoTarget.CODE, target_id=fx.code_ids["barriers/leadership"], text="Often tied to turnover.",
                 title="leadership note", coder_id=None, created=None, guid=str(uuid.uuid4()), coder=None)
    services = {name: CodingService(db, name) for name in ("alex", "sam")}
    with db.reading() as s:
        texts = {t: documents.get(s, i).text for t, i in fx.doc_ids.items()}
    for title, quote, code, coder, candidate in CODINGS:
        start = texts[title].index(quote)
        services[coder].apply(fx.doc_ids[title], start, start + len(quote), code, candidate_quote=candidate)
    return fx


@pytest.fixture
def fixture_project(sqlite_db):
    return build_fixture(sqlite_db)


@pytest.fixture
def ds(fixture_project):
    from qualcode.analysis import load

    with fixture_project.db.reading() as s:
        return load(s)


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
