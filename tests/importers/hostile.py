"""Hostile files of every kind issue 18 found, generated from a seed, and the check each must pass.

Shared by tests/importers/test_fuzz_hostile.py (a small budget) and bench/fuzz_imports.py (2,000+).
A case passes when it is imported or refused with one QualcodeError line, and a refusal leaves the
project's row counts as they were.
"""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from qualcode.errors import QualcodeError

CONTROLS = ["\x0b", "\x0c", "\x01", "\x07", "\x08", "\x1b", "\x1f", "\x7f", "\x85", "\x9b", "\ufffe", "\u2028"]
ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[31m", "\x9b31m", "\x1bP+q\x1b\\", "[red]x[/red]", "<script>alert(1)</script>",
           "<img src=x onerror=alert(1)>"]
WORDS = "we the hospice community volunteers staff talk funding time leadership records care town church".split()


@dataclass(slots=True)
class Case:
    kind: str  # doc | participants | codebook | codings
    name: str
    data: bytes


@dataclass(slots=True)
class Outcome:
    case: Case
    ok: bool
    problem: str = ""  # "traceback: ..." or "partial write: ..." or "message: ..."
    seconds: float = 0.0


def _noise(rng: random.Random) -> str:
    return rng.choice(CONTROLS + ESCAPES)


def _sprinkle(rng: random.Random, text: str, count: int) -> str:
    chars = list(text)
    for _ in range(count):
        chars.insert(rng.randrange(len(chars) + 1), _noise(rng))
    return "".join(chars)


