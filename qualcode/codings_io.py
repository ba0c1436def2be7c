"""Codings to and from CSV (doc, start, end, code, coder), for spreadsheets and other tools."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from qualcode.domain import Provenance
from qualcode.errors import InvalidInput, QualcodeError
from qualcode.exports.cells import safe_row
from qualcode.importers.base import decode_text, read_bytes
from qualcode.store import audit, coders, convert, meta
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store.engine import Database

REQUIRED = ("doc", "start", "end", "code", "coder")
EXPORT_COLUMNS = ("doc", "start", "end", "code", "coder", "created", "provenance", "codebook_version", "memo", "candidate_quote", "text")


def import_csv(db: Database, path: Path, *, provenance: Provenance = Provenance.IMPORT) -> int:
    """All rows or none: the first bad row names its line and nothing is written."""
    text = decode_text(read_bytes(Path(path)), Path(path).name)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"{Path(path).name}: missing column(s) {', '.join(missing)} (need {', '.join(REQUIRED)})")
    count = 0
    with db.transaction() as session:
        version = meta.codebook_version(session)
        # Each lookup loads the document or the whole code tree, so resolve every name once per file.
        docs_cache: dict[str, object] = {}
        codes_cache: dict[str, object] = {}
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            try:
                doc = docs_cache.get(row["doc"]) or doc_repo.resolve(session, row["doc"])
                docs_cache[row["doc"]] = doc
                start, end = int(row["start"]), int(row["end"])
                if not 0 <= start < end <= len(doc.text):
                    raise InvalidInput(f"span {start}-{end} is outside the document (0-{len(doc.text)})")
                code = codes_cache.get(row["code"]) or code_repo.resolve(session, row["code"])
                codes_cache[row["code"]] = code
                coder = coders.get_or_add(session, row["coder"])
            except ValueError:
                raise InvalidInput(f"{Path(path).name}:{line}: start and end must be whole numbers") from None
            except QualcodeError as exc:
                raise InvalidInput(f"{Path(path).name}:{line}: {exc}") from None
            coding, created = coding_repo.insert_unless_present(session, dict(
                guid=str(uuid.uuid4()), document_id=doc.id, start=start, end=end, code_id=code.id,
                coder_id=coder.id, provenance=str(Provenance(row.get("provenance") or provenance)),
                codebook_version=version, memo=row.get("memo") or None,
                candidate_quote=row.get("candidate_quote", "").lower() in ("1", "yes", "true"),
            ))
            if not created:  # the same coding is already in the project (a re-import)
                continue
            audit.record(session, "add", "coding", coding.id, coder=coder.name, after=convert.coding_state(coding))
            count += 1
    return count


def export_csv(db: Database, path: Path) -> int:
    with db.reading() as session:
        docs = {d.id: d for d in doc_repo.list_all(session)}
        paths = {c.id: c.path for c in code_repo.list_all(session)}
        names = coding_repo.coder_names(session)
        rows = coding_repo.all_codings(session)
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise InvalidInput(f"folder {target.parent} does not exist")
    tmp = target.with_suffix(target.suffix + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for c in rows:
            doc = docs[c.document_id]
            writer.writerow(safe_row([
                doc.title, c.start, c.end, paths[c.code_id], names[c.coder_id], c.created.isoformat(),
                str(c.provenance), c.codebook_version, c.memo or "", "yes" if c.candidate_quote else "no",
                doc.text[c.start:c.end],
            ]))
    tmp.replace(target)  # never leave a half-written export behind
    return len(rows)
