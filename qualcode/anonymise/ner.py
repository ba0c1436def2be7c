"""The NER layer: spaCy entities mapped to anonymiser types, with the model's usual slips filtered."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .lexicon import (
    COMMON_CAPITALISED,
    LEGAL_WORDS,
    MONTHS,
    NAME_WORDS,
    SECTOR_WORDS,
    WEEKDAYS,
    name_in_context,
    sentence_initial,
)
from .spans import Layer, Span

# spaCy label -> anonymiser type.
NER_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "TOWN",
    "LOC": "TOWN",
    "FAC": "PLACE",
    "DATE": "DATE",
    "NORP": "NORP",
}
# NORP (nationalities, faiths) is off by default: faith and ethnic groups are what community
# research talks about, and they rarely identify anyone.
DEFAULT_NER_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "FAC", "DATE")

_BOILERPLATE = SECTOR_WORDS | LEGAL_WORDS | {"of", "the", "and", "for", "on", "in"}
# Measured on the demo corpus: pieces of a few thousand characters run ~40% faster than 20,000.
CHUNK_CHARS = 4_000
_EXACT_DATE = re.compile(r"\d")
_MONTH_WORD = re.compile(r"[A-Za-z]+")
_PARTICIPANT_LABEL = re.compile(r"^(?:[A-Z]{1,3}|ID)[:\- ]?\d+$")
_SPEAKER_BREAK = re.compile(r"[:<>\n]")
_TRAILING_WHEN = re.compile(
    r"\s+(?:on|in|at|during|since)\s+(?=\d|New Year|Christmas|Boxing|Easter|(?:"
    + "|".join(m.title() for m in sorted(MONTHS | WEEKDAYS))
    + r")\b)"
)
_LEADING = re.compile(r"^(?:the|a|an|our|my|their)\s+", re.I)
_TRAILING = re.compile(r"(?:['’]s?|[\s.,;:!?)\"]+)$")


def chunk_text(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut at line breaks (else sentence ends, else spaces) into pieces spaCy handles quickly."""
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(". ", start + size // 2, end - 1) + 1 or -1
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut >= 0 else end
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def ner_spans(
    nlp, texts: Iterable[str], labels: Iterable[str] = DEFAULT_NER_LABELS, batch_size: int = 128
) -> Iterator[list[Span]]:
    """One list of spans per text; long texts are cut into chunks and piped in batches."""
    wanted = frozenset(labels)
    texts = list(texts)
    pieces = [(i, offset, chunk) for i, text in enumerate(texts) for offset, chunk in chunk_text(text)]
    found: list[list[Span]] = [[] for _ in texts]
    docs = nlp.pipe((chunk for _, _, chunk in pieces), batch_size=batch_size)
    for (i, offset, _), doc in zip(pieces, docs):
        for ent in doc.ents:
            if ent.label_ in wanted:
                span = _clean(texts[i], offset + ent.start_char, offset + ent.end_char, ent.label_)
                if span is not None:
                    found[i].append(span)
    yield from found


def _clean(text: str, start: int, end: int, label: str) -> Span | None:
    raw = text[start:end]
    cut = _SPEAKER_BREAK.search(raw)
    if cut:
        raw = raw[: cut.start()]  # "Sunita Rai: Hello", "Kwame Mensah>Yeah": a label, then speech
        end = start + len(raw)
    when = _TRAILING_WHEN.search(raw)
    if when and label != "DATE":
        raw = raw[: when.start()]  # "Airedale on New Year's Eve": a place, then when
        end = start + len(raw)
    lead = _LEADING.match(raw)
    if lead:
        start += lead.end()
    trail = _TRAILING.search(text[start:end])
    if trail:
        end -= len(trail.group())
    if start >= end:
        return None
    surface = text[start:end]
    if not any(c.isupper() for c in surface) and label != "DATE":
        return None  # the small model tags lowercase phrases ("the ambitions") as ORG
    if _PARTICIPANT_LABEL.match(surface):
        return None  # "P07", "ID:729" are the study's own anonymised labels
    type_ = NER_TYPES[label]
    if label != "DATE" and all(w.casefold() in _BOILERPLATE for w in re.findall(r"\w+", surface)):
        return None  # "Advance Care Planning", "Hospice at Home": services, not identities
    if label == "DATE" and not _is_exact_date(surface):
        return None  # months, years and "last week" say little about who spoke
    words = surface.split()
    if len(words) == 1 and surface.casefold().split("-")[0] in COMMON_CAPITALISED:
        return None  # "Let me...", "Mum said", "Tick-box"
    if len(words) == 1 and surface.casefold() in (NAME_WORDS | MONTHS | WEEKDAYS):
        if label != "PERSON" or not name_in_context(text, start, end):
            return None
    if type_ == "PERSON":
        start, end = _widen_name(text, start, end)
        while (title := _TITLE_WORD.match(text, start, end)) and title.end() < end:
            start = title.end()  # "Mrs Thwaite", "Nurse Wojcik": the title says nothing about who
    if type_ == "ORG" and "hospice" in surface.casefold():
        type_ = "HOSPICE"
    elif type_ in ("ORG", "PLACE") and re.search(r"\bward\b", surface, re.I):
        type_ = "WARD"
    return Span(start, end, type_, Layer.NER, f"spaCy {label}")


_TITLE_WORD = re.compile(
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Revd?|Reverend|Sister|Father|Brother|Nurse|Matron|Sir|Dame|Lady|Lord)"
    r"\.?\s+"
)
_CAP_BEFORE = re.compile(r"([A-Z][a-z]+) $")
_CAP_AFTER = re.compile(r" ([A-Z][a-z]+)(?!\w)")


def _widen_name(text: str, start: int, end: int) -> tuple[int, int]:
    """The small model often tags only 'Nowak' of 'Tomasz Nowak': take in a capitalised neighbour."""
    before = _CAP_BEFORE.search(text, max(0, start - 30), start)
    if before and before.group(1).casefold() not in _NOT_NAME_NEIGHBOURS:
        if not sentence_initial(text, before.start(1)):
            start = before.start(1)
    after = _CAP_AFTER.match(text, end)
    if after and after.group(1).casefold() not in _NOT_NAME_NEIGHBOURS:
        end = after.end(1)
    return start, end


_NOT_NAME_NEIGHBOURS = MONTHS | WEEKDAYS | frozenset(
    "i the a an and but so then when if we they he she it our my nurse doctor dr mr mrs ms".split()
)


def _is_exact_date(surface: str) -> bool:
    """A date that places a moment: 'April 2022', '1949', 'Boxing Day'; not 'last week' or 'years'."""
    has_number = bool(re.search(r"\d", surface))
    words = {w.casefold() for w in _MONTH_WORD.findall(surface)}
    has_month = any(w in MONTHS or w in _MONTH_ABBR for w in words)
    if words & _RELATIVE:
        return False  # "last week", "two years ago": when, relative to nothing the reader knows
    return has_number or has_month or bool(words & _NAMED_DAYS)


# A date the model finds counts when it holds a number, a month or a named day.
_NAMED_DAYS = frozenset("christmas easter boxing eve hogmanay diwali eid ramadan passover".split())
_RELATIVE = frozenset("ago last next this these those previous following later earlier recent recently".split())


_MONTH_ABBR = frozenset(m[:3] for m in MONTHS)
