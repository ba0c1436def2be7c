"""The last check before a parsed file is written: the import text rule and the store's lengths, field by field."""

from __future__ import annotations

from qualcode.errors import ImportRefused, InvalidInput
from qualcode.importers.base import ParsedDocument, ParsedImport, ParsedParticipant
from qualcode.sanitise import (
    MAX_LABEL,
    MAX_PERSON_NAME,
    MAX_ROLE,
    MAX_SPEAKER,
    MAX_TITLE,
    check_length,
    check_name,
    clean_text,
    clean_tree,
)


def vet(parsed: ParsedImport, name: str) -> ParsedImport:
    """Clean every string in place and refuse, in one line, a value the store could not hold on either backend."""
    try:
        for person in parsed.participants:
            vet_participant(person, name)
        for document in parsed.documents:
            _vet_document(document, name)
    except InvalidInput as exc:
        raise ImportRefused(str(exc)) from None
    return parsed


def vet_participant(person: ParsedParticipant, name: str) -> ParsedParticipant:
    person.label = check_name(clean_text(person.label, name), "participant label", MAX_LABEL, name)
    if person.role is not None:
        person.role = check_name(clean_text(person.role, name), f"role of {person.label}", MAX_ROLE, name)
    if person.name is not None:
        person.name = check_name(clean_text(person.name, name), f"name of {person.label}", MAX_PERSON_NAME, name)
    person.aliases = [clean_text(a, name) for a in person.aliases]
    person.attributes = clean_tree(person.attributes, name)
    return person


def _vet_document(document: ParsedDocument, name: str) -> None:
    document.title = clean_text(document.title, name)
    check_length(document.title, "document title", MAX_TITLE, name)
    if document.source_name is not None:
        document.source_name = clean_text(document.source_name, name)
        check_length(document.source_name, "file name", MAX_TITLE, name)
    document.text = clean_text(document.text, name)  # one character for one: segment offsets hold
    document.meta = clean_tree(document.meta, name)
    if document.participant_label is not None:
        document.participant_label = clean_text(document.participant_label, name)
    speakers: set[str] = set()
    for segment in document.segments:
        if segment.speaker is not None and segment.speaker not in speakers:
            check_name(clean_text(segment.speaker, name), "speaker name", MAX_SPEAKER, name)
            speakers.add(segment.speaker)
        segment.speaker = clean_text(segment.speaker, name) if segment.speaker is not None else None
        if segment.meta:
            segment.meta = clean_tree(segment.meta, name)