def _turns(rng: random.Random, n: int, speaker_len: int = 0) -> str:
    out = []
    for i in range(n):
        who = ("V" * speaker_len) if speaker_len else rng.choice(["Interviewer", "P1", "P2", "Margaret Ellison"])
        out.append(f"{who}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40))))
    return "\n\n".join(out) + "\n"


def _encode(rng: random.Random, text: str) -> bytes:
    choice = rng.random()
    if choice < 0.1:
        return text.encode("utf-16")
    if choice < 0.2:
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


def _with_nul(rng: random.Random, data: bytes) -> bytes:
    at = rng.choice([rng.randrange(len(data) + 1), min(len(data), 8192 + rng.randrange(4096))])
    return data[:at] + b"\x00" + data[at:]


def txt(rng: random.Random) -> Case:
    text = _sprinkle(rng, _turns(rng, rng.randint(1, 120)), rng.randint(0, 6))
    data = _encode(rng, text)
    if rng.random() < 0.25:
        data = _with_nul(rng, data)
    return Case("doc", f"t{rng.randrange(10**9)}.txt", data)


def vtt(rng: random.Random) -> Case:
    voice = rng.choice(["Ann", "V" * rng.randint(150, 260), "Ann\x1b]0;x\x07", "<b>Ann</b>", "&#27;[2J"])
    cues = "".join(f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n<v {voice}>{_sprinkle(rng, 'hello there friend', 1)}\n\n"
                   for i in range(rng.randint(1, 30)))
    data = f"WEBVTT\n\n{cues}".encode()
    return Case("doc", f"v{rng.randrange(10**9)}.vtt", _with_nul(rng, data) if rng.random() < 0.15 else data)


def srt(rng: random.Random) -> Case:
    cues = "".join(f"{i}\n00:00:{i:02d},000 --> 00:00:{i + 1:02d},000\n"
                   f"{rng.choice(['Ann', 'B' * rng.randint(190, 210)])}: {_sprinkle(rng, 'we talk a lot', 1)}\n\n"
                   for i in range(1, rng.randint(2, 30)))
    return Case("doc", f"s{rng.randrange(10**9)}.srt", cues.encode())


def survey_csv(rng: random.Random) -> Case:
    closed = rng.random() < 0.2
    header = ["id", "region", "score"] + ([] if closed else ["What works?"])
    rows = []
    for i in range(rng.randint(1, 40)):
        ident = str(i) if rng.random() < 0.8 else "9" * rng.randint(90, 120)
        row = [ident, rng.choice(["North", "South", _noise(rng)]), str(i % 5)]
        if not closed:
            row.append(_sprinkle(rng, " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30))), rng.randint(0, 2)))
        if rng.random() < 0.05:
            row.append("x" * rng.choice([10, 140_000]))
        rows.append(row)
    text = "\n".join(",".join('"' + c.replace('"', "") + '"' for c in r) for r in [header, *rows]) + "\n"
    return Case("doc", f"c{rng.randrange(10**9)}.csv", _encode(rng, text))


def survey_xlsx(rng: random.Random) -> Case:
    cells = []
    for r in range(1, rng.randint(3, 30)):
        values = [str(r - 1) if r > 1 else "id",
                  "What works?" if r == 1 else _xml_escaped(_sprinkle(rng, "we use it with the volunteers a lot", 2))]
        cells.append(f'<row r="{r}">' + "".join(f'<c r="{"AB"[i]}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                                                for i, v in enumerate(values)) + "</row>")
    far = rng.choice(["", '<row r="1048576"><c r="A1048576"><v>5</v></c></row>',
                      '<row r="40"><c r="XFD40" t="inlineStr"><is><t>x</t></is></c></row>'])
    dimension = rng.choice(["A1:B30", "A1:XFD1048576"])
    return Case("doc", f"x{rng.randrange(10**9)}.xlsx", _workbook(dimension, "".join(cells) + far))


def _xml_escaped(text: str) -> str:
    """Text as a workbook stores it: XML-illegal characters written as _xHHHH_, markup escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", lambda m: f"_x{ord(m.group()):04X}_", text)


def _workbook(dimension: str, rows: str) -> bytes:
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, body in parts.items():
            package.writestr(name, body)
    return out.getvalue()


def docx(rng: random.Random) -> Case:
    import docx as python_docx

    document = python_docx.Document()
    for _ in range(rng.randint(1, 40)):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(rng.choice(["Interviewer:", "P1:", "B" * rng.randint(190, 210) + ":"]))
        run.bold = rng.random() < 0.5
        paragraph.add_run(" " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30))) + " \x85[31m<script>")
    out = io.BytesIO()
    document.save(out)
    return Case("doc", f"d{rng.randrange(10**9)}.docx", out.getvalue())


def participants_yaml(rng: random.Random) -> Case:
    choice = rng.randrange(7)
    if choice == 0:  # nested aliases
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"{c}: &{c} [" + ",".join([f"*{chr(ord(c) - 1)}"] * 9) + "]" for c in "bcdefghi"]
        text = "\n".join(lines) + "\nparticipants:\n  - label: P1\n    aliases: *i\n"
    elif choice == 1:
        depth = rng.randint(15, 3000)
        text = "participants:\n  - label: P1\n    attributes: " + "[" * depth + "]" * depth + "\n"
    elif choice == 2:
        text = "participants:\n  - label: P1\n" * rng.randint(2, 3)
    elif choice == 3:
        text = f"participants:\n  - label: {'L' * rng.randint(95, 110)}\n    name: {'N' * rng.randint(290, 310)}\n"
    elif choice == 4:
        text = 'participants:\n  - label: P1\n    name: "Ann\\e]0;x\\a\\x0b"\n    aliases: ["\\0", "x"]\n'
    elif choice == 5:
        text = "participants:\n  - !!python/object/apply:os.system [ls]\n"
    else:
        text = "participants:\n" + "".join(f"  - label: P{i}\n    name: {_sprinkle(rng, 'Ann Vell', 1)!r}\n" for i in range(20))
    return Case("participants", f"p{rng.randrange(10**9)}.yaml", text.encode("utf-8", "surrogatepass"))


def participants_csv(rng: random.Random) -> Case:
    rows = [f"{rng.choice(['P1', 'L' * 101, 'P' + _noise(rng)])},{_sprinkle(rng, 'Ann Vell', 1)},A;B,{'R' * rng.choice([5, 201])}"
            for _ in range(rng.randint(1, 10))]
    return Case("participants", f"p{rng.randrange(10**9)}.csv", ("label,name,aliases,role\n" + "\n".join(rows)).encode())


def codebook(rng: random.Random) -> Case:
    choice = rng.randrange(6)
    if choice == 0:
        text = f"name: b\ncodes:\n  - name: {'c' * rng.randint(295, 305)}\n"
    elif choice == 1:
        text = 'name: "[bold]b"\ncodes:\n  - name: "<script>x"\n    description: "\\e]0;t\\a\\v\\x85"\n'
    elif choice == 2:
        text = 'name: b\ncodes:\n  - name: "a\\e[2J"\n'
    elif choice == 3:
        text = "name: b\ncodes:\n  - &x {name: a}\n  - *x\n"
    elif choice == 4:
        depth = rng.randint(10, 2000)
        text = "name: b\ncodes:\n" + "".join("  " * i + "- name: n\n" + "  " * i + "  children:\n" for i in range(1, depth))
    else:
        text = 'name: b\ncodes:\n  - name: a\n    description: "\\0"\n'
    return Case("codebook", f"b{rng.randrange(10**9)}.yaml", text.encode())


def codings_csv(rng: random.Random) -> Case:
    rows = []
    for _ in range(rng.randint(1, 10)):
        row = [rng.choice(["doc", "nope"]), str(rng.choice([0, 1, -1])), rng.choice(["5", "x", "99999"]), "site",
               rng.choice(["sam", "k" * 201, "sam" + _noise(rng)]), rng.choice(["", "bogus", "manual"])]
        if rng.random() < 0.1:
            row.append("surplus")
        if rng.random() < 0.05:
            row[-1] = "m" * 140_000
        rows.append(",".join(f'"{c}"' for c in row))
    text = "doc,start,end,code,coder,provenance\n" + "\n".join(rows) + "\n"
    return Case("codings", f"k{rng.randrange(10**9)}.csv", text.encode("utf-8", "surrogatepass"))


GENERATORS = [txt, txt, vtt, srt, survey_csv, survey_xlsx, docx, participants_yaml, participants_csv, codebook, codings_csv]


def generate(seed: int, budget: int) -> Iterator[Case]:
    rng = random.Random(seed)
    for index in range(budget):
        yield GENERATORS[index % len(GENERATORS)](rng)


def prepare(db) -> None:
    """A project with a document 'doc' and a code 'site' for codings sheets to point at."""
    from qualcode.domain import DocumentKind
    from qualcode.importers.base import ParsedDocument, ParsedSegment
    from qualcode.store import codes as code_repo
    from qualcode.store import documents as doc_repo

    with db.transaction() as session:
        text = "P1: we talk about the hospice"
        doc_repo.add_parsed(session, ParsedDocument("doc", DocumentKind.INTERVIEW, text, [ParsedSegment(4, len(text))]), [None])
        code_repo.add(session, "site")


def counts(db) -> tuple[int, ...]:
    from qualcode.store.orm import (
        AuditRow,
        CodeRow,
        CoderRow,
        CodingRow,
        DocumentRow,
        ParticipantRow,
        SegmentRow,
    )

    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in
                     (DocumentRow, SegmentRow, ParticipantRow, CodeRow, CodingRow, CoderRow, AuditRow))


def check(db, folder: Path, case: Case) -> Outcome:
    """Run one case through the operation a user would, and judge it."""
    path = folder / case.name
    path.write_bytes(case.data)
    before = counts(db)
    started = time.perf_counter()
    refused, message = False, ""
    try:
        if case.kind == "doc":
            from qualcode.importing import import_one

            outcome = import_one(db, path)
            refused, message = outcome.status == "failed", outcome.message
        elif case.kind == "participants":
            from qualcode.importing import import_participants, load_sidecar

            import_participants(db, load_sidecar(path), source=path.name)
        elif case.kind == "codebook":
            from qualcode.codebook.loader import load_codebook
            from qualcode.codebook.operations import import_spec

            spec = load_codebook(path)
            with db.transaction() as session:
                import_spec(session, spec)
        else:
            from qualcode.codings_io import import_csv

            import_csv(db, path)
    except QualcodeError as exc:
        refused, message = True, str(exc)
    except Exception as exc:  # any other exception is what the fuzzer is looking for
        return Outcome(case, False, f"traceback: {type(exc).__name__}: {str(exc)[:200]}", time.perf_counter() - started)
    finally:
        path.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    if refused and counts(db) != before:
        return Outcome(case, False, f"partial write: {before} -> {counts(db)} ({message[:120]})", seconds)
    if refused and ("\n" in message or "Traceback" in message or not message):
        return Outcome(case, False, f"message: {message[:200]!r}", seconds)
    return Outcome(case, True, message, seconds)
