"""Hostile-input fuzzing shared by the CI test (small budget) and bench/fuzz_bench.py (10,000 inputs)."""

from __future__ import annotations

import importlib
import io
import random
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError

SEEDS: dict[str, bytes] = {
    ".txt": b"Interviewer: How did it go?\n\n[00:01:02] P3: We met at Oakhurst Hospice.\nIt was good.\n\nP4: Yes.\n",
    ".vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann Smith>Hello there</v>\n\n"
    b"00:00:04.000 --> 00:00:06.000\n<v Ann Smith>and more</v>\n",
    ".srt": b"1\n00:00:01,000 --> 00:00:02,000\nAnn: Hello\n\n2\n00:00:02,000 --> 00:00:03,000\nBob: Hi\n",
    ".csv": b"Respondent ID,Region,How do you use the framework?\n729,North East,We use it to plan our community work with volunteers.\n"
    b"730,London,It sits on the board agenda every quarter and guides our strategy.\n",
    ".yaml": b"name: Test\nversion: 1\ncodes:\n  - name: a\n    description: x\n    children:\n      - name: b\n        keywords: [k]\n",
    ".participants.csv": b"label,name,aliases,role,region\nP1,Ann Smith,Annie;A.S.,manager,North East\n"
    b"P2,Bob Carter,,chaplain,London\n729,,,respondent,Midlands\n",
}
REFI_NS = "urn:QDA-XML:project:1.0"
REFI_CODES = (
    '<Codes><Code guid="33333333-3333-4333-8333-333333333333" name="care" isCodable="true" color="#00aa00">'
    '<Code guid="44444444-4444-4444-8444-444444444444" name="trust" isCodable="true"><Description>d</Description>'
    "</Code></Code></Codes>"
)
REFI_QDC = f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{REFI_NS}" origin="Hand">{REFI_CODES}</CodeBook>'
REFI_QDE = (
    f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{REFI_NS}" name="fuzz" origin="Hand 1.0">'
    '<Users><User guid="11111111-1111-4111-8111-111111111111" name="Ines"/></Users>'
    f"<CodeBook>{REFI_CODES}</CodeBook><Sources>"
    '<TextSource guid="55555555-5555-4555-8555-555555555555" name="talk" plainTextPath="internal://talk.txt">'
    '<PlainTextSelection guid="66666666-6666-4666-8666-000000000001" startPosition="4" endPosition="19">'
    '<Coding guid="77777777-7777-4777-8777-000000000001" creatingUser="11111111-1111-4111-8111-111111111111">'
    '<CodeRef targetGUID="44444444-4444-4444-8444-444444444444"/></Coding></PlainTextSelection>'
    "</TextSource></Sources>"
    '<Cases><Case guid="88888888-8888-4888-8888-000000000001" name="P1"><SourceRef '
    'targetGUID="55555555-5555-4555-8555-555555555555"/></Case></Cases></Project>'
)
REFI_TEXT = "P1: We met at the community hall.\nIt was good, and ÷ unicode ✓.\n".encode()


def _docx_seed() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: Hello")
    document.add_paragraph("P1: We talked about the community.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_seed() -> bytes:
    """A small survey workbook: a header row, respondent IDs and open answers."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Respondent ID", "Region", "How do you use the framework?"])
    sheet.append([729, "North East", "We use it to plan our community work with volunteers."])
    sheet.append([730, "London", "It sits on the board agenda every quarter and guides our strategy."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One of: random bytes, flipped bytes, truncation, BOMs, line-ending mixes, huge lines, nesting, tags."""
    choice = rng.randrange(10)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
    if choice == 1:
        out = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if choice == 2:
        return data[: rng.randrange(len(data) + 1)]
    if choice == 3:
        return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]) + data
    if choice == 4:
        return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\r", b"\r\r\n"]))
    if choice == 5:
        return data + b"x" * rng.choice([10_000, 1_100_000]) + b"\n"
    if choice == 6:
        depth = rng.choice([30, 500, 5000])
        if depth > 500 or rng.random() < 0.5:
            # Flow style nests deeply in linear size; block style at depth 5,000 would be 50 MB of indentation.
            return b"codes: " + b"[{name: n, children: " * depth + b"[]" + b"}]" * depth + b"\n"
        return b"codes:\n" + b"".join(b"  " * i + b"- name: n\n" + b"  " * i + b"  children:\n" for i in range(depth))
    if choice == 7:
        return b"name: !!python/object/apply:os.system ['echo hi']\ncodes: []\n"
    if choice == 8:
        return data.decode("utf-8", "replace").encode(rng.choice(["utf-16", "latin-1", "cp1252"]), "replace")
    return data * rng.randrange(1, 50) if len(data) < 20_000 else data


