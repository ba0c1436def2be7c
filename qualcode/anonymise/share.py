"""One anonymisation policy for every path that shows participant text outside the project.

Quote-bank exports, reports, `summary`, `tally --quotes`, the TUI's shareable views and an
anonymised REFI export all build a SharePolicy: the project's roster, its one stable pseudonym
key, the same detectors and the same final scan. One text therefore masks the same way
everywhere, and a pseudonym given anywhere is kept everywhere after.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from .anonymiser import Anonymiser, final_scan
from .leaks import LeakScan, words_of
from .pseudonyms import Policy, PseudonymKey
from .roster import Roster, RosterEntry

if TYPE_CHECKING:
    from qualcode.analysis.dataset import Dataset
    from qualcode.store.engine import Database

ACCEPTED_KEY = "accepted_excerpts"  # project_meta: excerpt ref -> hash of the text a reviewer passed
UNMASKED_NOTICE = "NOT ANONYMISED: quotes in this file are shown unmasked, as coded; do not share it outside the project."


def excerpt_ref(document_id: int, start: int, end: int) -> str:
    """How a warning names a quote that is not in a bank, and how a reviewer accepts it."""
    return f"{document_id}:{start}-{end}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class SharePolicy:
    """The roster, key, detectors and scan a project shares text with; build with open_policy."""

    roster: Roster
    key: PseudonymKey
    anonymiser: Anonymiser
    scan: LeakScan
    accepted: dict[str, str] = field(default_factory=dict)
    masked_: dict[str, str] = field(default_factory=dict, repr=False)
    masked_every_form_: dict[str, str] = field(default_factory=dict, repr=False)

    def mask(self, texts: Sequence[str], *, every_roster_form: bool = False) -> list[str]:
        """Masked texts, all with the project key: one entity, one pseudonym, whatever the path.

        every_roster_form is for output no reviewer sees before it leaves (Anonymiser.detect_many).
        """
        cache = self.masked_every_form_ if every_roster_form else self.masked_
        fresh = [t for t in dict.fromkeys(texts) if t not in cache]
        if not fresh:
            return [cache[t] for t in texts]  # nothing new: the model is not even loaded
        for text, result in zip(fresh, self.anonymiser.mask_many(fresh, self.key, every_roster_form=every_roster_form)):
            cache[text] = result.text
        return [cache[t] for t in texts]

    def leaks(self, *texts: str, known: frozenset[str] = frozenset()) -> list[str]:
        """What the final scan finds in outgoing texts: roster strings, near misses, unexplained words.

        `known` adds words a file's own frame explains (its headings, a cited author).
        """
        found: list[str] = []
        for text in texts:
            found += self.scan.hits(text, known)
            found += [text[s.start : s.end] for s in final_scan(text, self.roster) if self._counts(text, s, known)]
        return list(dict.fromkeys(found))

    def _counts(self, text: str, span, known: frozenset[str]) -> bool:
        """Whether a roster hit is a leak; a unique job title is one only where the detectors mask it.

        The detectors mask a unique role under the policy's JOB action, so the scan holds a quote
        that still shows it. A file's own frame (a table of excerpts by role) is the team's writing:
        the role there is an attribute value it chose to show, as `known` says, not participant text.
        """
        if span.type != "JOB":
            return True
        if self.anonymiser.policy.action("JOB") == "keep":
            return False
        return not words_of([text[span.start : span.end]]) <= known

    def is_accepted(self, ref: str, original: str) -> bool:
        """Whether a reviewer passed this excerpt as it now reads (a changed text needs a new look)."""
        return self.accepted.get(ref) == text_hash(original)

    def save(self, db: Database) -> None:
        """Keep the pseudonyms this policy handed out, so later exports and rebuilds reuse them."""
        from qualcode.quotes import keys

        with db.transaction() as session:
            keys.save_project_key(session, self.key)


def make_anonymiser(
    roster: Roster, deny: Mapping[str, str] = (), generalise: Iterable[str] = (), use_ner: bool = True
) -> Anonymiser:
    """The detectors every shared path uses; `generalise` is a bank's own choice of described types."""
    generalise = tuple(generalise)
    policy = Policy.generalised(*generalise) if generalise else Policy()
    return Anonymiser(roster=roster, denylist=dict(deny), policy=policy, use_ner=use_ner)


def make_policy(
    roster: Roster, key: PseudonymKey | None = None, *, known: Iterable[str] = (), deny: Mapping[str, str] = (),
    use_ner: bool = True, accepted: Mapping[str, str] = (),
) -> SharePolicy:
    return SharePolicy(roster, key if key is not None else PseudonymKey(), make_anonymiser(roster, deny, (), use_ner),
                       LeakScan(roster, frozenset(known)), dict(accepted))


