"""Codings to and from CSV (doc, start, end, code, coder), for spreadsheets and other tools."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from qualcode.domain import Provenance
from qualcode.errors import InvalidInput, QualcodeError
from qualcode.exports.cells import safe_row
from qualcode.files import write_atomically
from qualcode.importers.base import decode_text, read_bytes
from qualcode.sanitise import terminal_safe
from qualcode.store import audit, coders, convert, meta
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store.engine import Database

REQUIRED = ("doc", "start", "end", "code", "coder")
EXPORT_COLUMNS = ("doc", "start", "end", "code", "coder", "created", "provenance", "codebook_version", "memo", "candidate_quote", "text")


def import_csv(db: Database, path: Path, *, provenance: Provenance = Provenance.IMPORT) -> int:
    """All rows or none: the first bad row names its line and nothing is written."""
    name = Path(path).name
    rows = _read_rows(decode_text(read_bytes(Path(path)), name), name)
    count = 0
    with db.transaction() as session:
        version = meta.codebook_version(session)
        # Each lookup loads the document or the whole code tree, so resolve every name once per file.
        docs_cache: dict[str, object] = {}
        codes_cache: dict[str, object] = {}
        for line, row in rows:
            try:
                doc = docs_cache.get(row["doc"]) or doc_repo.resolve(session, row["doc"])
                docs_cache[row["doc"]] = doc
                start, end = int(row["start"]), int(row["end"])
                if not 0 <= start < end <= len(doc.text):
                    raise InvalidInput(f"span {start}-{end} is outside the document (0-{len(doc.text)})")
                code = codes_cache.get(row["code"]) or code_repo.resolve(session, row["code"])
                codes_cache[row["code"]] = code
                kind = _provenance(row.get("provenance"), provenance)
                coder = coders.get_or_add(session, row["coder"])
            except ValueError:
                raise InvalidInput(f"{name}:{line}: start and end must be whole numbers") from None
            except QualcodeError as exc:
                raise InvalidInput(f"{name}:{line}: {exc}") from None
            coding, created = coding_repo.insert_unless_present(session, dict(
                guid=str(uuid.uuid4()), document_id=doc.id, start=start, end=end, code_id=code.id,
                coder_id=coder.id, provenance=str(kind), codebook_version=version, memo=row.get("memo") or None,
                candidate_quote=row.get("candidate_quote", "").lower() in ("1", "yes", "true"),
            ))
            if not created:  # the same coding is already in the project (a re-import)
                continue
            audit.record(session, "add", "coding", coding.id, coder=coder.name, after=convert.coding_state(coding))
            count += 1
    return count


def _read_rows(text: str, name: str) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs; a missing column, a row wider than the header or a cell the csv module refuses is one line."""
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InvalidInput(f"{name}: missing column(s) {', '.join(missing)} (need {', '.join(REQUIRED)})")
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                raise InvalidInput(f"{name}:{line}: {len(cells)} cells but the header names {len(header)} columns")
            rows.append((line, {k: v.strip() for k, v in zip(header, cells, strict=False)} | dict.fromkeys(header[len(cells):], "")))
    except csv.Error as exc:
        raise InvalidInput(f"{name}:{reader.line_num}: cannot read the CSV ({exc})") from None
    return rows


def _provenance(value: str | None, default: Provenance) -> Provenance:
    if not value:
        return default
    try:
        return Provenance(value.lower())
    except ValueError:
        known = ", ".join(str(p) for p in Provenance)
        raise InvalidInput(f"provenance '{terminal_safe(value[:40])}' is not one of {known}") from None


def export_csv(db: Database, path: Path) -> int:
    with db.reading() as session:
        docs = {d.id: d for d in doc_repo.list_all(session)}
        paths = {c.id: c.path for c in code_repo.list_all(session)}
        names = coding_repo.coder_names(session)
        rows = coding_repo.all_codings(session)
    def write(temporary: Path) -> None:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            for c in rows:
                doc = docs[c.document_id]
                writer.writerow(safe_row([
                    doc.title, c.start, c.end, paths[c.code_id], names[c.coder_id], c.created.isoformat(),
                    str(c.provenance), c.codebook_version, c.memo or "", "yes" if c.candidate_quote else "no",
                    doc.text[c.start:c.end],
                ]))

    write_atomically(Path(path), write, make_folder=False)  # never leave a half-written export behind
    return len(rows)
