"""Ordinary English words (Webster's Second, lowercase entries only) and a light inflection test."""

from __future__ import annotations

from functools import lru_cache

# Forms the dictionary holds only as their stem: "teams", "funding", "didn't", "nurse's".
_CLITICS = ("n't", "'s", "'m", "'ve", "'d", "'re", "'ll", "'")
_SUFFIXES = (
    ("ies", "y"), ("ied", "y"), ("ier", "y"),
    ("iest", "y"), ("ily", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
    ("d", ""), ("er", ""), ("er", "e"), ("est", ""), ("ly", ""), ("ness", ""), ("ment", ""), ("ers", ""),
)
# Modern words Webster's Second (1934) predates; lowercase, as they are ordinary words now.
_MODERN = frozenset(
    """cafe café okay ok online email emails website internet covid lockdown zoom app apps phone
    phones mobile laptop smartphone teenager teenagers carers carer wellbeing helpline podcast
    whatsapp facebook texted texting codebook codebooks i""".split()
)


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from english_words import get_english_words_set  # ~0.1 s; only when an export is scanned

    # Webster's capitalises proper nouns ("Aldous"), so its lowercase entries are the ordinary words.
    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()) | _MODERN


def _doubled(stem: str) -> str:
    """'stopped' -> 'stop': a doubled final consonant before -ed/-ing."""
    return stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou" else stem


def is_ordinary(token: str) -> bool:
    """Whether a word (any case) is an ordinary English word or a regular inflection of one."""
    word = token.casefold().replace("’", "'")
    for clitic in _CLITICS:
        if word.endswith(clitic) and len(word) > len(clitic):
            word = word[: -len(clitic)]
            break
    words = _words()
    if word in words:
        return True
    for suffix, added in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            if stem + added in words or _doubled(stem) + added in words:
                return True
    return False
