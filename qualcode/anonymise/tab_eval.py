"""TAB's measures (entity recall for direct and quasi identifiers, token precision) and its schema.

The rule, from the Text Anonymization Benchmark (Pilán et al. 2022): an entity is protected only
when every one of its mentions is masked; a mention is masked when all its characters are,
ignoring spaces, punctuation and a few function words. Token precision is the share of masked
word tokens that an annotated DIRECT or QUASI mention covers.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import InvalidInput

from .spans import Span

# Words a mention may leave unmasked and still count as masked ("Mr" of "Mr Robert Murray").
IGNORED_WORDS = frozenset("the of a an and in on at to mr mrs ms no nr about".split())
_WORD = re.compile(r"\w+")
_MARK = re.compile(r"\[\[(?P<surface>[^\]|]+)\|(?P<type>[A-Z]+)\|(?P<ident>[DQ])\|(?P<entity>\w+)\]\]")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    entity_type: str
    identifier: str  # DIRECT or QUASI
    entity_id: str


@dataclass(frozen=True, slots=True)
class TabDocument:
    doc_id: str
    text: str
    mentions: tuple[Mention, ...]


def load_tab(path: str | Path) -> list[TabDocument]:
    """Documents in TAB's JSON schema; the first annotator's DIRECT and QUASI mentions."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read TAB file {path}: {exc}") from exc
    docs = []
    for doc in data:
        annotator = min(doc["annotations"])
        mentions = tuple(
            Mention(
                m["start_offset"],
                m["end_offset"],
                m["entity_type"],
                m["identifier_type"],
                m["entity_id"],
            )
            for m in doc["annotations"][annotator]["entity_mentions"]
            if m["identifier_type"] in ("DIRECT", "QUASI")
        )
        docs.append(TabDocument(doc["doc_id"], doc["text"], mentions))
    return docs


def parse_marked_line(doc_id: str, marked: str) -> dict:
    """'[[Kath|PERSON|D|e1]] rang' -> one document in TAB's schema (offsets into the plain text)."""
    plain: list[str] = []
    mentions = []
    cursor = length = 0
    for n, match in enumerate(_MARK.finditer(marked), 1):
        before = marked[cursor : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group("surface")
        mentions.append(
            {
                "entity_type": match.group("type"),
                "entity_mention_id": f"{doc_id}_em{n}",
                "start_offset": length,
                "end_offset": length + len(surface),
                "span_text": surface,
                "identifier_type": "DIRECT" if match.group("ident") == "D" else "QUASI",
                "entity_id": f"{doc_id}_{match.group('entity')}",
            }
        )
        plain.append(surface)
        length += len(surface)
        cursor = match.end()
    plain.append(marked[cursor:])
    text = "".join(plain)
    if "[[" in text or "]]" in text:
        raise InvalidInput(f"{doc_id}: unbalanced or malformed mark-up")
    return {
        "doc_id": doc_id,
        "text": text,
        "annotations": {"annotator1": {"entity_mentions": mentions}},
    }


def marked_to_tab(path: str | Path) -> list[dict]:
    """Lines `id | marked text` ('#' comments) as a list of TAB documents."""
    docs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        doc_id, sep, marked = line.partition(" | ")
        if not sep:
            raise InvalidInput(f"{path}:{number}: expected 'id | marked text'")
        docs.append(parse_marked_line(doc_id.strip(), marked))
    return docs


@dataclass
class TabScores:
    """ER_di, ER_qi and token precision, with the entities missed and the tokens wrongly masked."""

    protected: dict[str, int] = field(default_factory=lambda: {"DIRECT": 0, "QUASI": 0})
    entities: dict[str, int] = field(default_factory=lambda: {"DIRECT": 0, "QUASI": 0})
    masked_tokens: int = 0
    correct_tokens: int = 0
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, identifier: str) -> float:
        total = self.entities[identifier]
        return self.protected[identifier] / total if total else 1.0

    @property
    def er_di(self) -> float:
        return self.recall("DIRECT")

    @property
    def er_qi(self) -> float:
        return self.recall("QUASI")

    @property
    def precision(self) -> float:
        return self.correct_tokens / self.masked_tokens if self.masked_tokens else 1.0


def mention_masked(text: str, mention: Mention, covered: set[int]) -> bool:
    for word in _WORD.finditer(text, mention.start, mention.end):
        if word.group().casefold() in IGNORED_WORDS:
            continue
        if any(i not in covered for i in range(word.start(), word.end())):
            return False
    return True


def score_tab(docs: Sequence[TabDocument], predicted: Sequence[Sequence[Span]]) -> TabScores:
    scores = TabScores()
    for doc, spans in zip(docs, predicted, strict=True):
        covered: set[int] = set()
        for span in spans:
            covered.update(range(span.start, span.end))
        by_entity: dict[str, list[Mention]] = {}
        for mention in doc.mentions:
            by_entity.setdefault(mention.entity_id, []).append(mention)
        for mentions in by_entity.values():
            kind = "DIRECT" if any(m.identifier == "DIRECT" for m in mentions) else "QUASI"
            scores.entities[kind] += 1
            unmasked = [m for m in mentions if not mention_masked(doc.text, m, covered)]
            if unmasked:
                m = unmasked[0]
                scores.missed.append((doc.doc_id, doc.text[m.start : m.end], kind))
            else:
                scores.protected[kind] += 1
        annotated: set[int] = set()
        for mention in doc.mentions:
            annotated.update(range(mention.start, mention.end))
        for word in _WORD.finditer(doc.text):
            if any(i in covered for i in range(word.start(), word.end())):
                scores.masked_tokens += 1
                if any(i in annotated for i in range(word.start(), word.end())):
                    scores.correct_tokens += 1
                else:
                    scores.wrong.append((doc.doc_id, word.group()))
    return scores


def main(argv: list[str] | None = None) -> int:
    """Print a marked-up gold file as TAB JSON."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(
            "usage: python -m qualcode.anonymise.tab_eval MARKED.txt > gold.json",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(json.dumps(marked_to_tab(args[0]), ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
