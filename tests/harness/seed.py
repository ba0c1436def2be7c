"""Seed a small project for the concurrency and crash harness."""

from __future__ import annotations

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedSegment
from qualcode.store import Database
from qualcode.store import codes as code_repo
from qualcode.store import documents as doc_repo

WORDS = "community hospice volunteers ambition leadership funding trust listening network champion".split()


def seed_project(url: str, documents: int = 5, codes: int = 6) -> Database:
    db = Database(url, create=True)
    with db.transaction() as session:
        for i in range(codes):
            code_repo.add(session, f"code-{i}", bump_version=False)
        for d in range(documents):
            turns = [" ".join(WORDS[(d + t + k) % len(WORDS)] for k in range(30)) for t in range(20)]
            text, segments, at = [], [], 0
            for words in turns:
                segments.append(ParsedSegment(at, at + len(words), SegmentKind.PARAGRAPH))
                text.append(words)
                at += len(words) + 2
            parsed = ParsedDocument(f"doc-{d}", DocumentKind.INTERVIEW, "\n\n".join(text), segments, sha256=f"seed-{d}")
            doc_repo.add_parsed(session, parsed, [None] * len(segments))
    return db