def open_policy(db: Database, extra_roster: Roster | None = None, use_ner: bool = True) -> SharePolicy:
    """The project's policy: its roster, its key, every reviewer's redactions, its accepted excerpts."""
    from qualcode.quotes import keys
    from qualcode.quotes.roster import project_roster
    from qualcode.store import meta
    from qualcode.store import quotes as quote_repo

    with db.reading() as session:
        roster = project_roster(session, extra_roster)
        key = keys.load_project_key(session)
        deny: dict[str, str] = {}
        for settings in quote_repo.all_settings(session).values():
            deny.update(settings.deny)
        known = project_vocabulary(session)
        accepted = _accepted(meta.get(session, ACCEPTED_KEY))
    return make_policy(roster, key, known=known, deny=deny, use_ner=use_ner, accepted=accepted)


def accept_excerpt(db: Database, ref: str, coder: str | None = None) -> None:
    """A reviewer passes a withheld excerpt (DOC:START-END) as its text now reads."""
    from qualcode.errors import InvalidInput
    from qualcode.store import audit, meta
    from qualcode.store import documents as doc_repo

    try:
        document, span = ref.split(":", 1)
        start, end = (int(x) for x in span.split("-", 1))
        document_id = int(document)
    except ValueError as exc:
        raise InvalidInput(f"'{ref}' is not an excerpt reference such as 3:120-180") from exc
    with db.transaction() as session:
        text = doc_repo.get(session, document_id).text
        if not 0 <= start < end <= len(text):
            raise InvalidInput(f"excerpt {ref} is outside its document (0-{len(text)})")
        accepted = _accepted(meta.get(session, ACCEPTED_KEY))
        accepted[ref] = text_hash(text[start:end])
        meta.put(session, ACCEPTED_KEY, json.dumps(accepted, sort_keys=True))
        audit.record(session, "accept", "excerpt", document_id, coder=coder, after={"ref": ref})


def _accepted(raw: str | None) -> dict[str, str]:
    from qualcode.errors import InvalidInput

    try:
        data = json.loads(raw or "{}")
    except ValueError as exc:
        raise InvalidInput(f"project setting '{ACCEPTED_KEY}' is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"project setting '{ACCEPTED_KEY}' must map excerpt refs to hashes")
    return {str(k): str(v) for k, v in data.items()}


def project_vocabulary(session) -> set[str]:
    """Words the team itself put in the project: they explain a capitalised word in an export.

    Document titles are left out: a title often holds a name, and it is checked where it is shown.
    """
    from qualcode.store import codes as code_repo
    from qualcode.store import coders as coder_repo
    from qualcode.store import meta
    from qualcode.store import participants as participant_repo

    texts = [meta.get(session, "name") or ""]
    texts += [f"{c.path} {c.description or ''}" for c in code_repo.list_all(session)]
    texts += [c.name for c in coder_repo.list_all(session)]
    for p in participant_repo.list_all(session):
        texts += [p.label, p.role or "", *map(str, p.attributes.keys()), *map(str, p.attributes.values())]
    return _vocabulary(texts)


def dataset_policy(ds: Dataset, use_ner: bool = True, key: PseudonymKey | None = None) -> SharePolicy:
    """A policy from an analysis dataset alone (its participants and roster names), for callers without a database."""
    people = [
        RosterEntry(f"participant:{p.label}", p.name or p.aliases[0], "PERSON", tuple(p.aliases if p.name else p.aliases[1:]),
                    p.role, (p.attributes or {}).get("region"))
        for p in ds.participants.values() if p.name or p.aliases
    ]
    groups = {"person": [], "place": [], "organisation": []}
    for name, what in ds.named.items():
        groups.setdefault(what, []).append(name)
    roster = Roster(people=[*people, *groups["person"]], places=groups["place"], organisations=groups["organisation"])
    return make_policy(roster, key, known=dataset_vocabulary(ds), use_ner=use_ner)


def dataset_vocabulary(ds: Dataset) -> set[str]:
    texts = [f"{c.path} {c.description or ''}" for c in ds.codes]
    texts += list(ds.coders.values()) + list(ds.code_groups)
    for p in ds.participants.values():
        texts += [p.label, p.role or "", *map(str, p.attributes.keys()), *map(str, p.attributes.values())]
    return _vocabulary(texts)


def _vocabulary(texts: list[str]) -> set[str]:
    return words_of(texts)
