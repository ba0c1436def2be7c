"""Theme summaries: counts, distinctive language, representative quotes, co-occurring codes and memos."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.analysis.cooccurrence import Cooccurrence, cooccurring_with
from qualcode.analysis.counts import ThemeCounts, group_counts
from qualcode.analysis.dataset import Dataset
from qualcode.analysis.language import Distinctive, LanguageIndex
from qualcode.analysis.quotes import Quote, representative_quotes
from qualcode.analysis.themes import resolve_theme


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
    """Everything about one theme: a code with its descendants, `set:NAME` or `a,b` (codes together).

    Pass a shared LanguageIndex when summarising many themes.
    """
    theme = resolve_theme(ds, code_ref)
    spans = ds.passages_of(theme.code_ids)
    distinctive = None
    if with_language:
        distinctive = (language or LanguageIndex(ds)).distinctive(theme.code_ids, top=terms)
    memos = [m for code_id in theme.memo_codes for m in ds.code_memos(code_id)]
    return ThemeSummary(
        path=theme.label,
        description=theme.description,
        valence=theme.valence,
        counts=group_counts(ds, theme.code_ids, theme.label, code_id=theme.code_id),
        language=distinctive,
        quotes=tuple(representative_quotes(ds, spans, quotes)),
        cooccurring=tuple(cooccurring_with(ds, theme.code_ids, theme.leave_out, cooccurring_limit)),
        memos=tuple(MemoNote(m.title or "", m.text) for m in memos),
        children=theme.members,
    )


def top_level_summaries(ds: Dataset, **options) -> list[ThemeSummary]:
    """One summary per top-level code (its theme includes every descendant), sharing one language index."""
    shared = options.pop("language", None) or LanguageIndex(ds)
    return [theme_summary(ds, c.id, language=shared, **options) for c in ds.children(None)]
