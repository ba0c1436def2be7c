"""Build REFI-QDA XML (<Project> for .qde, <CodeBook> for .qdc) from a project snapshot."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

import qualcode
from qualcode.domain import Code, Coding, MemoTarget
from qualcode.errors import InvalidInput
from qualcode.refi.model import (
    CODEBOOK_NS,
    CODEBOOK_SCHEMA_LOCATION,
    PROJECT_NS,
    PROJECT_SCHEMA_LOCATION,
    XSI_NS,
    coding_note_guid,
    norm_colour,
    pack_description,
    selection_guid,
    variable_guid,
    xml_datetime,
)
from qualcode.refi.snapshot import Snapshot

ORIGIN = f"qualcode {qualcode.__version__}"
ROLE_VARIABLE = "role"
CASE_DESCRIPTION = "description"  # a participant attribute that travels as the case's Description
KIND_VARIABLE = "Document kind"
DATE_VARIABLE = "Document date"
CODING_MEMO_NAME = "Coding memo"
SELECTION_NAME_CHARS = 80
MEMO_JOIN = "\n\n"  # several memos on one item share its one Description


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (most C0 controls, lone surrogates, U+FFFE/U+FFFF)."""
    return _NOT_XML.sub("", text)


def _el(parent, tag: str, ns: str = PROJECT_NS, **attrs: str | None):
    return etree.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})


def _text_el(parent, tag: str, text: str, ns: str = PROJECT_NS):
    el = _el(parent, tag, ns)
    el.text = xml_safe(text)
    return el


def _root(tag: str, ns: str, location: str):
    root = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", location)
    return root


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def code_description(code: Code) -> str:
    extras = {"inclusion": code.inclusion, "exclusion": code.exclusion, "examples": list(code.examples),
              "keywords": list(code.keywords), "valence": str(code.valence)}
    return pack_description(code.description, extras)


def _add_codes(parent, codes: list[Code], ns: str, note_refs: dict[int, list[str]] | None = None) -> None:
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:  # list_all yields tree order
        children[code.parent_id].append(code)

    def add(container, code: Code) -> None:
        el = _el(container, "Code", ns, guid=code.guid, name=xml_safe(code.name), isCodable="true", color=norm_colour(code.colour))
        description = code_description(code)
        if description:
            _text_el(el, "Description", description, ns)
        for target in (note_refs or {}).get(code.id, []):
            _el(el, "NoteRef", ns, targetGUID=target)
        for child in children.get(code.id, []):
            add(el, child)

    codes_el = _el(parent, "Codes", ns)
    for top in children.get(None, []):
        add(codes_el, top)


def codebook_xml(snapshot: Snapshot) -> bytes:
    if not snapshot.codes:
        raise InvalidInput("the codebook is empty; REFI-QDA needs at least one code")
    root = _root("CodeBook", CODEBOOK_NS, CODEBOOK_SCHEMA_LOCATION)
    root.set("origin", ORIGIN)
    _add_codes(root, snapshot.codes, CODEBOOK_NS)
    guid_of = {c.id: c.guid for c in snapshot.codes}
    code_sets = [s for s in snapshot.sets if any(kind == "code" and i in guid_of for kind, i in s.members)]
    if code_sets:
        sets_el = _el(root, "Sets", CODEBOOK_NS)
        for item in code_sets:
            set_el = _el(sets_el, "Set", CODEBOOK_NS, guid=item.guid, name=xml_safe(item.name))
            if item.description:
                _text_el(set_el, "Description", item.description, CODEBOOK_NS)
            for kind, member in item.members:
                if kind == "code" and member in guid_of:
                    _el(set_el, "MemberCode", CODEBOOK_NS, guid=guid_of[member])
    return _serialise(root)


