"""One consistent read of everything a REFI-QDA export needs."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.domain import Code, Coder, Coding, Document, Memo, Participant
from qualcode.domain.sets import DocumentSet
from qualcode.refi.model import PROJECT_GUID_KEY, derived_guid
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store import interchange
from qualcode.store import memos as memo_repo
from qualcode.store import meta
from qualcode.store import participants as participant_repo
from qualcode.store import sets as set_repo
from qualcode.store.engine import Database


@dataclass(slots=True)
class Snapshot:
    name: str
    project_guid: str
    documents: list[Document]
    codes: list[Code]
    codings: list[Coding]
    coders: list[Coder]
    participants: list[Participant]
    links: list[tuple[int, int]]  # (document_id, participant_id)
    memos: list[Memo]
    sets: list[DocumentSet]


def read_snapshot(db: Database) -> Snapshot:
    with db.reading() as session:
        return Snapshot(
            name=meta.get(session, "name") or "qualcode project",
            # No stored project GUID: a fixed derived one keeps exports byte-identical without writing.
            project_guid=meta.get(session, PROJECT_GUID_KEY) or derived_guid("project"),
            documents=doc_repo.list_all(session),
            codes=code_repo.list_all(session),
            codings=coding_repo.all_codings(session),
            coders=sorted(coder_repo.list_all(session), key=lambda c: c.id),
            participants=sorted(participant_repo.list_all(session), key=lambda p: p.id),
            links=sorted(interchange.document_links(session)),
            memos=memo_repo.list_all(session),
            sets=set_repo.list_all(session),
        )
