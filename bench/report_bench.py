"""Report benchmark: a synthetic project of ~1,000 documents and ~50,000 codings; time each report stage."""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SPEAKERS, turn_text  # noqa: E402

KINDS = ["interview", "focus_group", "workshop", "evidence_cafe", "survey"]
ROLES = ["service manager", "frontline provider", "commissioner", "member of the public", "chaplain"]
SETTINGS = ["hospice", "hospital", "community", "care home", "ICB", "voluntary sector"]
REGIONS = ["North East", "North West", "Yorkshire", "Midlands", "East", "London", "South East", "South West"]


def build_project(path: Path, documents: int, codings: int, words: int, seed: int = 11) -> None:
    """Documents, participants and the default codebook through the store API; codings in bulk."""
    from sqlalchemy import insert

    from qualcode.codebook.loader import load_codebook
    from qualcode.codebook.operations import import_spec
    from qualcode.demo import DEFAULT_CODEBOOK
    from qualcode.domain import DocumentKind, SegmentKind
    from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment
    from qualcode.store import Database, coders, codes, documents as doc_repo, participants
    from qualcode.store.orm import CodingRow

    rng = random.Random(seed)
    db = Database(f"sqlite:///{path}", create=True)
    spans: list[tuple[int, int, int]] = []
    with db.transaction() as s:
        import_spec(s, load_codebook(DEFAULT_CODEBOOK))
        people = [
            participants.upsert(s, ParsedParticipant(
                f"P{i:03d}", role=rng.choice(ROLES), name=f"Synthetic Person {i}",
                attributes={"setting": rng.choice(SETTINGS), "region": rng.choice(REGIONS)}))
            for i in range(1, 121)
        ]
        for d in range(documents):
            kind = DocumentKind(KINDS[d % len(KINDS)])
            speakers = rng.sample(people, 1 if kind == DocumentKind.SURVEY else rng.randint(1, 6))
            parts, segments, ids, at, total = [], [], [], 0, 0
            while total < words:
                count = rng.randint(20, 120)
                who = speakers[len(segments) % len(speakers)]
                prefix = f"{SPEAKERS[1 + len(segments) % 6]}: "
                body = turn_text(rng, count)
                parts.append(prefix + body)
                segments.append(ParsedSegment(at + len(prefix), at + len(prefix) + len(body), SegmentKind.TURN, prefix[:-2]))
                ids.append(who)
                at += len(prefix) + len(body) + 2
                total += count
            text = "\n\n".join(parts)
            date = f"2024-{1 + d % 12:02d}-{1 + d % 28:02d}"
            doc_id = doc_repo.add_parsed(s, ParsedDocument(f"synthetic-{d:04d}", kind, text, segments, sha256=uuid.uuid4().hex,
                                                           date=date), ids)
            spans += [(doc_id, seg.start, seg.end) for seg in segments]
        leaves = [c.id for c in codes.list_all(s) if "/" in c.path]
        coder_ids = [coders.get_or_add(s, name).id for name in ("alex", "sam", "kai")]
        rows = []
        for _ in range(codings):
            doc_id, start, end = rng.choice(spans)
            a = rng.randint(start, max(start, end - 60))
            b = min(end, a + rng.randint(40, 300))
            rows.append({"guid": str(uuid.uuid4()), "document_id": doc_id, "start": a, "end": b,
                         "code_id": rng.choice(leaves), "coder_id": rng.choice(coder_ids), "provenance": "import",
                         "codebook_version": 1, "candidate_quote": rng.random() < 0.02})
        s.execute(insert(CodingRow), rows)
    db.dispose()


class Clock:
    """Wall and CPU seconds of a stage: on a shared machine CPU time is the figure that carries over."""

    def __init__(self, figures: dict, name: str):
        self.figures, self.name = figures, name

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.figures[f"{self.name}_s"] = round(time.perf_counter() - self.wall, 2)
        self.figures[f"{self.name}_cpu_s"] = round(time.process_time() - self.cpu, 2)


def run(documents: int, codings: int, words: int, workdir: Path) -> dict:
    from qualcode.analysis import load
    from qualcode.nlp.pipeline import load_pipeline
    from qualcode.reports import FORMATS, build_report, render_to
    from qualcode.store import Database

    project = workdir / "bench.db"
    started = time.perf_counter()
    build_project(project, documents, codings, words)
    figures: dict = {"documents": documents, "codings": codings, "setup_s": round(time.perf_counter() - started, 1)}
    with Clock(figures, "spacy_load"):
        load_pipeline(disable=("ner", "parser"))
    with Clock(figures, "load"):
        db = Database(f"sqlite:///{project}")
        with db.reading() as s:
            ds = load(s)
        db.dispose()
    with Clock(figures, "analyse"):
        report = build_report(ds)
    for fmt in FORMATS:
        with Clock(figures, f"render_{fmt}"):
            out = render_to(report, workdir / f"report.{fmt}", fmt)
        figures[f"{fmt}_bytes"] = out.stat().st_size
    for suffix in ("s", "cpu_s"):
        stages = figures[f"spacy_load_{suffix}"] + figures[f"load_{suffix}"] + figures[f"analyse_{suffix}"]
        slowest = max(figures[f"render_{f}_{suffix}"] for f in FORMATS)
        figures[f"full_report_slowest_format_{suffix}"] = round(stages + slowest, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--words", type=int, default=1500, help="words per document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run(args.documents, args.codings, args.words, Path(folder)), indent=2))


if __name__ == "__main__":
    main()