def project_xml(snap: Snapshot) -> bytes:
    root = _root("Project", PROJECT_NS, PROJECT_SCHEMA_LOCATION)
    stamps = [d.created for d in snap.documents] + [c.created for c in snap.codings] + [m.created for m in snap.memos]
    stamps = sorted(xml_datetime(s) for s in stamps if s is not None)
    for key, value in (("name", xml_safe(snap.name)), ("origin", ORIGIN),
                       ("creationDateTime", stamps[0] if stamps else None),
                       ("modifiedDateTime", stamps[-1] if stamps else None)):
        if value is not None:
            root.set(key, value)
    coder_guid = {c.id: c.guid for c in snap.coders}
    code_guid = {c.id: c.guid for c in snap.codes}
    doc_guid = {d.id: d.guid for d in snap.documents}
    coding_guid = {c.id: c.guid for c in snap.codings}
    notes_for = _note_refs(snap, code_guid, doc_guid, coding_guid)

    if snap.coders:
        users = _el(root, "Users")
        for coder in snap.coders:
            _el(users, "User", guid=coder.guid, name=xml_safe(coder.name))
    if snap.codes:
        _add_codes(_el(root, "CodeBook"), snap.codes, PROJECT_NS, notes_for[MemoTarget.CODE])
    variables = _variables(snap)
    if variables:
        var_el = _el(root, "Variables")
        for name, guid in variables.items():
            _el(var_el, "Variable", guid=guid, name=xml_safe(name), typeOfVariable="Text")
    _add_cases(root, snap, variables, doc_guid)
    _add_sources(root, snap, variables, coder_guid, code_guid, notes_for)
    _add_notes(root, snap, coder_guid)
    _add_sets(root, snap, code_guid, doc_guid)
    for target in notes_for[MemoTarget.PROJECT].get(None, []):
        _el(root, "NoteRef", targetGUID=target)
    return _serialise(root)


def _note_refs(snap: Snapshot, code_guid, doc_guid, coding_guid) -> dict[MemoTarget, dict[int | None, list[str]]]:
    """Memo GUIDs by what they annotate; memos whose target is gone hang off the project."""
    known = {MemoTarget.CODE: code_guid, MemoTarget.DOCUMENT: doc_guid, MemoTarget.CODING: coding_guid}
    refs: dict[MemoTarget, dict[int | None, list[str]]] = {t: defaultdict(list) for t in MemoTarget}
    for memo in snap.memos:
        if memo.target in known and memo.target_id in known[memo.target]:
            refs[memo.target][memo.target_id].append(memo.guid)
        else:
            refs[MemoTarget.PROJECT][None].append(memo.guid)
    for coding in snap.codings:
        if coding.memo:
            refs[MemoTarget.CODING][coding.id].insert(0, coding_note_guid(coding.guid))
    return refs


def _variables(snap: Snapshot) -> dict[str, str]:
    names: set[str] = set()
    for person in snap.participants:
        names.update(a for a in person.attributes if a != CASE_DESCRIPTION)
        if person.role:
            names.add(ROLE_VARIABLE)
    if any(d.kind for d in snap.documents):
        names.add(KIND_VARIABLE)
    if any(d.date for d in snap.documents):
        names.add(DATE_VARIABLE)
    return {name: variable_guid(snap.project_guid, name) for name in sorted(names)}


def _value(parent, variable_guid_: str, value: str) -> None:
    el = _el(parent, "VariableValue")
    _el(el, "VariableRef", targetGUID=variable_guid_)
    _text_el(el, "TextValue", value)


def _add_cases(root, snap: Snapshot, variables: dict[str, str], doc_guid: dict[int, str]) -> None:
    if not snap.participants:
        return
    docs_of: dict[int, list[int]] = defaultdict(list)
    for document_id, participant_id in snap.links:
        docs_of[participant_id].append(document_id)
    cases = _el(root, "Cases")
    for person in snap.participants:
        case = _el(cases, "Case", guid=person.guid, name=xml_safe(person.label))
        # Real names and aliases stay in the project: they exist only to anonymise.
        values = dict(person.attributes)
        description = values.pop(CASE_DESCRIPTION, None)
        if description:
            _text_el(case, "Description", str(description))
        if person.role and ROLE_VARIABLE not in values:
            values[ROLE_VARIABLE] = person.role
        for name in sorted(values):
            _value(case, variables[name], str(values[name]))
        for document_id in sorted(docs_of.get(person.id, [])):
            _el(case, "SourceRef", targetGUID=doc_guid[document_id])


def line_number(text: str, offset: int) -> int:
    """The 0-based line an offset falls on (qc places a coding on the line its selection names)."""
    return text.count("\n", 0, offset)


def selection_name(text: str, start: int, end: int) -> str:
    """`line:N` then the coded text: qc reads the line from the name, others see the words."""
    return f"line:{line_number(text, start)} " + xml_safe(text[start:end][:SELECTION_NAME_CHARS])


