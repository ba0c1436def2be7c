"""The content of a project report, computed once and rendered by every format alike."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from itertools import combinations

from qualcode.analysis.counts import categorical_attributes, codebook_counts
from qualcode.analysis.crosstab import CrossTab, crosstab
from qualcode.analysis.dataset import Dataset
from qualcode.analysis.language import LanguageIndex
from qualcode.analysis.saturation import Saturation, saturation
from qualcode.analysis.summary import MemoNote, ThemeSummary, theme_summary
from qualcode.analysis.tallies import Matrix, Tally, construct_matrix, tally
from qualcode.analysis.quotes import Quote
from qualcode.anonymise.share import UNMASKED_NOTICE, SharePolicy, excerpt_ref
from qualcode.domain import Valence
from qualcode.reports.guard import Outgoing

MAX_ATTRIBUTE_TABLES = 6


@dataclass(frozen=True, slots=True)
class ReportOptions:
    title: str = "Project report"
    quotes: int = 3
    tally_quotes: int = 2
    language: bool = True
    terms: int = 10
    crosstabs: tuple[tuple[str, str], ...] | None = None  # None: a sensible default set
    matrix_case: str = "participant"
    base_size: int = 4
    run_length: int = 2
    threshold: float = 0.05
    # False only for a report that stays inside the project: quotes then show as coded, and say so.
    shareable: bool = True


@dataclass(frozen=True, slots=True)
class CodebookRow:
    path: str
    depth: int
    valence: str
    description: str
    codings: int
    excerpts: int
    documents: int
    participants: int


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    overview: tuple[tuple[str, str], ...]
    kinds: tuple[tuple[str, int], ...]
    codebook: tuple[CodebookRow, ...]
    themes: tuple[ThemeSummary, ...]
    tallies: tuple[Tally, ...]
    tallies_by_kind: tuple[Tally, ...]
    matrix: Matrix | None
    crosstabs: tuple[CrossTab, ...]
    saturation: Saturation
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The policy its quotes were masked with; the final scan of every written file uses it too.
    policy: SharePolicy | None = field(default=None, compare=False, repr=False)
    # Excerpt ref -> its original text, for acceptances (never rendered).
    originals: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


def _name_words(policy: SharePolicy) -> set[str]:
    """Words of people's names in the roster: a distinctive term holding one is dropped."""
    people = [f for e in policy.roster.people for f in e.forms]
    return {w.lower() for n in people for w in re.findall(r"[^\W\d_]{3,}", n)}


def _masked(summary: ThemeSummary, masked: dict[str, str], name_words: set[str]) -> ThemeSummary:
    quotes = tuple(dataclasses.replace(q, text=masked[q.text]) for q in summary.quotes)
    memos = tuple(MemoNote(masked[m.title], masked[m.text]) for m in summary.memos)
    language = summary.language
    if language is not None:
        def keep(term: str) -> bool:
            return not any(w in name_words for w in term.split())

        language = dataclasses.replace(
            language,
            terms=tuple(t for t in language.terms if keep(t.term)),
            phrases=tuple(t for t in language.phrases if keep(t.term)),
        )
    return dataclasses.replace(summary, quotes=quotes, memos=memos, description=masked[summary.description],
                               language=language)


def _masked_tally(result: Tally, masked: dict[str, str]) -> Tally:
    def rows(items):
        return tuple(dataclasses.replace(r, quotes=tuple(dataclasses.replace(q, text=masked[q.text]) for q in r.quotes))
                     for r in items)

    groups = tuple(dataclasses.replace(g, rows=rows(g.rows)) for g in result.groups)
    return dataclasses.replace(result, rows=rows(result.rows), groups=groups)


def _texts(themes, tallies, codes) -> list[str]:
    texts = [c.description for c in codes]
    for s in themes:
        texts += [s.description, *(q.text for q in s.quotes), *(t for m in s.memos for t in (m.title, m.text))]
    for t in tallies:
        texts += [q.text for rows in (t.rows, *(g.rows for g in t.groups)) for r in rows for q in r.quotes]
    return texts


def quote_ref(q: Quote) -> str:
    return excerpt_ref(q.document_id, q.start, q.end)


def outgoing(report: Report, originals: dict[str, str]) -> list[Outgoing]:
    """Each quote and memo of a report, as the final scan withholds and a reviewer accepts them."""
    items, policy = [], report.policy
    for s in report.themes:
        items += [_quote_item(q, originals, policy) for q in s.quotes]
        items += [Outgoing(f"memo {i + 1} of {s.path}", (m.title, m.text)) for i, m in enumerate(s.memos)]
    for t in report.tallies:
        items += [_quote_item(q, originals, policy) for rows in (t.rows, *(g.rows for g in t.groups))
                  for r in rows for q in r.quotes]
    return list({i.ref: i for i in items}.values())


def _quote_item(q: Quote, originals: dict[str, str], policy: SharePolicy | None) -> Outgoing:
    ref = quote_ref(q)
    accepted = policy is not None and policy.is_accepted(ref, originals.get(ref, ""))
    return Outgoing(ref, (q.text, q.attribution, q.document_title), accepted,
                    f"check it, then 'qualcode quotes accept {ref}'")


