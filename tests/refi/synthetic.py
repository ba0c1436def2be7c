"""Hand-made REFI-QDA files for quirks and attacks the shared samples do not show."""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"
U1 = "11111111-1111-4111-8111-111111111111"
U_UNLISTED = "22222222-2222-4222-8222-222222222222"
C1, C2 = "33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444"
S1 = "55555555-5555-4555-8555-555555555555"


def write_qdpx(path: Path, qde: str | bytes, members: dict[str, bytes] | None = None, qde_name: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def project_xml(sources: str = "", *, ns: str = NS, origin: str = "Hand 1.0", users: str | None = None, prefix: str = "") -> str:
    """A small project; `prefix` writes every element with a namespace prefix (another vendor's habit)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{ns}"' if prefix else (f'xmlns="{ns}"' if ns else "")
    users = users if users is not None else f'<{p}Users><{p}User guid="{U1}" name="Ines"/></{p}Users>'
    return (
        f'<?xml version="1.0" encoding="utf-8"?><{p}Project {xmlns} name="hand" origin="{origin}">{users}'
        f'<{p}CodeBook><{p}Codes><{p}Code guid="{C1}" name="care" isCodable="true" color="#0a0">'
        f'<{p}Code guid="{C2}" name="trust" isCodable="true"/></{p}Code></{p}Codes></{p}CodeBook>'
        f"<{p}Sources>{sources}</{p}Sources></{p}Project>"
    ).replace("<Sources></Sources>", "").replace(f"<{p}Sources></{p}Sources>", "")


def text_source(path: str, selections: list[tuple[int, int, str, str | None]], p: str = "", names: list[str] | None = None) -> str:
    """selections: (start, end, code guid, creating user guid or None), one selection per coding;
    `names` become the selections' name attributes (many tools store the coded text there)."""
    parts = [f'<{p}TextSource guid="{S1}" name="talk" plainTextPath="{path}">']
    for i, (a, b, code, user) in enumerate(selections):
        who = f' creatingUser="{user}"' if user else ""
        named = f' name="{names[i]}"' if names else ""
        parts.append(
            f'<{p}PlainTextSelection guid="66666666-6666-4666-8666-{i:012d}"{named} startPosition="{a}" endPosition="{b}">'
            f'<{p}Coding guid="77777777-7777-4777-8777-{i:012d}"{who}><{p}CodeRef targetGUID="{code}"/></{p}Coding>'
            f"</{p}PlainTextSelection>"
        )
    parts.append(f"</{p}TextSource>")
    return "".join(parts)


def write_flood(path: Path, qde: str, count: int) -> Path:
    """A zip with `count` empty stored members beside project.qde, written directly (zipfile takes ~5 s)."""
    import struct

    names = [b"project.qde"] + [f"sources/{i}.txt".encode() for i in range(count)]
    payloads = {b"project.qde": qde.encode("utf-8")}
    local, central = bytearray(), bytearray()
    for name in names:
        data = payloads.get(name, b"")
        crc = zlib_crc(data)
        offset = len(local)
        local += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0x21, crc, len(data), len(data), len(name), 0) + name + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, crc, len(data), len(data),
                               len(name), 0, 0, 0, 0, 0, offset) + name
    total, cd_offset, zip64_at = len(names), len(local), len(local) + len(central)
    tail = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, total, total, len(central), cd_offset)
    tail += struct.pack("<4sIQI", b"PK\x06\x07", 0, zip64_at, 1)
    tail += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(central), cd_offset, 0)
    path.write_bytes(bytes(local + central + tail))
    return path


def zlib_crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data) & 0xFFFFFFFF
