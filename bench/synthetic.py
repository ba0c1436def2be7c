"""A deterministic synthetic study: transcript files and a project big enough to measure against."""

from __future__ import annotations

import random
from pathlib import Path

VOCAB = (
    "community hospice volunteers ambition framework leadership funding trust listening network champion "
    "commissioners strategy partnership education training records planning family carers dying death "
    "bereavement compassionate neighbourhood church school charity homelessness faith belonging support "
    "measure progress evidence agenda board meeting staff turnover awareness document length resources "
    "infrastructure engagement fundraising directory bureaucracy goals relationships time spaces expertise "
    "we they it was is and the of to in that for with on at by from really think know mean kind sort actually "
    "people patients services nurses doctors managers public local national regional care end life palliative"
).split()
SPEAKERS = ["Interviewer", "P01", "P02", "P03", "P04", "P05", "P06", "Facilitator"]


def turn_text(rng: random.Random, words: int) -> str:
    chosen = rng.choices(VOCAB, k=words)
    sentences, at = [], 0
    while at < words:
        length = rng.randint(8, 20)
        sentence = " ".join(chosen[at : at + length])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        at += length
    return " ".join(sentences)


def write_corpus(folder: Path, documents: int = 1000, words_per_document: int = 5000, seed: int = 7) -> list[Path]:
    """Plain-text transcripts with speaker turns and timestamps, `words_per_document` words each."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for d in range(documents):
        lines, total, minute = [], 0, 0
        while total < words_per_document:
            words = min(rng.randint(20, 120), words_per_document - total)
            speaker = SPEAKERS[0] if len(lines) % 2 == 0 else rng.choice(SPEAKERS[1:7])
            minute += 1
            lines.append(f"[00:{minute // 60:02d}:{minute % 60:02d}] {speaker}: {turn_text(rng, words)}")
            total += words
        path = folder / f"synthetic-{d:04d}.txt"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
