"""Workbench test fixtures: a small real SQLite project with two transcripts, participants and a code tree."""

from __future__ import annotations

import pytest

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment

TURNS = [
    ("Interviewer", "How do you use the framework in your hospice? Tell me about it."),
    ("Maren", "We use it in our strategy meetings. The community ambition is hard. Nobody knows who owns it!"),
    ("Interviewer", "What gets in the way?"),
    ("Maren", "Staff turnover, mostly. And the document is long. We lack time and resources to meet volunteers."),
]
GROUP = [
    ("Tobin", "Community means the people on my street. We help each other."),
    ("Ilse", "For me it is the chapel in Wexbury and the school."),
]


def transcript(title: str, turns, kind=DocumentKind.INTERVIEW) -> ParsedDocument:
    """Turns as (speaker, words); "Speaker: " stays outside each segment, as importers do."""
    parts, segments, at = [], [], 0
    for speaker, words in turns:
        prefix = f"{speaker}: "
        start = at + len(prefix)
        parts.append(prefix + words)
        segments.append(ParsedSegment(start, start + len(words), SegmentKind.TURN, speaker))
        at += len(prefix) + len(words) + 2
    return ParsedDocument(title=title, kind=kind, text="\n\n".join(parts), segments=segments, source_name=title, sha256=title)


def build_project(path) -> str:
    return build_project_at(f"sqlite:///{path}")


def build_project_at(url: str) -> str:
    """The two-transcript project at a database URL (a SQLite file or a PostgreSQL database)."""
    from qualcode.store import Database, codes, participants
    from qualcode.store import documents as docs

    db = Database(url, create=True)
    with db.transaction() as s:
        maren = participants.upsert(s, ParsedParticipant("P01", role="manager", attributes={"region": "north"}))
        tobin = participants.upsert(s, ParsedParticipant("P02", role="volunteer", attributes={"region": "south"}))
        docs.add_parsed(s, transcript("interview-01", TURNS), [maren if sp == "Maren" else None for sp, _ in TURNS])
        docs.add_parsed(s, transcript("focus-group-a", GROUP, DocumentKind.FOCUS_GROUP), [tobin, None])
        codes.add(s, "community", fields={"description": "What community means"})
        codes.add(s, "site", parent="community", fields={"description": "A place", "inclusion": "towns, streets",
                                                         "exclusion": "groups of people", "keywords": ["street", "chapel"]})
        codes.add(s, "belonging", parent="community", fields={"keywords": ["belong", "support"]})
        codes.add(s, "barriers", fields={"description": "What hinders"})
        codes.add(s, "staff turnover", parent="barriers", fields={"keywords": ["turnover"]})
        codes.add(s, "resources", parent="barriers")
    db.dispose()
    return url


@pytest.fixture
def project_url(tmp_path):
    return build_project(tmp_path / "study.db")


@pytest.fixture
def open_db(project_url):
    """A second connection to the project, to check what the app committed."""
    from qualcode.store import Database

    databases = []

    def opener():
        db = Database(project_url)
        databases.append(db)
        return db

    yield opener
    for db in databases:
        db.dispose()


def codings_in(db, coder: str | None = None):
    from qualcode.store import coders
    from qualcode.store import codings as repo

    with db.reading() as s:
        ids = (coders.find(s, coder).id,) if coder else None
        return repo.query(s, repo.CodingFilter(coder_ids=ids))


def code_id(db, path: str) -> int:
    from qualcode.store import codes

    with db.reading() as s:
        return codes.resolve(s, path).id


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
