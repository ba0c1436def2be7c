"""Write a parsed RefiProject into a project session: match by GUID, then by path or name; never duplicate."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from qualcode.domain import DocumentKind, MemoTarget, Provenance, SegmentKind, Valence
from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment, trimmed_span
from qualcode.refi.model import RefiProject, coding_note_guid, derived_guid, unpack_description
from qualcode.refi.xml_out import CASE_DESCRIPTION, DATE_VARIABLE, KIND_VARIABLE, MEMO_JOIN, ROLE_VARIABLE
from qualcode.store import Session, audit, coders, meta
from qualcode.store import codes as code_repo
from qualcode.store import documents as doc_repo
from qualcode.store import interchange as rows
from qualcode.store import memos as memo_repo
from qualcode.store import participants as participant_repo
from qualcode.store import sets as set_repo

if TYPE_CHECKING:
    from qualcode.refi.import_ import ImportReport

TITLE_MAX = 500
NAME_MAX = 300
LABEL_MAX = 100


def _covered(description: str, texts: list[str]) -> bool:
    """True when a Description only repeats notes that arrive anyway (qualcode writes both forms)."""
    return not description or description in texts or description == MEMO_JOIN.join(texts)


def _unique(name: str, taken: set[str], limit: int) -> str:
    """name, or name (2), name (3)... not yet in `taken` (compared case-insensitively)."""
    base = name[:limit]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: limit - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


class Applier:
    def __init__(self, session: Session, project: RefiProject, report: ImportReport, coder: str | None):
        self.s = session
        self.p = project
        self.report = report
        self.actor = coder or f"refi import ({project.origin or 'unknown tool'})"
        self.user_ids: dict[str, int] = {}
        self.code_ids: dict[str, int] = {}
        self.doc_ids: dict[str, int] = {}
        self.note_text = {n.guid: n.text for n in project.notes}

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)

    def run(self) -> None:
        self._coders()
        self._codes()
        self._documents()
        self._cases()
        coding_notes = self._codings()
        self._memos(coding_notes)
        self._sets()
        audit.record(self.s, "import", "project", None, coder=self.actor,
                     after={"file": self.report.file, "origin": self.p.origin, "codings": self.report.codings_added})

    # -- coders ---------------------------------------------------------------------------

    def _coders(self) -> None:
        known = rows.ids_by_guid(self.s, "coder")
        listed = {u.guid: u.name for u in self.p.users}
        referenced = {c.user for s in self.p.sources for sel in s.selections for c in sel.codings if c.user}
        referenced |= {n.user for n in self.p.notes if n.user}
        for guid in sorted(referenced - set(listed)):
            listed[guid] = f"user {guid[:8]}"  # users referenced but not listed (seen in several exports)
        for guid, name in listed.items():
            if guid in known:
                self.user_ids[guid] = known[guid]
                continue
            before = rows.coder_id(self.s, name[:200])
            coder = coders.add(self.s, name[:200], guid=guid)
            self.user_ids[guid] = coder.id
            self.report.coders_added += before is None

    def _fallback_coder(self) -> int:
        name = f"{self.p.origin or 'REFI-QDA'} import"[:200]
        before = rows.coder_id(self.s, name)
        coder = coders.add(self.s, name)
        self.report.coders_added += before is None
        return coder.id

    # -- codes ----------------------------------------------------------------------------

    def _codes(self) -> None:
        existing = code_repo.list_all(self.s)
        by_guid = {c.guid.lower(): c for c in existing}
        by_path = {c.path.lower(): c for c in existing}
        paths: dict[str, str] = {}
        siblings: dict[int | None, set[str]] = {}
        for code in existing:
            siblings.setdefault(code.parent_id, set()).add(code.name.lower())
        added = 0
        for item in self.p.codes:
            name = item.name.replace("/", "\u2215").strip() or "unnamed code"
            if name != item.name.strip():
                self.warn(f"code '{item.name}': '/' separates paths in qualcode, stored as '{name}'")
            parent_id = self.code_ids.get(item.parent) if item.parent else None
            parent_path = paths.get(item.parent, "") if item.parent else ""
            path = f"{parent_path}/{name}" if parent_path else name
            match = by_guid.get(item.guid) or by_path.get(path.lower())
            if match is not None:
                self.code_ids[item.guid] = match.id
                paths[item.guid] = match.path
                self.report.codes_matched += 1
                continue
            unique = _unique(name, siblings.setdefault(parent_id, set()), NAME_MAX)
            description, extras = unpack_description(item.description)
            fields = {"description": description, "colour": item.colour}
            for key in ("inclusion", "exclusion", "examples", "keywords"):
                if key in extras:
                    fields[key] = extras[key]
            if extras.get("valence") in {v.value for v in Valence}:
                fields["valence"] = extras["valence"]
            row = rows.add_code(self.s, name=unique, parent_id=parent_id, guid=item.guid, fields=fields,
                                position=len(siblings[parent_id]) - 1, coder=self.actor)
            self.code_ids[item.guid] = row
            paths[item.guid] = f"{parent_path}/{unique}" if parent_path else unique
            added += 1
        if added:
            meta.bump_codebook_version(self.s)
        self.report.codes_added = added

    # -- documents --------------------------------------------------------------------------

    def _documents(self) -> None:
        existing = rows.ids_by_guid(self.s, "document")
        shas = rows.document_shas(self.s)
        titles = rows.document_titles(self.s)
        added: set[int] = set()
        for source in self.p.sources:
            sha = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
            match = existing.get(source.guid) or shas.get(sha)
            if match is not None and match in added:
                match, sha = None, None  # two sources of this file share a text: still two documents
            if match is not None:
                self.doc_ids[source.guid] = match
                self.report.documents_matched += 1
                continue
            variables = dict(source.variables)
            kind = variables.pop(KIND_VARIABLE, None)
            date = variables.pop(DATE_VARIABLE, None)
            refi_meta = {"origin": self.p.origin, "variables": variables}
            parsed = ParsedDocument(
                title=_unique(source.name, titles, TITLE_MAX),
                kind=DocumentKind(kind) if kind in {k.value for k in DocumentKind} else DocumentKind.OTHER,
                text=source.text, segments=_paragraphs(source.text), source_name=source.name, sha256=sha,
                date=(date or "")[:40] or None, meta={"refi": refi_meta},
            )
            doc_id = doc_repo.add_parsed(self.s, parsed, [], coder=self.actor, guid=source.guid)
            if source.created is not None:
                rows.set_document_created(self.s, doc_id, source.created)
            if sha:
                shas[sha] = doc_id
            added.add(doc_id)
            self.doc_ids[source.guid] = doc_id
            self.report.documents_added += 1

    # -- cases --------------------------------------------------------------------------

    def _cases(self) -> None:
        by_guid = rows.ids_by_guid(self.s, "participant")
        labels = rows.participant_labels(self.s)
        links: set[tuple[int, int]] = set()
        for case in self.p.cases:
            values = dict(case.variables)
            role = values.pop(ROLE_VARIABLE, None)
            if case.description:
                values.setdefault(CASE_DESCRIPTION, case.description)  # QualCoder's case memo
            pid = by_guid.get(case.guid)
            if pid is None:
                label = (case.name or f"case {case.guid[:8]}")[:LABEL_MAX]
                is_new = label.lower() not in labels
                pid = participant_repo.upsert(self.s, ParsedParticipant(label=label, role=role, attributes=values), coder=self.actor)
                if is_new:
                    rows.adopt_participant_guid(self.s, pid, case.guid)
                    labels.add(label.lower())
                    self.report.participants_added += 1
            links |= {(self.doc_ids[g], pid) for g in case.sources if g in self.doc_ids}
        rows.link_documents(self.s, links)

    # -- codings ----------------------------------------------------------------------------

    def _codings(self) -> dict[str, int]:
        """Insert codings; returns {note guid: coding id} for notes that belong to a coding."""
        version = meta.codebook_version(self.s)
        taken = set(rows.ids_by_guid(self.s, "coding"))
        existing = rows.coding_ids(self.s, set(self.doc_ids.values()))
        fallback: int | None = None
        values: list[dict] = []
        pending: dict[tuple, dict] = {}
        refs_by_key: list[tuple[tuple, list[str]]] = []
        for source in self.p.sources:
            doc_id = self.doc_ids[source.guid]
            for sel in source.selections:
                for coding in sel.codings:
                    code_id = self.code_ids.get(coding.code)
                    if code_id is None:
                        self.warn(f"{source.name}: a coding names code {coding.code}, which is not in the codebook; skipped")
                        self.report.codings_skipped += 1
                        continue
                    user = coding.user or sel.user
                    if user in self.user_ids:
                        coder_id = self.user_ids[user]
                    else:
                        fallback = fallback or self._fallback_coder()
                        coder_id = fallback
                    key = (doc_id, sel.start, sel.end, code_id, coder_id)
                    refs = coding.note_refs + (sel.note_refs if sel.codings[0] is coding else [])
                    refs_by_key.append((key, refs))
                    # The selection's Description is the memo of each of its codings (QualCoder, MAXQDA).
                    memo = "" if _covered(sel.description, [self.note_text[r] for r in refs if r in self.note_text]) else sel.description
                    if key in existing or key in pending:  # one selection per coding, or already here
                        if key in pending and memo and not pending[key].get("memo"):
                            pending[key]["memo"] = memo
                            self.report.coding_memos_added += 1
                        self.report.codings_skipped += 1
                        continue
                    guid = coding.guid if coding.guid and coding.guid not in taken else str(uuid.uuid4())
                    taken.add(guid)
                    value = {"guid": guid, "document_id": doc_id, "start": sel.start, "end": sel.end, "code_id": code_id,
                             "coder_id": coder_id, "provenance": str(Provenance.IMPORT), "codebook_version": version}
                    if coding.created or sel.created:
                        value["created"] = coding.created or sel.created
                    value["memo"] = memo or None  # every row the same keys: one bulk insert
                    self.report.coding_memos_added += bool(memo)
                    pending[key] = value
                    values.append(value)
        rows.add_codings(self.s, values, self.actor)
        self.report.codings_added = len(values)
        ids = rows.coding_ids(self.s, set(self.doc_ids.values())) if values else existing
        owners: dict[str, int] = {}
        for key, refs in refs_by_key:
            for ref in refs:
                owners.setdefault(ref, ids[key])
        return owners

    # -- memos --------------------------------------------------------------------------

    def _memos(self, coding_notes: dict[str, int]) -> None:
        taken = set(rows.ids_by_guid(self.s, "memo"))
        targets: dict[str, tuple[MemoTarget, int | None]] = {}
        for ref in self.p.project_note_refs:
            targets.setdefault(ref, (MemoTarget.PROJECT, None))
        for source in self.p.sources:
            for ref in source.note_refs:
                targets.setdefault(ref, (MemoTarget.DOCUMENT, self.doc_ids[source.guid]))
        for code in self.p.codes:
            for ref in code.note_refs:
                targets.setdefault(ref, (MemoTarget.CODE, self.code_ids.get(code.guid)))
        for ref, coding_id in coding_notes.items():
            targets.setdefault(ref, (MemoTarget.CODING, coding_id))
        owners = rows.coding_memos(self.s, set(coding_notes.values()))
        for note in self.p.notes:
            if note.guid in taken:
                continue
            target, target_id = targets.get(note.guid, (MemoTarget.PROJECT, None))
            if target is MemoTarget.CODING:
                owner_guid, owner_memo = owners.get(target_id, ("", None))
                if owner_guid and note.guid == coding_note_guid(owner_guid):
                    self.report.coding_memos_added += not owner_memo
                    rows.set_coding_memo(self.s, target_id, note.text)  # the coding's own memo, from qualcode's exporter
                    owners[target_id] = (owner_guid, note.text)
                    continue
            self._add_memo(target, target_id, note.text, note.name or None, self.user_ids.get(note.user or ""), note.created, note.guid)
            taken.add(note.guid)
        for source in self.p.sources:
            # A Description on a text source is its memo (QualCoder); skipped when it repeats its notes.
            guid = derived_guid(source.guid, "description")
            texts = [self.note_text[r] for r in source.note_refs if r in self.note_text]
            if guid in taken or _covered(source.description, texts):
                continue
            self._add_memo(MemoTarget.DOCUMENT, self.doc_ids[source.guid], source.description, None, None, source.created, guid)
            taken.add(guid)

    def _add_memo(self, target: MemoTarget, target_id: int | None, text: str, title: str | None, coder_id: int | None,
                  created, guid: str) -> None:
        memo_repo.add(self.s, target=target, target_id=target_id, text=text, title=title, coder_id=coder_id,
                      created=created, guid=guid, action="import", coder=self.actor)
        self.report.memos_added += 1
        self.report.coding_memos_added += target is MemoTarget.CODING
        self.report.document_memos_added += target is MemoTarget.DOCUMENT

    # -- sets ---------------------------------------------------------------------------

    def _sets(self) -> None:
        taken = set_repo.guids(self.s)
        for item in self.p.sets:
            if item.guid in taken:
                continue
            members = [("code", self.code_ids[g]) for g in item.codes if g in self.code_ids]
            members += [("document", self.doc_ids[g]) for g in item.sources if g in self.doc_ids]
            set_repo.add(self.s, guid=item.guid, name=item.name[:300], description=item.description,
                         members=members, action="import", coder=self.actor)
            self.report.sets_added += 1


def _paragraphs(text: str) -> list[ParsedSegment]:
    """One segment per non-blank line: REFI-QDA carries no turns, and a line is a paragraph."""
    segments, at = [], 0
    for line in text.split("\n"):
        start, end = trimmed_span(text, at, at + len(line))
        if end > start:
            segments.append(ParsedSegment(start, end, SegmentKind.PARAGRAPH))
        at += len(line) + 1
    return segments
