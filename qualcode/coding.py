"""The coding service: apply, remove, adjust, memo and undo/redo codings, each in one audited transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from qualcode.domain import Coding, Provenance
from qualcode.errors import Conflict, InvalidInput, NotFound
from qualcode.store import audit, coders, convert, meta
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store.engine import Database

UNDOABLE = ("add", "delete", "update")
HISTORY_WINDOW = 2000


@dataclass(frozen=True, slots=True)
class HistoryStep:
    audit_id: int
    action: str
    coding_id: int


class CodingService:
    """Coding actions for one coder; every method commits before it returns."""

    def __init__(self, db: Database, coder: str):
        self.db = db
        from qualcode.store.team import check_identity

        check_identity(db, coder.strip())
        with db.transaction() as session:
            self.coder = coders.get_or_add(session, coder)
        # The name as stored (trimmed): audit entries and the undo history look coders up by it.
        self.coder_name = self.coder.name

    def apply(
        self,
        document: str | int,
        start: int,
        end: int,
        code: str | int,
        *,
        provenance: Provenance = Provenance.MANUAL,
        memo: str | None = None,
        candidate_quote: bool = False,
    ) -> Coding:
        with self.db.transaction() as session:
            doc = doc_repo.resolve(session, document)
            _check_span(doc.text, start, end)
            target = code_repo.resolve(session, code)
            row, created = coding_repo.insert_unless_present(session, dict(
                guid=str(uuid.uuid4()),
                document_id=doc.id,
                start=start,
                end=end,
                code_id=target.id,
                coder_id=self.coder.id,
                provenance=str(Provenance(provenance)),
                codebook_version=meta.codebook_version(session),
                memo=memo,
                candidate_quote=candidate_quote,
            ))
            if created:
                audit.record(session, "add", "coding", row.id, coder=self.coder_name, after=convert.coding_state(row))
            return convert.coding(row)

    def remove(self, coding_id: int) -> Coding:
        with self.db.transaction() as session:
            row = self._own_row(session, coding_id)
            before = convert.coding_state(row)
            result = convert.coding(row)
            coding_repo.delete_row(session, row)
            audit.record(session, "delete", "coding", coding_id, coder=self.coder_name, before=before)
            return result

    def adjust(self, coding_id: int, start: int, end: int) -> Coding:
        return self._update(coding_id, start=start, end=end)

    def set_memo(self, coding_id: int, memo: str | None) -> Coding:
        return self._update(coding_id, memo=memo or None)

    def mark_candidate(self, coding_id: int, candidate: bool = True) -> Coding:
        return self._update(coding_id, candidate_quote=candidate)

    def _update(self, coding_id: int, **changes) -> Coding:
        with self.db.transaction() as session:
            row = self._own_row(session, coding_id)
            if "start" in changes:
                _check_span(doc_repo.text_of(session, row.document_id), changes["start"], changes["end"])
            before = convert.coding_state(row)
            coding_repo.change_row(session, row, changes)
            audit.record(session, "update", "coding", row.id, coder=self.coder_name, before=before, after=convert.coding_state(row))
            return convert.coding(row)

    def _own_row(self, session, coding_id: int):
        """This coder's coding as the store's row (it stays in the transaction), or NotFound / Conflict."""
        row = coding_repo.get_row(session, coding_id)
        if row is None:
            raise NotFound(f"no coding with id {coding_id}")
        if row.coder_id != self.coder.id:
            raise Conflict(f"coding {coding_id} belongs to another coder; {self.coder_name} cannot change it")
        return row

    # Undo and redo replay the audit log, so the history survives a restart.

    def history(self) -> tuple[list[HistoryStep], list[HistoryStep]]:
        """(done, undone) stacks for this coder, rebuilt from the audit log."""
        with self.db.reading() as session:
            rows = audit.coding_steps(session, self.coder_name, HISTORY_WINDOW)
        done: list[HistoryStep] = []
        undone: list[HistoryStep] = []
        steps: dict[int, HistoryStep] = {}
        for row in reversed(rows):
            if row.action in UNDOABLE:
                step = HistoryStep(row.id, row.action, row.coding_id)
                steps[row.id] = step
                done.append(step)
                undone.clear()
            elif row.action == "undo":
                ref = steps.get((row.after or {}).get("undoes"))
                if ref is not None and done and done[-1] is ref:
                    undone.append(done.pop())
            elif row.action == "redo":
                ref = steps.get((row.after or {}).get("redoes"))
                if ref is not None and undone and undone[-1] is ref:
                    done.append(undone.pop())
        return done, undone

    def undo(self) -> HistoryStep | None:
        done, _ = self.history()
        return self._replay(done[-1], "undo") if done else None

    def redo(self) -> HistoryStep | None:
        _, undone = self.history()
        return self._replay(undone[-1], "redo") if undone else None

    def _replay(self, step: HistoryStep, action: str) -> HistoryStep:
        """Undo puts back the step's `before` state, redo its `after`; either is itself audited."""
        with self.db.transaction() as session:
            original = audit.coding_step(session, step.audit_id)
            if original is None or original.coder != self.coder_name:
                raise Conflict(f"step {step.audit_id} is not one of {self.coder_name}'s codings; nothing was changed")
            if action == "undo":
                target, current, link = original.before, original.after, "undoes"
            else:
                target, current, link = original.after, original.before, "redoes"
            # Raises before the audit entry is written, so a blocked replay commits nothing.
            self._restore(session, target, step.coding_id)
            audit.record(session, action, "coding", step.coding_id, coder=self.coder_name,
                         before=current, after={link: step.audit_id, "state": target})
        return step


    def _restore(self, session, wanted: dict | None, coding_id: int) -> None:
        """Make the coding look like `wanted` (None = absent); only this coder's own coding, checked row by row."""
        if wanted is not None and wanted.get("coder_id", self.coder.id) != self.coder.id:
            raise Conflict(f"coding {coding_id} belongs to another coder; {self.coder_name} cannot restore it")
        row = coding_repo.get_row(session, coding_id)
        if row is not None and row.coder_id != self.coder.id:
            raise Conflict(f"coding {coding_id} belongs to another coder; {self.coder_name} cannot change it")
        if wanted is None:
            if row is not None and coding_repo.delete_own(session, coding_id, self.coder.id) != 1:
                # e.g. a row policy hid it: the undo did not happen, so it is not recorded
                raise Conflict(f"coding {coding_id} could not be removed; nothing was changed")
            return
        if row is None:
            coding_repo.insert_state(session, wanted)
            return
        changes = {k: wanted[k] for k in ("start", "end", "code_id", "memo", "candidate_quote", "provenance") if k in wanted}
        if coding_repo.update_own(session, coding_id, self.coder.id, changes) != 1:
            raise Conflict(f"coding {coding_id} could not be changed; nothing was changed")


def _check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise InvalidInput(f"span {start}-{end} is outside the document (0-{len(text)}) or empty")
