"""A small invented project for the agreement workflow tests, built through the store API and the coding service."""

from __future__ import annotations

from qualcode.coding import CodingService
from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedSegment
from qualcode.store import codes as code_repo
from qualcode.store import documents as doc_repo

CODES = ("community/site", "community/public", "barriers", "facilitators")

# Three invented interviews, four turns each.
TURNS = {
    "Harbourside interview": [
        ("Interviewer", "How does the framework reach your town?"),
        ("Morwen", "Mostly through the chapel hall and the library on Quay Street."),
        ("Interviewer", "Who takes part?"),
        ("Morwen", "Volunteers mostly, but we never get time or money for training."),
    ],
    "Upland interview": [
        ("Interviewer", "What helps your team?"),
        ("Tobias", "Sharing examples with the hospice down the valley helps a lot."),
        ("Interviewer", "And the public?"),
        ("Tobias", "People here think of the public as everyone who is not staff."),
    ],
    "Estuary interview": [
        ("Interviewer", "What gets in the way?"),
        ("Isolde", "Staff turnover, every year we start again with new managers."),
        ("Interviewer", "Anything that helps?"),
        ("Isolde", "A local champion who keeps the agenda alive in meetings."),
    ],
}

# (coder, document, turn index, code): alex and sam double-code the first two interviews, kim the third.
CODINGS = [
    ("alex", "Harbourside interview", 1, "community/site"),
    ("sam", "Harbourside interview", 1, "community/site"),
    ("alex", "Harbourside interview", 3, "barriers"),
    ("sam", "Harbourside interview", 3, "barriers"),
    ("sam", "Harbourside interview", 3, "community/public"),
    ("alex", "Upland interview", 1, "facilitators"),
    ("sam", "Upland interview", 1, "facilitators"),
    ("alex", "Upland interview", 3, "community/public"),
    ("sam", "Upland interview", 3, "barriers"),
    ("kim", "Estuary interview", 1, "barriers"),
    ("kim", "Estuary interview", 3, "facilitators"),
]


def parsed(title: str, turns: list[tuple[str, str]]) -> ParsedDocument:
    parts, segments, at = [], [], 0
    for speaker, words in turns:
        prefix = f"{speaker}: "
        start = at + len(prefix)
        parts.append(prefix + words)
        segments.append(ParsedSegment(start, start + len(words), SegmentKind.TURN, speaker))
        at += len(prefix) + len(words) + 2
    return ParsedDocument(title=title, kind=DocumentKind.INTERVIEW, text="\n\n".join(parts), segments=segments,
                          source_name=f"{title}.txt", sha256=title)


def build_project(db, codings=CODINGS) -> dict[str, int]:
    """Documents, codes and codings; returns document ids by title."""
    ids = {}
    with db.transaction() as session:
        for title, turns in TURNS.items():
            doc = parsed(title, turns)
            ids[title] = doc_repo.add_parsed(session, doc, [None] * len(doc.segments))
        for path in CODES:
            parent, _, name = path.rpartition("/")
            if parent and not any(c.path == parent for c in code_repo.list_all(session)):
                code_repo.add(session, parent)
            code_repo.add(session, name, parent=parent or None)
    apply_codings(db, codings)
    return ids


def apply_codings(db, codings) -> None:
    services: dict[str, CodingService] = {}
    with db.reading() as session:
        spans = {title: doc_repo.segments(session, doc_repo.resolve(session, title).id) for title in TURNS}
    for coder, title, turn, code in codings:
        service = services.setdefault(coder, CodingService(db, coder))
        segment = spans[title][turn]
        service.apply(title, segment.start, segment.end, code)