@dataclass(slots=True)
class FuzzResult:
    inputs: int = 0
    refused: int = 0
    accepted: int = 0
    crashes: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    by_target: dict[str, list[int]] = field(default_factory=dict)  # suffix -> [accepted, refused]


def _qdpx(qde: bytes, text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/talk.txt", text)
    return buffer.getvalue()


def _mutate_refi(rng: random.Random, suffix: str, seed: bytes) -> bytes:
    """Mostly keep the container intact and damage what is inside, so the XML reader itself is reached."""
    if suffix == ".qdpx" and rng.random() < 0.7:
        qde, text = REFI_QDE.encode(), REFI_TEXT
        if rng.random() < 0.7:
            qde = _mutate_xml(rng, qde)
        else:
            text = mutate(rng, text)
        return _qdpx(qde, text)
    if suffix == ".qdc" and rng.random() < 0.7:
        return _mutate_xml(rng, seed)
    return mutate(rng, seed)


def _mutate_xml(rng: random.Random, data: bytes) -> bytes:
    """Well-formed-looking damage: swapped attribute values, entity bombs, foreign roots, cut tags."""
    text = data.decode("utf-8")
    choice = rng.randrange(6)
    if choice == 0:
        for attr in ("startPosition", "endPosition", "guid", "targetGUID", "isCodable", "color", "plainTextPath"):
            if rng.random() < 0.4:
                text = text.replace(f'{attr}="', f'{attr}="{rng.choice(["-1", "99999999999", "", "x", "../../etc/passwd", "1e9"])}', 1)
        return text.encode()
    if choice == 1:
        bomb = '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return text.replace("?>", "?>" + bomb, 1).replace('name="care"', 'name="&b;"', 1).encode()
    if choice == 2:
        return text.replace("Project", rng.choice(["project", "Projekt", "html"])).replace("CodeBook", "Book", 1).encode()
    if choice == 3:
        cut = rng.randrange(len(text))
        return (text[:cut] + text[cut + rng.randrange(1, 40):]).encode()
    if choice == 4:
        inner = '<Code guid="99999999-9999-4999-8999-999999999999" name="n" isCodable="true">'
        return text.replace("<Codes>", "<Codes>" + inner * rng.choice([50, 3000]), 1).encode()
    return mutate(rng, data)


def _targets() -> dict[str, Callable[[Path], object]]:
    from qualcode.importers import parse_file

    targets: dict[str, Callable[[Path], object]] = {}
    for suffix in (".txt", ".md", ".vtt", ".srt", ".csv", ".docx", ".xlsx"):
        targets[suffix] = parse_file
    for module, name, suffix in (
        ("qualcode.codebook.loader", "load_codebook", ".yaml"),
        ("qualcode.importers.participants", "load_participants", ".participants.yaml"),
        ("qualcode.importers.participants", "load_participants", ".participants.csv"),
        ("qualcode.refi.reader", "read_refi", ".qdc"),
        ("qualcode.refi.reader", "read_refi", ".qdpx"),
    ):
        try:
            targets[suffix] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    return targets


def _seeds() -> dict[str, bytes]:
    seeds = dict(SEEDS)
    seeds[".docx"] = _docx_seed()
    seeds[".xlsx"] = _xlsx_seed()
    seeds[".md"] = seeds[".txt"]
    seeds[".participants.yaml"] = b"participants:\n  - label: P1\n    name: Ann Smith\n    aliases: [Annie]\n"
    seeds[".qdc"] = REFI_QDC.encode()
    seeds[".qdpx"] = _qdpx(REFI_QDE.encode(), REFI_TEXT)
    return seeds


def generate(rng: random.Random, budget: int, suffixes: list[str]) -> Iterator[tuple[int, str, bytes]]:
    """`budget` hostile inputs, round-robin over `suffixes`."""
    seeds = _seeds()
    for i in range(budget):
        suffix = suffixes[i % len(suffixes)]
        data = _mutate_refi(rng, suffix, seeds[suffix]) if suffix in (".qdc", ".qdpx") else mutate(rng, seeds[suffix])
        if suffix in (".docx", ".xlsx") and rng.random() < 0.5:
            data = _rezip(rng, data)
        elif suffix in (".docx", ".xlsx") and rng.random() < 0.5:
            data = _mutate_member(rng, seeds[suffix])
        yield i, suffix, data


def run_fuzz(folder: Path, budget: int, seed: int = 1) -> FuzzResult:
    """Feed `budget` hostile files to every parser; only QualcodeError may come out."""
    targets = _targets()
    result = FuzzResult()
    for i, suffix, data in generate(random.Random(seed), budget, sorted(targets)):
        path = folder / f"input-{i}{suffix}"
        path.write_bytes(data)
        result.inputs += 1
        tally = result.by_target.setdefault(suffix, [0, 0])
        started = time.perf_counter()
        try:
            targets[suffix](path)
            result.accepted += 1
            tally[0] += 1
        except QualcodeError:
            result.refused += 1
            tally[1] += 1
        except Exception:  # noqa: BLE001 - the point of fuzzing: anything else is a crash
            result.crashes.append(f"{path.name}: {traceback.format_exc(limit=-8)}")
        finally:
            path.unlink(missing_ok=True)
            elapsed = time.perf_counter() - started
            result.slowest = max(result.slowest, (elapsed, f"{suffix} mutation of {len(data):,} bytes"))
    return result


IMPORTABLE = [".txt", ".md", ".vtt", ".srt", ".csv", ".docx", ".xlsx"]


def _counts(db) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    from qualcode.store.orm import AuditRow, DocumentRow, SegmentRow

    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (DocumentRow, SegmentRow, AuditRow))


