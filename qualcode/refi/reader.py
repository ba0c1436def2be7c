"""Read a .qdpx, .qde or .qdc from any vendor into a RefiProject, smoothing out known quirks."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from qualcode.errors import ImportRefused
from qualcode.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    derived_guid,
    norm_colour,
    norm_guid,
    parse_datetime,
)
from qualcode.refi.offsets import OffsetMap, detect_counting
from qualcode.refi.safety import MAX_XML_BYTES, SafeArchive, SourcesFolder, parse_xml

VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def kids(el, name: str) -> list:
    """Children by local name: vendors write the REFI namespace, other namespaces, or none."""
    return [c for c in el if local(c) == name]


def kid(el, name: str):
    found = kids(el, name)
    return found[0] if found else None


def text_of(el, name: str) -> str:
    child = kid(el, name)
    return (child.text or "") if child is not None else ""


def read_refi(path: Path, *, strict: bool = False) -> RefiProject:
    """Parse without touching any database; raises ImportRefused (one line) for unusable files.
    `strict`: refuse a file whose selection offsets would need repairing instead of warning."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    if path.suffix.lower() == ".qdpx" or zipfile.is_zipfile(path):
        with SafeArchive(path) as archive:
            member = _project_member(archive, path.name)
            root = parse_xml(archive.read(member), member)
            return _Reader(root, archive, path.name, strict).project()
    if path.stat().st_size > MAX_XML_BYTES:
        raise ImportRefused(f"{path.name}: too large for a REFI-QDA XML file")
    root = parse_xml(path.read_bytes(), path.name)
    # An unzipped project: its texts sit in sources/ beside project.qde.
    folder = SourcesFolder(path) if path.suffix.lower() == ".qde" else None
    return _Reader(root, folder, path.name, strict).project()


def _project_member(archive: SafeArchive, name: str) -> str:
    exact = archive.find("project.qde")
    if exact:
        return exact
    at_root = [n for n in archive.names if "/" not in n and n.lower().endswith(".qde")]
    if len(at_root) == 1:
        return at_root[0]  # ATLAS.ti 26 names the XML after the project
    if at_root:
        raise ImportRefused(f"{name}: several .qde files and none is project.qde: {', '.join(at_root[:5])}")
    raise ImportRefused(f"{name}: no project.qde inside; is this a REFI-QDA .qdpx?")


