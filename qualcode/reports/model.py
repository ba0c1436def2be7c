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
from qualcode.domain import Valence

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


class NameMask:
    """Participants' names become their labels; other named people, places and organisations become [person]..."""

    def __init__(self, ds: Dataset):
        names: dict[str, str] = {}
        for person in ds.participants.values():
            for name in (person.name, *person.aliases):
                if name and name.strip() and name.strip() != person.label:
                    names.setdefault(name.strip(), person.label)
        for name, what in ds.named.items():
            names.setdefault(name, what)
        # Longest first so that a full name wins over its first name.
        ordered = sorted(names, key=lambda n: (-len(n), n))
        self._names = names
        # Words of people's names only: a place's "hospice" or "church" must not knock out those terms.
        people = [n for n, what in names.items() if what not in ("place", "organisation")]
        self._words = {w.lower() for n in people for w in re.findall(r"[^\W\d_]{3,}", n)}
        self._pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)") if ordered else None

    def __call__(self, text: str) -> str:
        if not self._pattern or not text:
            return text
        return self._pattern.sub(lambda m: f"[{self._names[m.group(1)]}]", text)

    def names_in(self, term: str) -> bool:
        """Whether a lower-cased term holds any word of a participant's name (such terms are dropped)."""
        return any(w in self._words for w in term.split())


def _masked(summary: ThemeSummary, mask: NameMask) -> ThemeSummary:
    quotes = tuple(dataclasses.replace(q, text=mask(q.text)) for q in summary.quotes)
    memos = tuple(MemoNote(mask(m.title), mask(m.text)) for m in summary.memos)
    language = summary.language
    if language is not None:
        language = dataclasses.replace(
            language,
            terms=tuple(t for t in language.terms if not mask.names_in(t.term)),
            phrases=tuple(t for t in language.phrases if not mask.names_in(t.term)),
        )
    return dataclasses.replace(summary, quotes=quotes, memos=memos, description=mask(summary.description),
                               language=language)


def _masked_tally(result: Tally, mask: NameMask) -> Tally:
    def rows(items):
        return tuple(dataclasses.replace(r, quotes=tuple(dataclasses.replace(q, text=mask(q.text)) for q in r.quotes)) for r in items)

    groups = tuple(dataclasses.replace(g, rows=rows(g.rows)) for g in result.groups)
    return dataclasses.replace(result, rows=rows(result.rows), groups=groups)


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


def build_report(ds: Dataset, options: ReportOptions = ReportOptions()) -> Report:
    mask = NameMask(ds)
    language = LanguageIndex(ds) if options.language else None
    themes = tuple(
        _masked(theme_summary(ds, c.id, quotes=options.quotes, language=language, with_language=options.language,
                              terms=options.terms), mask)
        for c in ds.children(None)
    )
    counts = {c.path: c for c in codebook_counts(ds)}
    codebook = tuple(
        CodebookRow(c.path, c.path.count("/"), str(c.valence), mask(c.description), counts[c.path].codings,
                    counts[c.path].excerpts, counts[c.path].documents, counts[c.path].participants)
        for c in ds.codes
    )
    valences = [v for v in (Valence.BARRIER, Valence.FACILITATOR) if any(c.valence == v for c in ds.codes)]
    tallies = tuple(_masked_tally(tally(ds, v, quotes=options.tally_quotes), mask) for v in valences)
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
    notes = ("Participants appear by label only; names in quotes are replaced by [label], [person], [place] or [organisation].",)
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
    )
