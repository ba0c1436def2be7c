"""Attribution labels ("P07, commissioner, focus group") and the k-anonymity check behind them.

A label discloses a participant's pseudonymous label plus chosen attributes; when the disclosed
attributes together fit fewer than k participants of the project, the label is coarsened by
dropping the most identifying attribute first, down to "Study participant".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import InvalidInput

GENERIC = "Study participant"
BUILT_IN = ("role", "kind")


@dataclass(frozen=True, slots=True)
class Profile:
    """What could be disclosed about one participant: role, document kinds, free attributes."""

    id: int
    label: str
    role: str | None = None
    kinds: frozenset[str] = frozenset()
    attributes: dict[str, str] = field(default_factory=dict)

    def matches(self, name: str, value: str) -> bool:
        if name == "role":
            return self.role == value
        if name == "kind":
            return value in self.kinds
        return str(self.attributes.get(name)) == value


@dataclass(frozen=True, slots=True)
class Disclosure:
    """A label as asked for, how many participants its attributes fit, and the label to use."""

    requested: str
    label: str
    matching: int
    k: int
    dropped: tuple[str, ...] = ()
    requested_matching: int = -1

    @property
    def risky(self) -> bool:
        """The label as asked for fits fewer than k participants (whether or not it was coarsened)."""
        asked = self.matching if self.requested_matching < 0 else self.requested_matching
        return asked < self.k

    def warning(self) -> str:
        asked = self.matching if self.requested_matching < 0 else self.requested_matching
        what = f"'{self.requested}' fits {asked} participant(s), fewer than k={self.k}"
        if self.label == self.requested:
            return what
        return f"{what}; coarser label: '{self.label}'" + (f" (dropped {', '.join(self.dropped)})" if self.dropped else "")


def profiles(session: Session) -> dict[int, Profile]:
    """Every participant's profile; kinds come from the documents they speak in."""
    from qualcode.store import participants as participant_repo
    from qualcode.store.orm import DocumentRow, SegmentRow

    kinds: dict[int, set[str]] = {}
    stmt = (
        select(SegmentRow.participant_id, DocumentRow.kind)
        .join(DocumentRow, DocumentRow.id == SegmentRow.document_id)
        .where(SegmentRow.participant_id.is_not(None))
        .distinct()
    )
    for participant_id, kind in session.execute(stmt):
        kinds.setdefault(participant_id, set()).add(kind_label(kind))
    return {
        p.id: Profile(p.id, p.label, p.role, frozenset(kinds.get(p.id, ())), {k: str(v) for k, v in p.attributes.items()})
        for p in participant_repo.list_all(session)
    }


def kind_label(kind: str) -> str:
    return str(kind).replace("_", " ")


def parse_attributes(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """'role,kind,region' -> ('role', 'kind', 'region'); 'label' is always shown first anyway."""
    items = text.split(",") if isinstance(text, str) else list(text or ())
    names = []
    for item in items:
        name = item.strip()
        if not name or name == "label":
            continue
        if not name.replace("_", "").replace("-", "").isalnum():
            raise InvalidInput(f"attribute '{name}' is not a plain name; use e.g. --attributes role,kind,region")
        names.append(name)
    return tuple(dict.fromkeys(names))


def disclosed(profile: Profile, kind: str | None, attributes: Sequence[str]) -> list[tuple[str, str]]:
    """(attribute, value) pairs the label would show, in the order asked; missing ones skipped."""
    pairs = []
    for name in attributes:
        if name == "role":
            value = profile.role
        elif name == "kind":
            value = kind_label(kind) if kind else None
        else:
            value = profile.attributes.get(name)
        if value not in (None, ""):
            pairs.append((name, str(value)))
    return pairs


def matching(everyone: Iterable[Profile], pairs: Sequence[tuple[str, str]]) -> int:
    return sum(1 for p in everyone if all(p.matches(n, v) for n, v in pairs))


def label_of(label: str | None, pairs: Sequence[tuple[str, str]]) -> str:
    parts = [label] if label else []
    parts += [value for _, value in pairs]
    return ", ".join(parts) if parts else GENERIC


def check(
    profile: Profile | None, kind: str | None, attributes: Sequence[str], everyone: Sequence[Profile], k: int,
    *, coarsen: bool = True,
) -> Disclosure:
    """The label for one quote; coarsened (when allowed) until its attributes fit at least k people."""
    if k < 1:
        raise InvalidInput(f"k must be at least 1, not {k}")
    if profile is None:
        return Disclosure(GENERIC, GENERIC, len(everyone), k, requested_matching=k)  # discloses nothing
    pairs = disclosed(profile, kind, attributes)
    requested = label_of(profile.label, pairs)
    count = matching(everyone, pairs)
    if count >= k or not coarsen:
        return Disclosure(requested, requested, count, k, requested_matching=count)
    asked, dropped = count, []
    while pairs and count < k:
        # Most identifying first: the attribute whose removal lets the most participants fit.
        def gain(i: int) -> tuple[int, int, int]:
            rest = pairs[:i] + pairs[i + 1 :]
            return (matching(everyone, rest), -matching(everyone, [pairs[i]]), i)

        worst = max(range(len(pairs)), key=gain)
        dropped.append(pairs[worst][0])
        pairs = pairs[:worst] + pairs[worst + 1 :]
        count = matching(everyone, pairs)
    label = label_of(profile.label, pairs) if count >= k else GENERIC
    return Disclosure(requested, label, count, k, tuple(dropped), asked)
