"""The anonymiser: roster, NER and pattern layers, allow/deny lists, merged spans, masking."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

from .lexicon import (
    DEFAULT_ALLOWLIST,
    LEGAL_WORDS,
    SECTOR_WORDS,
    MONTHS,
    NAME_WORDS,
    WEEKDAYS,
    name_in_context,
    sentence_initial,
    word_after,
)
from .name_context import find_names_in_context
from .paired_names import paired_names
from .name_lexicon import IDIOMS, find_lexicon_names, find_titled_names
from .ner import DEFAULT_NER_LABELS, ner_spans
from .patterns import find_patterns
from .quasi_patterns import find_quasi_patterns
from .pseudonyms import FIXED_TYPES, Policy, PseudonymKey, normalise_mention
from .roster import Roster, RosterEntry
from .roster_match import RosterMatcher, unique_roles
from .spans import Layer, Span, merge_spans


@dataclass(frozen=True, slots=True)
class MaskResult:
    """The masked text and the merged spans (offsets into the original text) it replaced."""

    text: str
    spans: list[Span]
    replacements: list[str]


class Anonymiser:
    """Finds identifying spans in text and replaces them with consistent pseudonyms.

    `denylist` maps terms to a type (or lists terms, typed OTHER) that are always masked;
    `allowlist` terms are never masked unless the roster or denylist names them.
    `models` overrides which spaCy packages to try (see qualcode.nlp.pipeline); `()` runs
    without NER, as on a machine with no English model.
    """

    def __init__(
        self,
        roster: Roster | None = None,
        allowlist: Iterable[str] = DEFAULT_ALLOWLIST,
        denylist: Mapping[str, str] | Iterable[str] = (),
        use_ner: bool = True,
        policy: Policy | None = None,
        ner_labels: Sequence[str] = DEFAULT_NER_LABELS,
        fuzzy: bool = True,
        models: Sequence[str] | None = None,
    ) -> None:
        self.roster = roster or Roster()
        self.allowlist = tuple(allowlist)
        self.denylist = dict(denylist) if isinstance(denylist, Mapping) else {t: "OTHER" for t in denylist}
        self.use_ner = use_ner
        self.policy = policy or Policy()
        self.ner_labels = tuple(ner_labels)
        self.models = None if models is None else tuple(models)
        self.roster_matcher_ = RosterMatcher(self.roster, fuzzy=fuzzy) if self.roster else None
        # A role held by one person names them: a generalised person is "a person", not "a ward manager".
        unique = set() if self.policy.action("JOB") == "keep" else {r.key[len("role:"):] for r in unique_roles(self.roster)}
        self.entries_ = {e.key: replace(e, role=None) if e.key in unique else e for e in self.roster.entries}
        self.allowed_ = frozenset(normalise_mention(term) for term in self.allowlist)
        self.allow_re_ = _alternation(self.allowlist, flags=0)
        self.deny_re_ = _alternation(self.denylist, flags=re.IGNORECASE)
        self.deny_types_ = {term.casefold(): type_ for term, type_ in self.denylist.items()}
        self.pipeline_info_ = None

    def detect(self, text: str) -> list[Span]:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str], *, every_roster_form: bool = False) -> list[list[Span]]:
        """Merged spans per text; spaCy sees all texts in batches.

        every_roster_form: mask a listed roster form even where it reads as a word ("I hope" for a
        participant called Hope). For output that no reviewer sees before it leaves (a REFI export),
        where a quote bank would withhold such a quote at its final scan instead.
        """
        texts = list(texts)
        ner = self._ner(texts)
        return [self._detect_one(text, found, every_roster_form) for text, found in zip(texts, ner)]

    def mask(self, text: str, key: PseudonymKey | None = None) -> MaskResult:
        return self.mask_many([text], key)[0]

    def mask_many(
        self, texts: Sequence[str], key: PseudonymKey | None = None, *, every_roster_form: bool = False
    ) -> list[MaskResult]:
        """Mask every text with one key, so one entity reads the same across the bank (detect_many for the flag)."""
        key = key if key is not None else PseudonymKey()
        texts = list(texts)
        results = []
        for text, spans in zip(texts, self.detect_many(texts, every_roster_form=every_roster_form)):
            pieces, replacements, cursor = [], [], 0
            spans = [s for s in spans if self.policy.masks(s)]
            for span in spans:
                surface = text[span.start : span.end]
                before = text[max(0, span.start - 20) : span.start]
                replacement = self.policy.replacement(span, surface, key, self._entry(span), before=before)
                if replacement[:1].islower() and sentence_initial(text, span.start):
                    replacement = replacement[0].upper() + replacement[1:]
                pieces += [text[cursor : span.start], replacement]
                replacements.append(replacement)
                cursor = span.end
            pieces.append(text[cursor:])
            results.append(MaskResult("".join(pieces), spans, replacements))
        return results

    def _entry(self, span: Span) -> RosterEntry | None:
        return self.entries_.get(span.entity) if span.entity else None

    def _ner(self, texts: list[str]) -> list[list[Span]]:
        if not self.use_ner:
            return [[] for _ in texts]
        from qualcode.nlp.pipeline import DEFAULT_PREFER, NER_ONLY_DISABLE, load_pipeline

        loaded = load_pipeline(disable=NER_ONLY_DISABLE, prefer=DEFAULT_PREFER if self.models is None else self.models)
        self.pipeline_info_ = loaded.info
        if not loaded.has_ner:
            return [[] for _ in texts]
        return list(ner_spans(loaded.nlp, texts, self.ner_labels))

    def _detect_one(self, text: str, ner_found: list[Span], every_roster_form: bool = False) -> list[Span]:
        trusted: list[Span] = []
        if self.roster_matcher_ is not None:
            trusted += self.roster_matcher_.find(text, every_form=every_roster_form)
        if self.deny_re_ is not None:
            for m in self.deny_re_.finditer(text):
                type_ = self.deny_types_.get(m.group().casefold(), "OTHER")
                trusted.append(Span(m.start(), m.end(), type_, Layer.DENYLIST, "denylist"))
        guessed = [
            *find_patterns(text),
            *find_names_in_context(text),
            *find_lexicon_names(text),
            *find_titled_names(text),
            *find_quasi_patterns(text),
            *ner_found,
        ]
        allowed = self._allowed_regions(text)
        guessed = [s for s in guessed if not self._is_allowed(text, s, allowed) and not _boilerplate(text, s)]
        guessed = _not_explained_by(trusted, guessed, text)
        merged = merge_spans(trusted + guessed)
        paired = [s for s in paired_names(text, merged) if not self._is_allowed(text, s, allowed)]
        if paired:
            merged = merge_spans(merged + paired)
        again = other_mentions(text, merged)
        return merge_spans(merged + again) if again else merged

    def _allowed_regions(self, text: str) -> list[tuple[int, int]]:
        idioms = [m.span() for m in IDIOMS.finditer(text)]  # "didn't know him from Adam"
        if self.allow_re_ is None:
            return idioms
        return idioms + [m.span() for m in self.allow_re_.finditer(text)]

    def _is_allowed(self, text: str, span: Span, regions: list[tuple[int, int]]) -> bool:
        if normalise_mention(text[span.start : span.end]) in self.allowed_:
            return True
        return any(a <= span.start and span.end <= b for a, b in regions)


_WORDS = re.compile(r"[^\W\d_]+")
_BOILERPLATE = LEGAL_WORDS | SECTOR_WORDS | {"of", "the", "and", "for", "on", "in", "to", "at"}


def _boilerplate(text: str, span: Span) -> bool:
    """'Rule 39', 'Article 8', 'the Government': words of procedure, no one's name."""
    if span.type in FIXED_TYPES or span.type == "JOB":
        return False
    words = _WORDS.findall(text, span.start, span.end)
    if words and words[-1].casefold() == "government":
        return True  # "the Turkish Government", "Welsh Government": a state, not a person's circle
    return bool(words) and all(w.casefold() in _BOILERPLATE for w in words)


