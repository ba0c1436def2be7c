"""The values suggesters exchange and the two Protocols every suggester part follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class CodeProfile:
    """What a suggester knows about one code of the codebook."""

    id: int
    path: str
    name: str
    description: str = ""
    inclusion: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    exclusion: str = ""  # what the code is not: evidence against it (definitions' `exclusion` weight)

    @property
    def definition(self) -> str:
        """The code's own words: name, description, inclusion criteria, examples and keywords."""
        name = self.name.replace("-", " ").replace("_", " ")
        return " ".join([name, self.description, self.inclusion, *self.examples, ", ".join(self.keywords)]).strip()


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A piece of text, optionally located in a document and labelled with the codes applied to it.

    `before` and `after` are the texts of the segments around it, `position` how far into its document
    it starts (0 to 1), `speaker` who said it; a text of unknown place has none of them.
    """

    text: str
    codes: frozenset[int] = frozenset()
    document_id: int | None = None
    segment_index: int | None = None
    start: int = 0
    end: int = 0
    before: str = ""
    after: str = ""
    position: float | None = None
    speaker: str = ""


def as_excerpt(item: str | Excerpt) -> Excerpt:
    return item if isinstance(item, Excerpt) else Excerpt(item)


def text_of(item: str | Excerpt) -> str:
    return item.text if isinstance(item, Excerpt) else item


@dataclass(frozen=True, slots=True)
class Evidence:
    """One component's opinion of one code for one text: a score in [0, 1] and why."""

    score: float
    keywords: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    similar: tuple[Excerpt, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A code proposed for a text, with a confidence in [0, 1] and the reasons behind it."""

    code_id: int
    code_path: str
    confidence: float
    keywords: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    similar: tuple[Excerpt, ...] = ()
    components: dict[str, float] = field(default_factory=dict)
    penalised: bool = False

    def explanation(self) -> str:
        """One line a person can read: which words matched, which features weighed, what it resembles."""
        parts = []
        if self.keywords:
            parts.append("keywords: " + ", ".join(self.keywords))
        if self.features:
            parts.append("features: " + ", ".join(self.features))
        if self.similar:
            closest = " ".join(self.similar[0].text.split())
            closest = closest if len(closest) <= 60 else closest[:59] + "…"
            more = f" (+{len(self.similar) - 1} more)" if len(self.similar) > 1 else ""
            parts.append(f'like coded "{closest}"{more}')
        if self.penalised:
            parts.append("down-weighted: dismissed before")
        if not parts:
            parts.append("close to the code's definition" if self.components else "no evidence for it (ranked to fill the list)")
        return "; ".join(parts)


@runtime_checkable
class Component(Protocol):
    """A scorer the ranker combines; `fit` learns from the codebook and labelled excerpts, returns self."""

    name: str

    def fit(self, codes: Sequence[CodeProfile], excerpts: Sequence[Excerpt]) -> Component: ...

    def score_many(self, texts: Sequence[str]) -> list[dict[int, Evidence]]: ...


@runtime_checkable
class Suggester(Protocol):
    """Anything that ranks codes for texts; the CLI, the TUI, autocode and evaluation use only this."""

    def suggest(self, text: str, top_k: int = 5) -> list[Suggestion]: ...

    def suggest_many(self, texts: Sequence[str], top_k: int = 5) -> list[list[Suggestion]]: ...
