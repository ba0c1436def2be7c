"""Participant attribute names: one meaning per name, whatever its case, spaces or punctuation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\W_]+")


def attribute_norm(name: str) -> str:
    """`Care setting`, `care-setting` and `CARE_SETTING` are one attribute: `care_setting`."""
    return _SEPARATORS.sub("_", str(name).casefold()).strip("_")


def spellings_by_meaning(keys: Iterable[str]) -> dict[str, list[str]]:
    """Stored attribute keys (one per participant who has it) grouped by meaning, commonest spelling first."""
    counts = Counter(keys)
    grouped: dict[str, list[str]] = {}
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        grouped.setdefault(attribute_norm(key), []).append(key)
    return grouped
