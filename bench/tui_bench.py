"""Workbench benchmark (headless Pilot): first paint of a 300,000-character transcript, apply-code and cursor latency,
and retrieving a code with 5,000 excerpts, on a synthetic project of a few hundred documents.

Run: /work/venv/bin/python bench/tui_bench.py [--docs 300] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedSegment

WORDS = ("community care framework ambition hospice volunteers leadership funding partnership street church "
         "school network trust listening planning staff turnover resources meeting strategy commissioners "
         "families carers dying death bereavement education training records access evidence").split()
SPEAKERS = ("Interviewer", "Maren", "Tobin", "Ilse", "Ravi")


def _transcript(title: str, chars: int, rng: random.Random) -> ParsedDocument:
    parts, segments, at = [], [], 0
    while at < chars:
        speaker = rng.choice(SPEAKERS)
        sentences = []
        for _ in range(rng.randint(1, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(5, 18))]
            sentences.append(" ".join(words).capitalize() + rng.choice(".?!."))
        words = " ".join(sentences)
        prefix = f"{speaker}: "
        segments.append(ParsedSegment(at + len(prefix), at + len(prefix) + len(words), SegmentKind.TURN, speaker))
        parts.append(prefix + words)
        at += len(prefix) + len(words) + 2
    text = "\n\n".join(parts)
    return ParsedDocument(title=title, kind=DocumentKind.INTERVIEW, text=text, segments=segments, source_name=title, sha256=title)


def build(path: Path, documents: int, excerpts: int, seed: int = 7) -> dict:
    from qualcode.store import Database, codes, coders
    from qualcode.store import documents as docs
    from qualcode.store.orm import CodingRow

    rng = random.Random(seed)
    db = Database(f"sqlite:///{path}", create=True)
    with db.transaction() as s:
        big = docs.add_parsed(s, _transcript("long-transcript", 300_000, rng), [])
        small = [docs.add_parsed(s, _transcript(f"interview-{i:03d}", 6_000, rng), []) for i in range(documents - 1)]
        for family in ("community", "barriers", "facilitators", "ambitions"):
            codes.add(s, family)
            for n in range(8):
                codes.add(s, f"{family}-{n}", parent=family)
        target = codes.resolve(s, "barriers/barriers-0").id
        coder = coders.get_or_add(s, "bench")
    # 5,000 excerpts of one code by another coder, spread over the small documents (bulk insert: setup only).
    rows = []
    with db.reading() as s:
        lengths = {d.id: len(d.text) for d in docs.list_all(s)}
    for i in range(excerpts):
        doc_id = small[i % len(small)]
        start = rng.randrange(0, lengths[doc_id] - 200)
        rows.append(dict(guid=str(uuid.uuid4()), document_id=doc_id, start=start, end=start + rng.randint(40, 180),
                         code_id=target, coder_id=coder.id, provenance="import", codebook_version=1))
    with db.transaction() as s:
        s.execute(insert(CodingRow), rows)
    db.dispose()
    return {"big": big, "small": small[0], "code": target}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(url: str, ids: dict, home: Path, panels: bool = True) -> dict:
    """One Pilot session; `panels=False` leaves out the reader side panels other modules register
    (the suggestions panel computes in a thread as the caret moves, and its CPU counts here too)."""
    from qualcode.tui import registry
    from qualcode.tui.app import QualcodeApp

    app = QualcodeApp(url, coder="alex", home=home)  # imports every registered screen module
    if not panels:
        for panel in registry.panels():
            registry.unregister(panel.id)
    results: dict[str, float] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        # Cold: the first document opened builds the reader screen too. Warm: switching documents in the reader.
        # Wall time under Pilot includes its idle-detection sleeps, so each figure is the process CPU time spent
        # from the request until the frame is composed (the work a user waits for on an idle machine).
        t0, w0 = time.process_time(), time.perf_counter()
        app.open_document(ids["small"], 0)
        await pilot.pause()
        results["first_paint_cold_s"] = time.process_time() - t0
        results["first_paint_cold_wall_s"] = time.perf_counter() - w0
        t0, w0 = time.process_time(), time.perf_counter()
        app.open_document(ids["big"], 150_000)
        await pilot.pause()
        reader = app.screen
        assert reader.view.doc is not None and reader.view._layout is not None
        results["first_paint_300k_s"] = time.process_time() - t0
        results["first_paint_300k_wall_s"] = time.perf_counter() - w0

        moves: list[float] = []
        for key in ["w"] * 60 + ["down"] * 60 + ["right_parenthesis"] * 40 + ["right_curly_bracket"] * 20 + ["pagedown"] * 20:
            t = time.process_time()
            await pilot.press(key)
            moves.append(time.process_time() - t)
        results["cursor_move_p50_ms"] = statistics.median(moves) * 1000
        results["cursor_move_p95_ms"] = _pct(moves, 0.95) * 1000

        code = next(c for c in app.workbench.codes() if c.path == "community/community-1")
        applies: list[float] = []
        for _ in range(60):
            await pilot.press("right_parenthesis")
            t = time.process_time()
            reader.apply(code.id)
            await pilot.pause()
            applies.append(time.process_time() - t)
        results["apply_code_p50_ms"] = statistics.median(applies) * 1000
        results["apply_code_p95_ms"] = _pct(applies, 0.95) * 1000
        results["codings_in_long_transcript"] = len(reader.view.codings)

        t, c = time.perf_counter(), time.process_time()
        app.retrieve_codes([ids["code"]])
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        results["retrieve_5000_s"] = time.process_time() - c
        results["retrieve_5000_wall_s"] = time.perf_counter() - t
        scrolls: list[float] = []
        for _ in range(40):
            t = time.process_time()
            await pilot.press("pagedown")
            scrolls.append(time.process_time() - t)
        results["excerpt_page_p95_ms"] = _pct(scrolls, 0.95) * 1000
        results["retrieved_excerpts"] = len(app.screen.excerpts)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--excerpts", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--with-panels", action="store_true", help="Also measure with the registered reader panels.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        t = time.perf_counter()
        ids = build(path, args.docs, args.excerpts)
        build_s = time.perf_counter() - t
        url = f"sqlite:///{path}"
        bare = asyncio.run(measure(url, ids, Path(folder) / "home", panels=False))
        full = asyncio.run(measure(url, ids, Path(folder) / "home2", panels=True)) if args.with_panels else {}
    results = {"documents": args.docs, "build_s": build_s, "workbench": bare, "with_registered_panels": full}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"documents {args.docs}, synthetic project built in {build_s:.1f} s")
    print(f"{'':28} {'workbench':>12} {'+panels':>12}")
    for key, value in bare.items():
        other = full.get(key, "")
        fmt = (lambda v: f"{v:12.3f}" if isinstance(v, float) else f"{v!s:>12}")
        print(f"{key:28} {fmt(value)} {fmt(other) if other != '' else ''}")


if __name__ == "__main__":
    main()
