"""Hostile-input limits for REFI-QDA files: zip slip, zip bombs, member floods, XML entities."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from lxml import etree

from qualcode.errors import ImportRefused

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # uncompressed, all members together
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members big enough to matter
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_XML_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


class UnsafeArchive(ImportRefused):
    """A .qdpx that could overwrite files, exhaust memory or disk, or smuggle entities: refused."""


def one_line(detail: object, limit: int = 200) -> str:
    """A library's error text, fit for a one-line message: no newlines or control characters."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(detail)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unsafe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in path.parts
        or bool(re.match(r"^[A-Za-z]:", name))
        or "\x00" in name
    )


def declared_members(path: Path) -> int:
    """The member count the end-of-archive record declares (zip64 aware); 0 when there is none."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 65_557))  # EOCD (22 bytes) + the longest possible comment
            tail = handle.read()
    except OSError:
        return 0
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if count == 0xFFFF and locator >= 0:
        zip64_at = int.from_bytes(tail[locator + 8 : locator + 16], "little")
        with open(path, "rb") as handle:
            handle.seek(zip64_at)
            record = handle.read(56)
        if record[:4] == b"PK\x06\x06":
            count = int.from_bytes(record[32:40], "little")
    return count


class _Members:
    names: list[str]

    def find(self, wanted: str) -> str | None:
        """A member by name, exact first, then ignoring case (Sources/ vs sources/)."""
        if wanted in self.names:
            return wanted
        lowered = wanted.lower()
        for name in self.names:
            if name.lower() == lowered:
                return name
        return None


class SafeArchive(_Members):
    """A zip opened under limits; members are read through caps that do not trust the headers."""

    def __init__(self, path: Path):
        self.path = Path(path)
        declared = declared_members(self.path)
        if declared > MAX_MEMBERS:
            # Refuse before zipfile builds an object per member.
            raise UnsafeArchive(f"{self.path.name}: {declared:,} archive members exceed the limit of {MAX_MEMBERS:,}")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:  # NotImplementedError: unknown zip version
            raise ImportRefused(f"{self.path.name}: not a readable .qdpx (zip) archive: {one_line(exc)}") from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            self.close()
            raise UnsafeArchive(f"{self.path.name}: {len(infos):,} archive members exceed the limit of {MAX_MEMBERS:,}")
        total = 0
        for info in infos:
            if unsafe_name(info.filename):
                self.close()
                raise UnsafeArchive(f"{self.path.name}: unsafe member name {one_line(repr(info.filename))} (absolute path, '..' or backslash)")
            total += info.file_size
            self._check_ratio(info)
        if total > MAX_TOTAL_BYTES:
            self.close()
            raise UnsafeArchive(f"{self.path.name}: {total // 2**20:,} MB uncompressed exceeds the {MAX_TOTAL_BYTES // 2**20:,} MB limit")
        self.names = [i.filename for i in infos if not i.is_dir()]
        seen: set[str] = set()
        for name in self.names:
            if name.lower() in seen:
                self.close()
                raise UnsafeArchive(f"{self.path.name}: holds two members named {one_line(name)}, so it is unclear which one is meant; refused")
            seen.add(name.lower())
        self._read_total = 0

    def _check_ratio(self, info: zipfile.ZipInfo) -> None:
        if info.file_size > MAX_MEMBER_BYTES:
            self.close()
            raise UnsafeArchive(f"{self.path.name}: member {info.filename!r} is {info.file_size // 2**20:,} MB, over the {MAX_MEMBER_BYTES // 2**20} MB limit")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            self.close()
            raise UnsafeArchive(
                f"{self.path.name}: member {info.filename!r} compresses {info.file_size // max(info.compress_size, 1):,}:1, "
                f"a likely zip bomb (limit {MAX_RATIO}:1)"
            )

    def read(self, name: str) -> bytes:
        """Read one member, stopping as soon as it grows past what its header declared or the limits."""
        info = self._zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise ImportRefused(f"{self.path.name}: member {one_line(name)} is encrypted (password-protected), which REFI-QDA never is; refused")
        limit = min(info.file_size, MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self._read_total)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as handle:
                while True:
                    chunk = handle.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise UnsafeArchive(f"{self.path.name}: member {name!r} inflates past its declared size; refused")
                    chunks.append(chunk)
            self._check_not_truncated(info)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise ImportRefused(f"{self.path.name}: member {name!r} is damaged: {one_line(exc)}") from None
        except RuntimeError:
            raise ImportRefused(f"{self.path.name}: member {one_line(name)} cannot be read (encrypted or damaged); refused") from None
        self._read_total += size
        return b"".join(chunks)

    def _check_not_truncated(self, info: zipfile.ZipInfo) -> None:
        """zipfile stops at the size a header declares; a header that understates it would hand over
        a silently cut text. Inflate the raw data again, capped, and refuse if there is more."""
        if info.compress_type == zipfile.ZIP_STORED:
            more = info.compress_size > info.file_size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            more = self._inflates_past(info)
        else:
            return
        if more:
            raise UnsafeArchive(
                f"{self.path.name}: member {one_line(info.filename)} holds more data than its header declares "
                f"({info.file_size:,} bytes); refused rather than import a cut-off text"
            )

    def _inflates_past(self, info: zipfile.ZipInfo) -> bool:
        handle = self._zip.fp
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local file header")
        handle.seek(info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little"))
        inflater = zlib.decompressobj(-15)
        left, produced = info.compress_size, 0
        while left > 0 and not inflater.eof:
            raw = handle.read(min(_CHUNK, left))
            if not raw:
                break
            left -= len(raw)
            data = raw
            while data and not inflater.eof:
                produced += len(inflater.decompress(data, _CHUNK))
                if produced > info.file_size:
                    return True
                data = inflater.unconsumed_tail
        return produced + len(inflater.flush()) > info.file_size

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SourcesFolder(_Members):
    """The sources/ folder beside an unzipped project.qde, read under the archive's limits.
    Only regular files directly inside it are visible: no subfolders, no symlinks, no '..'."""

    def __init__(self, qde: Path):
        self.root = Path(qde).parent
        self.names = []
        for folder in ("sources", "Sources"):
            base = self.root / folder
            if not base.is_dir() or base.is_symlink():
                continue
            for entry in sorted(base.iterdir()):
                if entry.is_file() and not entry.is_symlink() and f"{folder}/{entry.name}".lower() not in map(str.lower, self.names):
                    self.names.append(f"{folder}/{entry.name}")
                if len(self.names) > MAX_MEMBERS:
                    raise UnsafeArchive(f"{base}: more than {MAX_MEMBERS:,} files; refused")
        self._read_total = 0

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise ImportRefused(f"{name}: not in the sources folder")
        path = self.root / name
        size = path.stat().st_size
        if size > MAX_MEMBER_BYTES or self._read_total + size > MAX_TOTAL_BYTES:
            raise UnsafeArchive(f"{name}: {size // 2**20:,} MB is over the size limit")
        self._read_total += size
        return path.read_bytes()


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, no huge trees; one-line errors."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeArchive(f"{name}: {len(data) // 2**20:,} MB of XML exceeds the {MAX_XML_BYTES // 2**20} MB limit")
    head = data[:65536].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise UnsafeArchive(f"{name}: contains a DOCTYPE or entity declaration, which REFI-QDA never needs; refused")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False, remove_pis=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if b"<!doctype" in data.lower():
            raise UnsafeArchive(f"{name}: contains a DOCTYPE, which REFI-QDA never needs; refused") from None
        if "depth" in str(exc).lower() or "huge" in str(exc).lower():
            raise UnsafeArchive(f"{name}: elements are nested far deeper than any REFI-QDA file needs; refused") from None
        raise ImportRefused(f"{name}: not well-formed XML: {one_line(exc)}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise UnsafeArchive(f"{name}: contains a DOCTYPE, which REFI-QDA never needs; refused")
    return root
