"""Full-text search over segments: SQLite FTS5, PostgreSQL tsvector, fuzzy terms through rapidfuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from qualcode.errors import InvalidInput

WORD = re.compile(r"\w+", re.UNICODE)
RANK_WINDOW = 2000


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: int
    title: str
    segment_index: int
    speaker: str | None
    start: int  # of the first match, in document code points
    end: int
    snippet: str
    terms: tuple[str, ...]


def search(session: Session, query: str, *, fuzzy: bool = False, limit: int = 50) -> list[SearchHit]:
    terms = [t.lower() for t in WORD.findall(query)]
    if not terms:
        raise InvalidInput("search needs at least one word")
    dialect = session.get_bind().dialect.name
    if fuzzy:
        groups = [_similar_terms(session, term, dialect) for term in terms]
    else:
        groups = [[term] for term in terms]
    if dialect == "sqlite":
        rows = _sqlite_rows(session, groups, limit)
    else:
        rows = _postgres_rows(session, groups, limit)
    flat = tuple(sorted({t for g in groups for t in g}))
    return [_hit(row, flat) for row in rows]


def _sqlite_rows(session: Session, groups: list[list[str]], limit: int):
    # Each user term becomes a quoted FTS5 string, so punctuation can never be read as query syntax.
    match = " AND ".join("(" + " OR ".join(f'"{t}"' for t in group) + ")" for group in groups)
    # Rank at most RANK_WINDOW matches: exact for ordinary queries, and a word found in 100,000
    # turns still answers in milliseconds instead of scoring every one of them.
    stmt = sql(
        "SELECT s.document_id, d.title, s.idx, s.speaker, s.start, s.text FROM "
        "(SELECT rowid AS id, bm25(segments_fts) AS score FROM segments_fts WHERE segments_fts MATCH :match "
        "LIMIT :window) AS m JOIN segments s ON s.id = m.id JOIN documents d ON d.id = s.document_id "
        "ORDER BY m.score, s.id LIMIT :limit"
    )
    return session.execute(stmt, {"match": match, "limit": limit, "window": RANK_WINDOW}).all()


def _postgres_rows(session: Session, groups: list[list[str]], limit: int):
    tsquery = " & ".join("(" + " | ".join(_pg_lexeme(t) for t in group) + ")" for group in groups)
    stmt = sql(
        "SELECT s.document_id, d.title, s.idx, s.speaker, s.start, s.text FROM segments s "
        "JOIN documents d ON d.id = s.document_id "
        "WHERE to_tsvector('english', s.text) @@ to_tsquery('english', :q) "
        "ORDER BY ts_rank(to_tsvector('english', s.text), to_tsquery('english', :q)) DESC, s.id LIMIT :limit"
    )
    return session.execute(stmt, {"q": tsquery, "limit": limit}).all()


def _pg_lexeme(term: str) -> str:
    return "'" + term.replace("'", "") + "'"


def _similar_terms(session: Session, term: str, dialect: str, limit: int = 8) -> list[str]:
    """Vocabulary terms within a small edit distance of `term` (spelling variants)."""
    from rapidfuzz import fuzz, process

    if dialect == "sqlite":
        prefix = term[:1]
        vocab = session.execute(
            sql("SELECT term FROM segments_fts_vocab WHERE term >= :a AND term < :b"),
            {"a": prefix, "b": prefix + "\uffff"},
        ).scalars().all()
    else:
        vocab = session.execute(
            sql("SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', text) FROM segments') WHERE word LIKE :p"),
            {"p": term[:1] + "%"},
        ).scalars().all()
    cutoff = 80 if len(term) > 4 else 85

    def score(query: str, candidate: str, **_kwargs) -> float:
        # SQLite's vocabulary holds Porter stems ("volunt"), so also compare the query's same-length prefix.
        whole = fuzz.ratio(query, candidate)
        if len(candidate) >= 4 and len(query) > len(candidate):
            return max(whole, fuzz.ratio(query[: len(candidate)], candidate) - 5)
        return whole

    found = [m for m, s, _ in process.extract(term, vocab, scorer=score, limit=limit) if s >= cutoff]
    return sorted(set(found) | {term})


def _hit(row, terms: tuple[str, ...]) -> SearchHit:
    document_id, title, idx, speaker, seg_start, text = row
    lowered = text.lower()
    offset, length = 0, 0
    matches = [m for term in terms if (m := re.search(rf"\b{re.escape(term)}", lowered))]
    if matches:
        first = min(matches, key=lambda m: m.start())
        offset, length = first.start(), first.end() - first.start()
    lo = max(0, offset - 60)
    hi = min(len(text), offset + length + 60)
    snippet = ("…" if lo else "") + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else "")
    return SearchHit(document_id, title, idx, speaker, seg_start + offset, seg_start + offset + length, snippet, terms)