class _Reader:
    def __init__(self, root, archive: SafeArchive | SourcesFolder | None, name: str, strict: bool = False):
        self.root = root
        self.strict = strict
        self.archive = archive
        self.name = name
        kind = local(root)
        if kind not in ("Project", "CodeBook"):
            raise ImportRefused(f"{name}: root element is <{kind}>, not a REFI-QDA <Project> or <CodeBook>")
        self.out = RefiProject(name=root.get("name") or Path(name).stem, origin=root.get("origin") or "")
        self.seen: set[str] = set()

    def project(self) -> RefiProject:
        root = self.root
        if local(root) == "CodeBook":
            self._codes(kid(root, "Codes"), None, "")
            self._sets(kid(root, "Sets"))
            return self.out
        users = kid(root, "Users")
        for user in kids(users, "User") if users is not None else []:
            guid = norm_guid(user.get("guid"))
            if guid:
                self.out.users.append(RefiUser(guid, (user.get("name") or user.get("id") or "").strip() or f"user {guid[:8]}"))
        book = kid(root, "CodeBook")
        if book is not None:
            self._codes(kid(book, "Codes"), None, "")
        variables = self._variables(kid(root, "Variables"))
        self._cases(kid(root, "Cases"), variables)
        self._sources(kid(root, "Sources"), variables)
        self._notes(kid(root, "Notes"))
        self._sets(kid(root, "Sets"))
        self.out.project_note_refs = self._refs(root, "NoteRef")
        return self.out

    def _guid(self, el, *context: object) -> str:
        """The element's GUID, or a derived one when missing, malformed or already used in the file."""
        guid = norm_guid(el.get("guid"))
        if guid is None or guid in self.seen:
            fresh = derived_guid(self.name, *context, guid or "")
            if guid is not None:
                self.out.warnings.append(f"GUID {guid} is used twice; the second <{local(el)}> gets {fresh}")
            guid = fresh
        self.seen.add(guid)
        return guid

    def _refs(self, el, tag: str, attr: str = "targetGUID") -> list[str]:
        return [g for g in (norm_guid(r.get(attr)) for r in kids(el, tag)) if g]

    def _codes(self, container, parent: str | None, path: str) -> None:
        if container is None:
            return
        for el in kids(container, "Code"):
            name = (el.get("name") or "").strip()
            here = f"{path}/{name}"
            guid = self._guid(el, "code", here)
            description = text_of(el, "Description")
            self.out.codes.append(RefiCode(guid, name, parent, description, norm_colour(el.get("color")), self._refs(el, "NoteRef")))
            self._codes(el, guid, here)

    def _variables(self, container) -> dict[str, str]:
        if container is None:
            return {}
        return {g: (v.get("name") or "").strip() for v in kids(container, "Variable") if (g := norm_guid(v.get("guid")))}

    def _values(self, el, variables: dict[str, str]) -> dict[str, str]:
        values: dict[str, str] = {}
        for item in kids(el, "VariableValue"):
            ref = kid(item, "VariableRef")
            name = variables.get(norm_guid(ref.get("targetGUID")) if ref is not None else "", "")
            value = next((c.text or "" for c in item if local(c) in VALUE_TAGS), None)
            if name and value is not None:
                values[name] = value
        return values

    def _cases(self, container, variables) -> None:
        for el in kids(container, "Case") if container is not None else []:
            guid = self._guid(el, "case", el.get("name"))
            self.out.cases.append(RefiCase(guid, (el.get("name") or "").strip(), self._values(el, variables),
                                           self._refs(el, "SourceRef"), text_of(el, "Description")))

    def _sources(self, container, variables) -> None:
        if container is None:
            return
        skipped = [local(el) for el in container if local(el) in OTHER_SOURCES]
        if skipped:
            self.out.warnings.append(f"{len(skipped)} non-text source(s) skipped ({', '.join(sorted(set(skipped)))}); qualcode codes text")
        for el in kids(container, "TextSource"):
            guid = self._guid(el, "source", el.get("name"), el.get("plainTextPath"))
            raw = self._plain_text(el)
            if raw is None:
                continue
            name = (el.get("name") or "").strip() or _stem(el.get("plainTextPath")) or f"source {guid[:8]}"
            source = RefiSource(guid, name, "", parse_datetime(el.get("creationDateTime")),
                                variables=self._values(el, variables), note_refs=self._refs(el, "NoteRef"),
                                description=text_of(el, "Description"))
            raw_spans = []
            for sel in kids(el, "PlainTextSelection"):
                try:
                    span = (int(sel.get("startPosition")), int(sel.get("endPosition")))
                except (TypeError, ValueError):
                    self.out.warnings.append(f"{name}: a selection without whole-number positions was skipped")
                    continue
                raw_spans.append((sel, span))
            counting = detect_counting(self.out.origin, raw, [s for _, s in raw_spans], [x.get("name") or "" for x, _ in raw_spans])
            if raw_spans and (counting.utf16 or counting.crlf_as_one):
                self.out.utf16_offsets = self.out.utf16_offsets or counting.utf16
                self.out.warnings.append(f"{name}: offsets read as {counting.describe()} (vendor counting), converted to code points")
            mapping = OffsetMap(raw, utf16=counting.utf16, crlf_as_one=counting.crlf_as_one)
            source.text = mapping.text
            for sel, (a, b) in raw_spans:
                start, end = mapping.span(a, b)
                label = f"{name}: selection {sel.get('guid') or sel.get('name') or '(no guid)'} at {a}-{b}"
                if start >= end:
                    self._repair(f"{label} is empty or wholly outside the text", "skipped")
                    continue
                problems = [why for bad, why in ((min(a, b) < 0, "starts before the text"), (a > b, "has its ends swapped"),
                                                 (max(a, b) > mapping.raw_length, "runs past the end of the text")) if bad]
                if problems:
                    self._repair(f"{label} {' and '.join(problems)}", f"stored as {start}-{end}")
                source.selections.append(RefiSelection(
                    norm_guid(sel.get("guid")), start, end, sel.get("name") or "", norm_guid(sel.get("creatingUser")),
                    parse_datetime(sel.get("creationDateTime")), self._codings(sel), self._refs(sel, "NoteRef"),
                    text_of(sel, "Description"),
                ))
            whole = self._codings(el)
            if whole and source.text:
                source.selections.append(RefiSelection(None, 0, len(source.text), "", None, None, whole))
            self.out.sources.append(source)

    def _repair(self, problem: str, mended: str) -> None:
        """An offset qualcode had to mend: a warning line, or in strict mode a refusal."""
        if self.strict:
            raise ImportRefused(f"{self.name}: {problem}; refused in strict mode, nothing imported")
        self.out.warnings.append(f"{problem}; {mended}")

    def _codings(self, el) -> list[RefiCoding]:
        result = []
        for coding in kids(el, "Coding"):
            ref = kid(coding, "CodeRef")
            code = norm_guid(ref.get("targetGUID")) if ref is not None else None
            if code is None:
                self.out.warnings.append("a coding without a code reference was skipped")
                continue
            result.append(RefiCoding(norm_guid(coding.get("guid")), code, norm_guid(coding.get("creatingUser")),
                                     parse_datetime(coding.get("creationDateTime")), self._refs(coding, "NoteRef")))
        return result

    def _plain_text(self, el) -> str | None:
        inline = kid(el, "PlainTextContent")
        if inline is not None:
            return inline.text or ""
        where = el.get("plainTextPath")
        label = el.get("name") or where or "a text source"
        if not where:
            self.out.warnings.append(f"{label}: no plain text (only {el.get('richTextPath') or 'nothing'}); skipped")
            return None
        if where.startswith(("relative://", "absolute://")):
            # Never follow a path out of the archive: the file names a place on someone else's disk.
            self.out.warnings.append(f"{label}: text lives outside the archive ({where}); skipped")
            return None
        ref = where.removeprefix("internal://")
        if self.archive is None:
            self.out.warnings.append(f"{label}: {where} needs the .qdpx archive; skipped")
            return None
        member = next((m for m in (self.archive.find(f"sources/{ref}"), self.archive.find(ref)) if m), None)
        if member is None:
            self.out.warnings.append(f"{label}: {where} is not in the archive; skipped")
            return None
        return _decode(self.archive.read(member), member, self.out.warnings)

    def _notes(self, container) -> None:
        for el in kids(container, "Note") if container is not None else []:
            text = self._plain_text(el)
            if text is None:
                continue
            guid = self._guid(el, "note", el.get("name"))
            self.out.notes.append(RefiNote(guid, (el.get("name") or "").strip(), text.replace("\r\n", "\n"),
                                           norm_guid(el.get("creatingUser")), parse_datetime(el.get("creationDateTime"))))

    def _sets(self, container) -> None:
        for el in kids(container, "Set") if container is not None else []:
            guid = self._guid(el, "set", el.get("name"))
            codes = self._refs(el, "MemberCode") + self._refs(el, "MemberCode", "guid")
            self.out.sets.append(RefiSet(guid, (el.get("name") or "").strip() or "set", text_of(el, "Description"),
                                         codes, self._refs(el, "MemberSource")))


def _stem(path: str | None) -> str:
    return Path((path or "").rsplit("//", 1)[-1]).stem if path else ""


def _decode(data: bytes, member: str, warnings: list[str]) -> str:
    """Source text without its BOM (offsets never count it); CRLF kept until offsets are mapped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            warnings.append(f"{member} is not UTF-8; read as Windows-1252")
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        # PostgreSQL cannot store NUL; a same-length stand-in keeps every offset valid.
        warnings.append(f"{member} contains NUL characters; shown as \ufffd")
        text = text.replace("\x00", "\ufffd")
    return text
