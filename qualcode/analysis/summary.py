"""Theme summaries: counts, distinctive language, representative quotes, co-occurring codes and memos."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.analysis.cooccurrence import Cooccurrence, cooccurring
from qualcode.analysis.counts import ThemeCounts, theme_counts
from qualcode.analysis.dataset import Dataset
from qualcode.analysis.language import Distinctive, LanguageIndex
from qualcode.analysis.quotes import Quote, representative_quotes


@dataclass(frozen=True, slots=True)
class MemoNote:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class ThemeSummary:
    path: str
    description: str
    valence: str
    counts: ThemeCounts
    language: Distinctive | None
    quotes: tuple[Quote, ...]
    cooccurring: tuple[Cooccurrence, ...]
    memos: tuple[MemoNote, ...]
    children: tuple[str, ...]


def theme_summary(
    ds: Dataset,
    code_ref: str | int,
    *,
    quotes: int = 5,
    language: LanguageIndex | None = None,
    with_language: bool = True,
    terms: int = 10,
    cooccurring_limit: int = 10,
) -> ThemeSummary:
    """Everything about one code with its descendants; pass a shared LanguageIndex when summarising many."""
    code = ds.resolve_code(code_ref) if not isinstance(code_ref, int) else ds.code(code_ref)
    subtree = ds.subtree(code.id)
    spans = ds.excerpts_of(subtree)
    distinctive = None
    if with_language:
        distinctive = (language or LanguageIndex(ds)).distinctive(subtree, top=terms)
    return ThemeSummary(
        path=code.path,
        description=code.description,
        valence=str(code.valence),
        counts=theme_counts(ds, code.id),
        language=distinctive,
        quotes=tuple(representative_quotes(ds, spans, quotes)),
        cooccurring=tuple(cooccurring(ds, code.id, cooccurring_limit)),
        memos=tuple(MemoNote(m.title or "", m.text) for m in ds.code_memos(code.id)),
        children=tuple(c.path for c in ds.children(code.id)),
    )


def top_level_summaries(ds: Dataset, **options) -> list[ThemeSummary]:
    """One summary per top-level code (its theme includes every descendant), sharing one language index."""
    shared = options.pop("language", None) or LanguageIndex(ds)
    return [theme_summary(ds, c.id, language=shared, **options) for c in ds.children(None)]