def run_import_fuzz(db, folder: Path, budget: int, seed: int = 2) -> FuzzResult:
    """Hostile files through import_one into a real project: a refused file changes no count."""
    from qualcode.importing import import_one

    result = FuzzResult()
    for i, suffix, data in generate(random.Random(seed), budget, IMPORTABLE):
        path = folder / f"import-{i}{suffix}"
        path.write_bytes(data)
        result.inputs += 1
        before = _counts(db)
        try:
            outcome = import_one(db, path)
        except Exception:  # noqa: BLE001 - import_one reports failures as outcomes; anything raised is a bug
            result.crashes.append(f"{path.name}: {traceback.format_exc(limit=-8)}")
            continue
        finally:
            path.unlink(missing_ok=True)
        after = _counts(db)
        if outcome.status == "imported":
            result.accepted += 1
            if after[0] <= before[0]:
                result.crashes.append(f"{path.name}: reported imported but no document was added")
        elif outcome.status == "failed":
            result.refused += 1
            if after != before:
                result.crashes.append(f"{path.name}: refused yet counts went {before} -> {after}")
        elif after[:2] != before[:2]:
            # "unchanged" (already imported) may still update participants, which is audited.
            result.crashes.append(f"{path.name}: unchanged yet documents/segments went {before} -> {after}")
        if outcome.status == "failed":
            if "\n" in outcome.message:
                result.crashes.append(f"{path.name}: message is not one line: {outcome.message[:200]!r}")
    return result


def _mutate_member(rng: random.Random, package: bytes) -> bytes:
    """The real package with one member damaged, so the parser gets past the zip and into the XML."""
    source = zipfile.ZipFile(io.BytesIO(package))
    names = source.namelist()
    victim = rng.choice([n for n in names if n.endswith(".xml")] or names)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            data = source.read(name)
            if name == victim:
                data = _mutate_xml(rng, data) if rng.random() < 0.5 and data.isascii() else mutate(rng, data)
            archive.writestr(name, data)
    return buffer.getvalue()


def _rezip(rng: random.Random, data: bytes) -> bytes:
    """A zip whose members are damaged or foreign (a docx that is really something else)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(rng.choice(["word/document.xml", "[Content_Types].xml", "evil.txt", "xl/workbook.xml"]),
                         mutate(rng, data[:2000]))
    return buffer.getvalue()
