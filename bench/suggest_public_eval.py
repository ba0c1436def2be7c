"""Suggestion quality on human-coded data kept outside the repository, through the real import path.

Run: python bench/suggest_public_eval.py DATA.jsonl [--codebook CODES.json] [--repeats 5] [--json]

DATA.jsonl holds one coded excerpt a line, in document order: {"doc": ..., "text": ..., "codes": [...]}.
CODES.json, if given, is a list of {"name": ..., "description": ...}. The script writes each document as
a plain-text transcript (one paragraph per excerpt), builds a project with `qualcode init`, `codes import`,
`docs import` and `codings import`, then runs `qualcode suggest evaluate --json` on it, and the plain
TF-IDF + logistic regression baseline on the same splits, so the two numbers are comparable.
The data is read where it lies; nothing of it is written into the repository.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


SPEAKER = re.compile(r"^[A-Z][A-Za-z0-9 ]{0,20}:\s")
SPEAKER_NAME = "PARTICIPANT"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "code"


def qualcode(project: Path, *args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "qualcode", "--project", str(project), *args],
                         capture_output=True, text=True, cwd=REPO)
    if run.returncode != 0:
        raise SystemExit(f"qualcode {' '.join(args)} failed: {run.stderr.strip() or run.stdout.strip()}")
    return run.stdout


def build_project(rows: list[dict], codebook: list[dict], folder: Path) -> Path:
    names = {c["name"]: c.get("description", "") for c in codebook}
    for row in rows:
        for code in row["codes"]:
            names.setdefault(code, "")
    slugs = {name: slug(name) for name in names}
    book = {"name": "evaluation codebook", "version": 1,
            "codes": [{"name": slugs[n], "description": d or n} for n, d in names.items()]}
    (folder / "codebook.yaml").write_text(yaml.safe_dump(book, sort_keys=False), encoding="utf-8")
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc"], []).append(row)
    files = []
    for i, (doc, excerpts) in enumerate(by_doc.items()):
        seen, paragraphs = set(), []
        for e in excerpts:
            text = " ".join(e["text"].split())
            if text and text not in seen:
                seen.add(text)
                # Every excerpt a speaker turn: one "NAME:" line among plain paragraphs would make the
                # importer read the document as turns and join the plain paragraphs to the turn above.
                paragraphs.append(text if SPEAKER.match(text) else f"{SPEAKER_NAME}: {text}")
        path = folder / f"doc-{i:03d}.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        files.append((path, excerpts))
    project = folder / "eval.db"
    qualcode(project, "init")
    qualcode(project, "codes", "import", str(folder / "codebook.yaml"))
    qualcode(project, "docs", "import", *[str(p) for p, _ in files])
    with (folder / "codings.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc", "start", "end", "code", "coder"])
        for path, excerpts in files:
            shown = json.loads(qualcode(project, "docs", "show", path.stem, "--json"))
            text, cursor = shown["text"], 0
            for e in excerpts:
                needle = " ".join(e["text"].split())
                # In document order: the same short reply ("Okay.") said twice is two places, not one.
                start = text.find(needle, cursor)
                if start < 0:
                    start = text.find(needle)  # a span nested in the one before, or told out of order
                if start < 0 or not needle:
                    continue
                cursor = start
                for code in e["codes"]:
                    writer.writerow([path.stem, start, start + len(needle), slugs[code], e.get("coder", "coder")])
    qualcode(project, "codings", "import", str(folder / "codings.csv"))
    return project


def baseline(project: Path, repeats: int, protocol: str = "split") -> dict:
    """Plain TF-IDF word n-grams + one logistic regression per code, nothing else, on the same splits."""
    from qualcode.nlp.suggest.corpus import load_corpus
    from qualcode.nlp.suggest.evaluate import cross_validate, half_coded
    from qualcode.nlp.suggest.ranker import DEFAULT_CONFIG
    from qualcode.store.engine import Database

    with Database(f"sqlite:///{project}").reading() as session:
        corpus = load_corpus(session)
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["ranker"] = "qualcode.ranker.v1"
    config["components"] = {"learned": {"factory": "qualcode.learned.v1", "weight": 1.0, "trust_after": 1e-9}}
    if protocol == "half-coded":
        report = asdict(half_coded(corpus, repeats=repeats, config=config))
    else:
        report = asdict(cross_validate(corpus, train_fraction=0.5, repeats=repeats, config=config))
    return {k: report[k] for k in KEYS}


KEYS = ("precision_at_1", "recall_at_3", "hit_at_3", "micro_f1", "macro_f1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--codebook", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--protocol", action="append", choices=("split", "half-coded"),
                        help="repeatable; default both")
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    codebook = json.loads(args.codebook.read_text(encoding="utf-8")) if args.codebook else []
    out: dict = {"data": args.data.name}
    with tempfile.TemporaryDirectory(prefix="suggest-public-") as tmp:
        project = build_project(rows, codebook, Path(tmp))
        for protocol in args.protocol or ("split", "half-coded"):
            full = json.loads(qualcode(project, "suggest", "evaluate", "--protocol", protocol, "--train-fraction", "0.5",
                                       "--repeats", str(args.repeats), "--json"))
            out.update(units=full["units"], coded_units=full["coded_units"])
            out[protocol] = {"qualcode": {k: full[k] for k in KEYS}, "plain_tfidf_logreg": baseline(project, args.repeats, protocol)}
        if not args.no_cold:
            cold = json.loads(qualcode(project, "suggest", "evaluate", "--cold", "--json"))
            out["cold_start"] = {k: cold[k] for k in KEYS}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{out['data']}: {out.get('coded_units')} coded test segments of {out.get('units')}")
    for protocol in ("split", "half-coded", "cold_start"):
        for name, e in ([("cold start", out[protocol])] if protocol == "cold_start" else out.get(protocol, {}).items()):
            print(f"  {protocol} {name}: precision@1 {e['precision_at_1']}, recall@3 {e['recall_at_3']}, hit@3 {e['hit_at_3']}, "
                  f"micro F1 {e['micro_f1']}, macro F1 {e['macro_f1']}")


if __name__ == "__main__":
    main()
