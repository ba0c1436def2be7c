"""The workbench's headless session: one project, one coder, blind-mode visibility and cached lookups (no textual)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.coding import CodingService
from qualcode.domain import Code, Coding, Document, Participant, Segment
from qualcode.errors import PermissionDenied
from qualcode.store import audit, coders, meta
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store import memos as memo_repo
from qualcode.store import participants as participant_repo
from qualcode.store.engine import Database

# Code colours when a code has none of its own: distinct on dark and light backgrounds.
PALETTE = (
    "#e6550d", "#3182bd", "#31a354", "#756bb1", "#d6616b", "#17becf", "#bcbd22", "#e377c2",
    "#8c6d31", "#637939", "#7b4173", "#843c39", "#393b79", "#ff7f0e", "#2ca02c", "#9467bd",
)


@dataclass(frozen=True, slots=True)
class OpenDocument:
    """A document as the reader needs it: text, turns and the participant label of each turn."""

    document: Document
    segments: list[Segment]
    labels: dict[int, str] = field(default_factory=dict)  # participant id -> label


class Workbench:
    """What every screen shares: the database, the coding service for the current coder, and visibility rules."""

    def __init__(self, db: Database, url: str, coder: str):
        self.db = db
        self.url = url
        self.service = CodingService(db, coder)
        self._codes: list[Code] | None = None

    # identity and blind mode -------------------------------------------------

    @property
    def coder(self) -> str:
        return self.service.coder_name

    @property
    def coder_id(self) -> int:
        return self.service.coder.id

    def switch_coder(self, name: str) -> None:
        self.service = CodingService(self.db, name.strip())

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.db.reading() as session:
            return meta.get(session, key, default)

    def owner(self) -> str | None:
        """project_meta "owner", else the first coder ever added."""
        with self.db.reading() as session:
            owner = meta.get(session, "owner")
            if owner:
                return owner
            first = min(coders.list_all(session), key=lambda c: c.id, default=None)
            return first.name if first else None

    def is_owner(self) -> bool:
        return self.owner() == self.coder

    @property
    def blind(self) -> bool:
        """True while other coders' work is hidden: blind mode on and not yet revealed."""
        return self.setting("blind_mode") == "on" and self.setting("revealed") != "on"

    def set_project_flag(self, key: str, on: bool) -> None:
        """Blind mode and reveal belong to the project owner."""
        if not self.is_owner():
            raise PermissionDenied(f"only the project owner ({self.owner()}) can change {key.replace('_', ' ')}")
        with self.db.transaction() as session:
            meta.put(session, key, "on" if on else "off")
            audit.record(session, "update", "project", None, coder=self.coder, after={key: "on" if on else "off"})

    def visible(self, codings: list[Coding]) -> list[Coding]:
        if not self.blind:
            return codings
        return [c for c in codings if c.coder_id == self.coder_id]

    # codes ---------------------------------------------------------------------

    def codes(self, refresh: bool = False) -> list[Code]:
        if self._codes is None or refresh:
            with self.db.reading() as session:
                self._codes = code_repo.list_all(session)
        return self._codes

    def code(self, code_id: int) -> Code | None:
        return next((c for c in self.codes() if c.id == code_id), None)

    def colour(self, code: Code) -> str:
        return code.colour or PALETTE[code.id % len(PALETTE)]

    def code_counts(self) -> dict[int, tuple[int, int | None]]:
        """code id -> (my codings, all codings or None while blind)."""
        with self.db.reading() as session:
            rows = coding_repo.count_by_code_and_coder(session)
        mine: dict[int, int] = {}
        every: dict[int, int] = {}
        for code_id, coder_id, count in rows:
            every[code_id] = every.get(code_id, 0) + count
            if coder_id == self.coder_id:
                mine[code_id] = mine.get(code_id, 0) + count
        blind = self.blind
        return {c.id: (mine.get(c.id, 0), None if blind else every.get(c.id, 0)) for c in self.codes()}

    # documents and codings -----------------------------------------------------

    def open_document(self, document_id: int) -> OpenDocument:
        with self.db.reading() as session:
            doc = doc_repo.get(session, document_id)
            segments = doc_repo.segments(session, document_id)
            labels = {p.id: p.label for p in participant_repo.list_all(session)}
        return OpenDocument(doc, segments, labels)

    def document_codings(self, document_id: int) -> list[Coding]:
        with self.db.reading() as session:
            found = coding_repo.query(session, coding_repo.CodingFilter(document_id=document_id))
        return self.visible(found)

    def coder_names(self) -> dict[int, str]:
        with self.db.reading() as session:
            return coding_repo.coder_names(session)

    def participants(self) -> list[Participant]:
        with self.db.reading() as session:
            return participant_repo.list_all(session)

    def recent_activity(self, limit: int = 12):
        with self.db.reading() as session:
            return audit.entries(session, limit=limit)

    def describe_step(self, verb: str, step) -> str:
        """A toast after undo or redo that says what happened: "Undid: coding 'community/site' on interview-01"."""
        with self.db.reading() as session:
            entry = audit.coding_step(session, step.audit_id)
            state = ((entry.after or entry.before) if entry else None) or {}
            title = doc_repo.title_of(session, state["document_id"]) if state.get("document_id") else None
        code = self.code(state["code_id"]) if state.get("code_id") else None
        what = {"add": "coding", "remove": "removal of coding", "update": "change to coding"}.get(
            step.action, f"{step.action} of coding")
        named = f" '{code.path}'" if code else ""
        where = f" on {title}" if title else ""
        return f"{verb}: {what}{named}{where}"

    # memos: the reader's document memo is the coder's own memo on that document --------------

    def document_memo(self, document_id: int) -> str:
        with self.db.reading() as session:
            return memo_repo.coder_document_memo(session, document_id, self.coder_id)

    def set_document_memo(self, document_id: int, text: str) -> None:
        with self.db.transaction() as session:
            memo_repo.set_coder_document_memo(session, document_id, self.coder_id, text, coder=self.coder)

    def pinned_codes(self, pinned_ids: list[int]) -> list[Code]:
        """Codes on keys 1-9: the user's pins, else the first leaf codes in tree order."""
        codes = self.codes()
        by_id = {c.id: c for c in codes}
        chosen = [by_id[i] for i in pinned_ids if i in by_id]
        if not chosen:
            parents = {c.parent_id for c in codes}
            chosen = [c for c in codes if c.id not in parents]
        return chosen[:9]

    def progress(self) -> list[tuple[str, int, int]]:
        """(coder, codings, documents touched) per coder; only oneself while blind."""
        with self.db.reading() as session:
            rows = coding_repo.progress_by_coder(session)
            names = coding_repo.coder_names(session)
        blind = self.blind
        return sorted(
            (names.get(cid, "?"), n, docs) for cid, n, docs in rows if not blind or cid == self.coder_id
        )

    def doc_coding_counts(self) -> dict[int, int]:
        with self.db.reading() as session:
            return coding_repo.count_by_document(session, self.coder_id if self.blind else None)
