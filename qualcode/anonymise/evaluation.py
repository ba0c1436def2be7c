"""Gold excerpts from marked-up text, and recall/precision of detected spans by character overlap.

Matching, as the tests and the bench use it: a gold span is *caught* when every letter or digit
in it lies inside some detected span (any type: a masked name is masked whatever it is called);
a detected span is *correct* when it shares at least one character with a gold span.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from qualcode.errors import InvalidInput

from .spans import DIRECT_TYPES, Span

_MARK = re.compile(r"\[\[(?P<surface>[^\]|]+)\|(?P<type>[A-Z_]+)(?:\|(?P<identifier>direct|quasi))?\]\]")


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    type: str
    identifier: str


@dataclass(frozen=True, slots=True)
class GoldExample:
    id: str
    style: str
    text: str
    spans: tuple[GoldSpan, ...]


def parse_marked(marked: str) -> tuple[str, list[GoldSpan]]:
    """'[[Dawn|PERSON]]'s team' -> ("Dawn's team", [GoldSpan(0, 4, "PERSON", "direct")])."""
    plain: list[str] = []
    spans: list[GoldSpan] = []
    cursor = length = 0
    for match in _MARK.finditer(marked):
        before = marked[cursor : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group("surface")
        type_ = match.group("type")
        identifier = match.group("identifier") or ("direct" if type_ in DIRECT_TYPES else "quasi")
        spans.append(GoldSpan(length, length + len(surface), type_, identifier))
        plain.append(surface)
        length += len(surface)
        cursor = match.end()
    plain.append(marked[cursor:])
    text = "".join(plain)
    if "[[" in text or "]]" in text:
        raise InvalidInput(f"unbalanced mark-up in: {marked[:60]}")
    return text, spans


def read_marked(path: str | Path) -> list[GoldExample]:
    """Lines `id | style | marked text`; '#' starts a comment line."""
    examples = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" | ", 2)
        if len(parts) != 3:
            raise InvalidInput(f"{path}:{number}: expected 'id | style | text'")
        text, spans = parse_marked(parts[2])
        examples.append(GoldExample(parts[0].strip(), parts[1].strip(), text, tuple(spans)))
    return examples


def load_gold(path: str | Path) -> list[GoldExample]:
    examples = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            spans = tuple(GoldSpan(**s) for s in row["spans"])
            examples.append(GoldExample(row["id"], row["style"], row["text"], spans))
    return examples


def to_jsonl(examples: Iterable[GoldExample]) -> str:
    rows = ({"id": e.id, "style": e.style, "text": e.text, "spans": [asdict(s) for s in e.spans]} for e in examples)
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


@dataclass
class Scores:
    """Recall per identifier class, precision, and what was missed or wrongly flagged."""

    caught: dict[str, int] = field(default_factory=lambda: {"direct": 0, "quasi": 0})
    total: dict[str, int] = field(default_factory=lambda: {"direct": 0, "quasi": 0})
    correct_predictions: int = 0
    predictions: int = 0
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, identifier: str) -> float:
        return self.caught[identifier] / self.total[identifier] if self.total[identifier] else 1.0

    @property
    def precision(self) -> float:
        return self.correct_predictions / self.predictions if self.predictions else 1.0


def score(examples: Sequence[GoldExample], predicted: Sequence[Sequence[Span]]) -> Scores:
    scores = Scores()
    for example, spans in zip(examples, predicted, strict=True):
        covered = set()
        for span in spans:
            covered.update(range(span.start, span.end))
        for gold in example.spans:
            scores.total[gold.identifier] += 1
            needed = [i for i in range(gold.start, gold.end) if example.text[i].isalnum()]
            if all(i in covered for i in needed):
                scores.caught[gold.identifier] += 1
            else:
                scores.missed.append((example.id, example.text[gold.start : gold.end], gold.type))
        for span in spans:
            scores.predictions += 1
            if any(span.start < g.end and g.start < span.end for g in example.spans):
                scores.correct_predictions += 1
            else:
                scores.false_positives.append((example.id, example.text[span.start : span.end], span.type))
    return scores


def main(argv: list[str] | None = None) -> int:
    """Print gold.jsonl built from a marked-up file."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m qualcode.anonymise.evaluation MARKED.txt > gold.jsonl", file=sys.stderr)
        return 2
    sys.stdout.write(to_jsonl(read_marked(args[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
