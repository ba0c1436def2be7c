"""Building a quote bank: codings of chosen codes -> trimmed, ranked, masked, attributed quotes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from qualcode.analysis.passages import coded_passages
from qualcode.anonymise import Anonymiser, Roster
from qualcode.anonymise import share
from qualcode.errors import InvalidInput
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store import quotes as repo
from qualcode.store.codings import CodingFilter
from qualcode.store.engine import Database

from . import disclosure, keys
from .model import ACCEPTED, DEFAULT_BANK, UNREVIEWED, BankSettings, Redaction
from .rank import Candidate, rank
from .redact import mask_texts, remask
from .roster import project_roster
from .trim import Trimmed, region_for, trim

KNOWN_TYPES = ("PERSON", "HOSPICE", "WARD", "TOWN", "PLACE", "ORG", "NORP", "OTHER")


@dataclass(slots=True)
class BuildReport:
    """What a build did: quotes per theme, disclosure warnings, passages that gave no quote."""

    bank: str
    quotes: int = 0
    per_theme: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    kept_reviews: int = 0


@dataclass(slots=True)
class _Draft:
    theme: int
    document_id: int
    span: Trimmed
    text: str
    coding_id: int
    participant_id: int | None
    marked: bool
    kind: str
    rank: float = 0.0


def make_anonymiser(roster: Roster, settings: BankSettings) -> Anonymiser:
    """The shared detectors (qualcode.anonymise.share) with the bank's own choices applied."""
    return share.make_anonymiser(roster, settings.deny, settings.generalise, settings.use_ner)


def check_settings(settings: BankSettings) -> None:
    if not settings.codes:
        raise InvalidInput("choose at least one code: --code C")
    if settings.max_words < 5:
        raise InvalidInput(f"--max-words must be at least 5, not {settings.max_words}")
    if settings.k < 1:
        raise InvalidInput(f"--k must be at least 1, not {settings.k}")
    if settings.limit < 1:
        raise InvalidInput(f"--limit must be at least 1, not {settings.limit}")
    unknown = [t for t in settings.generalise if t not in KNOWN_TYPES]
    if unknown:
        raise InvalidInput(f"cannot generalise type '{unknown[0]}'; choose from {', '.join(KNOWN_TYPES)}")


def _drafts(session, theme_ids: Sequence[int], max_words: int, marked_only: bool = False) -> tuple[list[_Draft], int]:
    drafts: dict[tuple[int, int, int, int], _Draft] = {}
    skipped = 0
    documents, segments = {}, {}
    for theme in theme_ids:
        family = tuple(sorted(repo.code_ids_with_descendants(session, [theme])))
        found = [c for c in coding_repo.query(session, CodingFilter(code_ids=family)) if c.candidate_quote or not marked_only]
        # Overlapping codings of the theme (two coders' different edges, parent and child) are one quote.
        for passage, members in coded_passages(found, across_codes=True):
            lead = next((c for c in members if c.candidate_quote), members[0])  # the quote keeps a coder's mark
            coding = replace(lead, start=passage.start, end=passage.end)
            if coding.document_id not in documents:
                documents[coding.document_id] = doc_repo.get(session, coding.document_id)
                segments[coding.document_id] = doc_repo.segments(session, coding.document_id)
            doc = documents[coding.document_id]
            r_start, r_end, participant = region_for(segments[doc.id], coding.start, coding.end)
            span = trim(doc.text, (r_start, r_end), (coding.start, coding.end), max_words)
            if span is None:
                skipped += 1
                continue
            where = (theme, doc.id, span.start, span.end)
            known = drafts.get(where)
            if known is not None:
                known.marked = known.marked or coding.candidate_quote  # two coders, one passage
                continue
            drafts[where] = _Draft(theme, doc.id, span, doc.text[span.start : span.end], coding.id, participant,
                                   coding.candidate_quote, str(doc.kind))
    return list(drafts.values()), skipped


