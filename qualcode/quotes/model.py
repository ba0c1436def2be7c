"""Values of a quote bank: a quote, its redactions and the settings a bank was built with."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

UNREVIEWED = "unreviewed"
ACCEPTED = "accepted"
STATUSES = (UNREVIEWED, ACCEPTED)
DEFAULT_BANK = "default"
MANUAL_LAYER = "manual"


@dataclass(frozen=True, slots=True)
class Redaction:
    """[start, end) in the quote's original text, what replaced it, and whether it is still applied.

    A reviewer's undo keeps the entry with `active=False`, so the decision survives a re-mask.
    """

    start: int
    end: int
    type: str
    layer: str
    replacement: str
    reason: str = ""
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Redaction:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            type=str(data["type"]),
            layer=str(data["layer"]),
            replacement=str(data["replacement"]),
            reason=str(data.get("reason", "")),
            active=bool(data.get("active", True)),
        )

    def undone(self) -> Redaction:
        return replace(self, active=False)


@dataclass(frozen=True, slots=True)
class BankQuote:
    """One quote of a bank as stored; `original` is filled only when the caller asks for it."""

    id: int
    bank: str
    document_id: int
    start: int
    end: int
    code_id: int | None
    coding_id: int | None
    participant_id: int | None
    masked_text: str
    attribution: str
    redactions: tuple[Redaction, ...]
    status: str
    rank: float
    code_path: str = ""
    candidate: bool = False

    @property
    def reviewed(self) -> bool:
        return self.status == ACCEPTED

    @property
    def active_redactions(self) -> list[Redaction]:
        return [r for r in self.redactions if r.active]


@dataclass(frozen=True, slots=True)
class BankSettings:
    """How a bank was built, kept in project_meta so a rebuild and a review use the same rules."""

    codes: tuple[str, ...] = ()
    max_words: int = 60
    attributes: tuple[str, ...] = ()
    k: int = 3
    limit: int = 12
    generalise: tuple[str, ...] = ()
    coarsen: bool = True
    use_ner: bool = True
    marked_only: bool = False  # only passages a coder marked as candidate quotes
    # Terms a reviewer redacted by hand: masked in every later build of the bank.
    deny: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BankSettings:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        for name in ("codes", "attributes", "generalise"):
            if name in known:
                known[name] = tuple(known[name])
        return cls(**known)