def _alternation(terms: Iterable[str], flags: int) -> re.Pattern | None:
    """One word-bounded regex for many terms, longest first so "NHS England" beats "NHS"."""
    ordered = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)


def _not_explained_by(trusted: list[Span], guessed: list[Span], text: str) -> list[Span]:
    """Drop a model or pattern span that only joins roster names with small words.

    'St Aldric's Hospice in Brackley Vale' is two roster entries, each keeping its own pseudonym,
    not one new organisation.
    """
    if not trusted:
        return guessed
    covered = set()
    for span in trusted:
        covered.update(range(span.start, span.end))
    kept = []
    for span in guessed:
        if span.type in FIXED_TYPES:
            kept.append(span)  # an e-mail address holding a roster surname is still an address
            continue
        outside = [text[i] for i in range(span.start, span.end) if i not in covered]
        touches = len(outside) < span.end - span.start
        if touches and not any(c.isupper() or c.isdigit() for c in outside):
            continue
        kept.append(span)
    return kept


def other_mentions(text: str, spans: list[Span]) -> list[Span]:
    """Later mentions of a name a context rule or the model found once: 'Grace' after 'called Grace'."""
    found = {
        text[s.start : s.end]: s
        for s in spans
        if s.layer != Layer.ROSTER
        and s.type not in FIXED_TYPES
        and text[s.start : s.start + 1].isupper()
        and not _boilerplate(text, s)
    }
    names = sorted((name for name in found if len(name) >= 3 and name.strip() == name), key=len, reverse=True)
    if not names:
        return []
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(n) for n in names)})(?!\w)")
    taken = [(s.start, s.end) for s in spans]
    extra = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            continue
        if _word_not_name(text, start, end):
            continue
        source = found[match.group()]
        extra.append(Span(start, end, source.type, source.layer, f"another mention of '{match.group()}'"))
    return extra


# After a known name-word at a sentence start, these make it the word again: "Hope is", "Will you".
_WORD_SENSE_NEXT = frozenset("is was are were can could would will shall may might you we it i that this there".split())


def _word_not_name(text: str, start: int, end: int) -> bool:
    """For a word already found as a name in this text: is this mention the ordinary word?"""
    lower = text[start:end].casefold()
    if lower in MONTHS or lower in WEEKDAYS:
        return not name_in_context(text, start, end)
    if lower in NAME_WORDS and sentence_initial(text, start):
        return word_after(text, end) in _WORD_SENSE_NEXT and not name_in_context(text, start, end)
    return False


def final_scan(text: str, roster: Roster) -> list[Span]:
    """Re-check an exported text: every roster name, alias or name token still in it.

    Uses the detection rules (misspellings included, name-words like "hope" only where they
    name someone), without NER or patterns: the question is only whether a listed name leaked.
    """
    if not roster:
        return []
    return RosterMatcher(roster, fuzzy=True).find(text)