def _select(drafts: list[_Draft], theme_ids: Sequence[int], limit: int) -> list[_Draft]:
    chosen = []
    for theme in theme_ids:
        pool = sorted((d for d in drafts if d.theme == theme), key=lambda d: (d.document_id, d.span.start, d.span.end))
        order = rank([Candidate(d.text, d.participant_id, d.marked) for d in pool])
        for position, (index, _closeness) in enumerate(order[:limit], 1):
            pool[index].rank = float(position)
            chosen.append(pool[index])
    return chosen


def build_bank(db: Database, settings: BankSettings, bank: str = DEFAULT_BANK, extra_roster: Roster | None = None) -> BuildReport:
    """Build (or rebuild) `bank` from `settings.codes`; the project's key and the bank's reviews carry over."""
    check_settings(settings)
    if not bank.strip():
        raise InvalidInput("a bank needs a name")
    report = BuildReport(bank)
    with db.reading() as session:
        every = repo.all_settings(session)
        denied = {term: type_ for other in every.values() for term, type_ in other.deny.items()}
        if denied:
            # A reviewer's redactions outlive a rebuild with new settings, and apply to every bank.
            settings = replace(settings, deny={**denied, **settings.deny})
        themes = [code_repo.resolve(session, ref) for ref in settings.codes]
        theme_ids = list(dict.fromkeys(t.id for t in themes))
        paths = {t.id: t.path for t in themes}
        drafts, report.skipped = _drafts(session, theme_ids, settings.max_words, settings.marked_only)
        roster = project_roster(session, extra_roster)
        key = keys.load_project_key(session)
        previous = {(q.document_id, q.start, q.end): q for q in repo.list_quotes(session, bank)}
        everyone = disclosure.profiles(session)
    chosen = _select(drafts, theme_ids, settings.limit)
    anonymiser = make_anonymiser(roster, settings)
    masked = mask_texts(anonymiser, [d.text for d in chosen], key)
    rows = []
    for draft, redactions in zip(chosen, masked):
        text = draft.span.finish(remask(draft.text, redactions, ""))
        status, redactions, text = _carry_over(previous.get((draft.document_id, draft.span.start, draft.span.end)),
                                               draft.text, redactions, text, report)
        verdict = disclosure.check(everyone.get(draft.participant_id), draft.kind, settings.attributes,
                                   list(everyone.values()), settings.k, coarsen=settings.coarsen)
        if verdict.risky and verdict.warning() not in report.warnings:
            report.warnings.append(verdict.warning())
        rows.append({
            "document_id": draft.document_id, "start": draft.span.start, "end": draft.span.end,
            "code_id": draft.theme, "coding_id": draft.coding_id, "participant_id": draft.participant_id,
            "masked_text": text, "attribution": verdict.label[:300],
            "redactions": [r.to_dict() for r in redactions], "status": status, "rank": draft.rank,
        })
        report.per_theme[paths[draft.theme]] = report.per_theme.get(paths[draft.theme], 0) + 1
    with db.transaction() as session:
        repo.replace_bank(session, bank, rows)
        keys.save_project_key(session, key)
        keys.delete_key(session, bank)  # a key kept per bank by older versions: the project's replaces it
        repo.put_settings(session, bank, settings)
    report.quotes = len(rows)
    return report


def _carry_over(old, original: str, redactions: list[Redaction], text: str, report: BuildReport):
    """A reviewer's undo of a false redaction, and an acceptance, survive a rebuild of the same passage."""
    if old is None:
        return UNREVIEWED, redactions, text
    undone = {(r.start, r.end) for r in old.redactions if not r.active}
    if undone:
        redactions = [r.undone() if (r.start, r.end) in undone else r for r in redactions]
        text = remask(original, redactions, text)
    if old.status == ACCEPTED and old.masked_text == text:
        report.kept_reviews += 1
        return ACCEPTED, redactions, text
    return UNREVIEWED, redactions, text


def settings_for(settings: BankSettings, **changes) -> BankSettings:
    return replace(settings, **changes)
