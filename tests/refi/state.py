"""A project as plain values keyed by GUID, so two projects (before and after a round trip) compare."""

from __future__ import annotations

from qualcode.refi.model import norm_colour, xml_datetime
from qualcode.store import codes, coders, codings, documents, interchange, memos, participants, sets


def project_state(db) -> dict:
    with db.reading() as s:
        docs = documents.list_all(s)
        tree = codes.list_all(s)
        found = codings.all_codings(s)
        people = coders.list_all(s)
        cases = participants.list_all(s)
        notes = memos.list_all(s)
        groups = sets.list_all(s)
        links = interchange.document_links(s)
    doc = {d.id: d.guid for d in docs}
    code = {c.id: c.guid for c in tree}
    coder = {c.id: c.guid for c in people}
    coding = {c.id: c.guid for c in found}
    case = {p.id: p.guid for p in cases}
    targets = {"document": doc, "code": code, "coding": coding}
    return {
        "documents": {d.guid: (d.title, d.text, str(d.kind), d.date, xml_datetime(d.created)) for d in docs},
        "codes": {c.guid: (c.path, c.description, c.inclusion, c.exclusion, c.examples, c.keywords, norm_colour(c.colour), str(c.valence))
                  for c in tree},
        "codings": {c.guid: (doc[c.document_id], c.start, c.end, code[c.code_id], coder[c.coder_id],
                             xml_datetime(c.created), c.memo) for c in found},
        "coders": {c.guid: c.name for c in people},
        "participants": {p.guid: (p.label, p.role, p.attributes) for p in cases},
        "links": sorted((doc[d], case[p]) for d, p in links),
        "memos": {m.guid: (str(m.target), targets.get(str(m.target), {}).get(m.target_id), m.text, m.title,
                           coder.get(m.coder_id)) for m in notes},
        "sets": {x.guid: (x.name, x.description, sorted((kind, (doc if kind == "document" else code)[i]) for kind, i in x.members))
                 for x in groups},
    }