def without(report: Report, refs: set[str]) -> Report:
    """The report with the withheld quotes and memos left out."""
    if not refs:
        return report

    def quotes(items):
        return tuple(q for q in items if quote_ref(q) not in refs)

    def rows(items):
        return tuple(dataclasses.replace(r, quotes=quotes(r.quotes)) for r in items)

    themes = tuple(dataclasses.replace(
        s, quotes=quotes(s.quotes),
        memos=tuple(m for i, m in enumerate(s.memos) if f"memo {i + 1} of {s.path}" not in refs),
    ) for s in report.themes)
    tallies = tuple(dataclasses.replace(t, rows=rows(t.rows), groups=tuple(dataclasses.replace(g, rows=rows(g.rows))
                                                                            for g in t.groups)) for t in report.tallies)
    return dataclasses.replace(report, themes=themes, tallies=tallies)


def default_crosstabs(ds: Dataset) -> list[tuple[str, str]]:
    """Each top-level code with children by document kind, then pairs of attributes people answer together."""
    pairs = [(f"code:{c.path}", "kind") for c in ds.children(None) if ds.children(c.id)]
    attributes = [a for a in categorical_attributes(ds) if a != "role"]
    for first, second in combinations(attributes, 2):
        together = sum(
            1 for p in ds.participants
            if ds.attribute(p, first) != "(not given)" and ds.attribute(p, second) != "(not given)"
        )
        if together >= 2 and len(pairs) < len(ds.children(None)) + MAX_ATTRIBUTE_TABLES:
            pairs.append((f"attr:{first}", f"attr:{second}"))
    return pairs


def build_report(ds: Dataset, options: ReportOptions = ReportOptions(), policy: SharePolicy | None = None) -> Report:
    """The report's content; quotes, memos and definitions masked by `policy` (the dataset's own when None)."""
    language = LanguageIndex(ds) if options.language else None
    themes = tuple(
        theme_summary(ds, c.id, quotes=options.quotes, language=language, with_language=options.language,
                      terms=options.terms)
        for c in ds.children(None)
    )
    valences = [v for v in (Valence.BARRIER, Valence.FACILITATOR) if any(c.valence == v for c in ds.codes)]
    tallies = tuple(tally(ds, v, quotes=options.tally_quotes) for v in valences)
    originals = {quote_ref(q): ds.documents[q.document_id].text[q.start : q.end]
                 for s in themes for q in s.quotes}
    originals.update({quote_ref(q): ds.documents[q.document_id].text[q.start : q.end]
                      for t in tallies for rows in (t.rows, *(g.rows for g in t.groups)) for r in rows for q in r.quotes})
    texts = _texts(themes, tallies, ds.codes)
    if options.shareable:
        if policy is None:
            from qualcode.anonymise.share import dataset_policy

            policy = dataset_policy(ds)
        masked = dict(zip(texts, policy.mask(texts)))
        words = _name_words(policy)
        notes = ("Anonymised for sharing: names, places, organisations and other identifiers in quotes and memos read "
                 "as pseudonyms such as [PERSON 1], the same in every export of this project; participants appear by "
                 "label only.",)
    else:
        policy, masked, words, notes = None, {t: t for t in texts}, set(), (UNMASKED_NOTICE,)
    themes = tuple(_masked(s, masked, words) for s in themes)
    tallies = tuple(_masked_tally(t, masked) for t in tallies)
    counts = {c.path: c for c in codebook_counts(ds)}
    codebook = tuple(
        CodebookRow(c.path, c.path.count("/"), str(c.valence), masked[c.description], counts[c.path].codings,
                    counts[c.path].excerpts, counts[c.path].documents, counts[c.path].participants)
        for c in ds.codes
    )
    by_kind = tuple(tally(ds, v, by="kind") for v in valences)
    matrix = construct_matrix(ds, options.matrix_case) if valences and ds.participants else None
    pairs = options.crosstabs if options.crosstabs is not None else default_crosstabs(ds)
    kinds = {k: 0 for k in ds.kinds()}
    for doc in ds.documents.values():
        kinds[str(doc.kind)] += 1
    overview = (
        ("documents", str(len(ds.documents))),
        ("participants", str(len(ds.participants))),
        ("codes", str(len(ds.codes))),
        ("codings", str(len(ds.codings))),
        ("coders", ", ".join(sorted(ds.coders.values()))),
    )
    return Report(
        title=options.title,
        overview=overview,
        kinds=tuple(kinds.items()),
        codebook=codebook,
        themes=themes,
        tallies=tallies,
        tallies_by_kind=by_kind,
        matrix=matrix,
        crosstabs=tuple(crosstab(ds, r, c) for r, c in pairs),
        saturation=saturation(ds, base_size=options.base_size, run_length=options.run_length,
                              threshold=options.threshold),
        notes=notes,
        policy=policy,
        originals=originals,
    )