def _memo_text(coding: Coding, memo_texts: dict[int, list[str]]) -> str:
    """Everything written about one coding, as the one Description tools like QualCoder read."""
    parts = ([coding.memo] if coding.memo else []) + memo_texts.get(coding.id, [])
    return MEMO_JOIN.join(parts)


def _add_sources(root, snap: Snapshot, variables, coder_guid, code_guid, notes_for) -> None:
    if not snap.documents:
        return
    memo_texts: dict[MemoTarget, dict[int, list[str]]] = {MemoTarget.CODING: defaultdict(list), MemoTarget.DOCUMENT: defaultdict(list)}
    for memo in snap.memos:
        if memo.target in memo_texts and memo.target_id is not None and memo.text:
            memo_texts[memo.target][memo.target_id].append(memo.text)
    # One selection per (range, coder, memo): QualCoder and qc take the coder from the selection and
    # QualCoder gives the selection's Description to every coding in it, so nothing is misattributed.
    by_group: dict[int, dict[tuple[int, int, str, str], list[Coding]]] = defaultdict(lambda: defaultdict(list))
    for coding in snap.codings:
        key = (coding.start, coding.end, coder_guid.get(coding.coder_id, ""), _memo_text(coding, memo_texts[MemoTarget.CODING]))
        by_group[coding.document_id][key].append(coding)
    sources = _el(root, "Sources")
    for doc in snap.documents:
        source = _el(sources, "TextSource", guid=doc.guid, name=xml_safe(doc.title),
                     plainTextPath=f"internal://{doc.guid}.txt", creationDateTime=xml_datetime(doc.created))
        doc_memo = MEMO_JOIN.join(memo_texts[MemoTarget.DOCUMENT].get(doc.id, []))
        if doc_memo:
            _text_el(source, "Description", doc_memo)
        groups = by_group.get(doc.id, {})
        for key in sorted(groups):
            start, end, user, memo = key
            group = sorted(groups[key], key=lambda c: (c.created is None, c.created, c.id))
            first = group[0]
            selection = _el(source, "PlainTextSelection", guid=selection_guid(doc.guid, start, end, user, memo),
                            name=selection_name(doc.text, start, end),
                            startPosition=str(start), endPosition=str(end),
                            creatingUser=user or None, creationDateTime=xml_datetime(first.created))
            if memo:
                _text_el(selection, "Description", memo)
            for coding in group:
                el = _el(selection, "Coding", guid=coding.guid, creatingUser=coder_guid.get(coding.coder_id),
                         creationDateTime=xml_datetime(coding.created))
                _el(el, "CodeRef", targetGUID=code_guid[coding.code_id])
                for target in notes_for[MemoTarget.CODING].get(coding.id, []):
                    _el(el, "NoteRef", targetGUID=target)
        for target in notes_for[MemoTarget.DOCUMENT].get(doc.id, []):
            _el(source, "NoteRef", targetGUID=target)
        if doc.kind:
            _value(source, variables[KIND_VARIABLE], str(doc.kind))
        if doc.date:
            _value(source, variables[DATE_VARIABLE], doc.date)


def _add_notes(root, snap: Snapshot, coder_guid) -> None:
    entries = [(m.guid, m.title, m.text, coder_guid.get(m.coder_id), m.created) for m in snap.memos]
    entries += [(coding_note_guid(c.guid), CODING_MEMO_NAME, c.memo, coder_guid.get(c.coder_id), c.created)
                for c in snap.codings if c.memo]
    if not entries:
        return
    notes = _el(root, "Notes")
    for guid, title, text, user, created in entries:
        note = _el(notes, "Note", guid=guid, name=xml_safe(title) if title is not None else None,
                   creatingUser=user, creationDateTime=xml_datetime(created))
        _text_el(note, "PlainTextContent", text)


def _add_sets(root, snap: Snapshot, code_guid, doc_guid) -> None:
    if not snap.sets:
        return
    sets = _el(root, "Sets")
    for item in snap.sets:
        set_el = _el(sets, "Set", guid=item.guid, name=xml_safe(item.name))
        if item.description:
            _text_el(set_el, "Description", item.description)
        for kind, member in item.members:
            if kind == "code" and member in code_guid:
                _el(set_el, "MemberCode", targetGUID=code_guid[member])
        for kind, member in item.members:
            if kind == "document" and member in doc_guid:
                _el(set_el, "MemberSource", targetGUID=doc_guid[member])
