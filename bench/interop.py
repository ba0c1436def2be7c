"""REFI-QDA interop check: the demo through QualCoder, qc and Taguette and back, compared item by item."""

# Not a test: the peers are heavy installs (PyQt6, a QualCoder source tree, qc, Taguette) that live in
# throwaway venvs under --work. Run:
#   python bench/interop.py --qualcoder-src /path/to/QualCoder/src --work /tmp/qualcode-interop
# --qualcoder-src is the `src` folder of a QualCoder checkout (it is run from source, not installed).

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import venv
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / "interop_peers.py"
PACKAGES = {
    "qualcoder": ["PyQt6", "pymupdf", "Pillow", "qtawesome"],  # what QualCoder's REFI module imports
    "qc": ["qualitative-coding==1.7.8"],
    "taguette": ["taguette==1.5.2"],
}


def peer_python(work: Path, name: str) -> Path:
    """A venv of its own per peer (their pins clash), made once and reused."""
    where = work / f"venv-{name}"
    python = where / "bin" / "python"
    if not python.exists():
        venv.create(where, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES[name]], check=True)
    return python


def peer(work: Path, name: str, *args: str) -> dict:
    env = dict(os.environ, HOME=str(work / "home"), QT_QPA_PLATFORM="offscreen")
    (work / "home").mkdir(exist_ok=True)
    run = subprocess.run([str(peer_python(work, name)), str(PEERS), *args], capture_output=True, text=True, env=env, timeout=1800)
    if run.returncode != 0:
        raise SystemExit(f"{name} {args[0]} failed: {run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])  # QualCoder prints its own chatter first


def demo_state(db) -> dict:
    """The demo as the peers can hold it: coded ranges by coder, memos, documents, codes."""
    from qualcode.store import codes, coders, codings, documents, interchange, participants
    from qualcode.store import memos as memo_repo

    with db.reading() as s:
        docs = {d.id: d for d in documents.list_all(s)}
        tree = {c.id: c for c in codes.list_all(s)}
        people = {c.id: c.name for c in coders.list_all(s)}
        found = codings.all_codings(s)
        memos = memo_repo.list_all(s)
        cases = participants.list_all(s)
        links = interchange.document_links(s)
    return {
        "documents": len(docs), "codes": len(tree), "codings": len(found),
        "codings_per_coder": dict(Counter(people[c.coder_id] for c in found)),
        "coding_memos": sum(1 for c in found if c.memo) + sum(1 for m in memos if str(m.target) == "coding"),
        "document_memos": sum(1 for m in memos if str(m.target) == "document"),
        "journals": sum(1 for m in memos if str(m.target) == "project"),
        "cases": len(cases), "case_links": len(links),
        "coded_texts": sorted(f"{docs[c.document_id].title}|{c.start}|{c.end}|{tree[c.code_id].name}|{people[c.coder_id]}" for c in found),
        "coded_lines": sorted({f"{docs[c.document_id].title.removesuffix('.txt')}|{docs[c.document_id].text.count(chr(10), 0, c.start)}|"
                               f"{tree[c.code_id].name}|{people[c.coder_id]}" for c in found}),
        "case_notes": sorted(f"{p.label}|{p.attributes.get('description', '')}" for p in cases if p.attributes.get("description")),
    }


def open_db(path: Path):
    from qualcode.store import Database

    return Database(f"sqlite:///{path}")


def import_into_qualcode(qdpx: Path, target: Path, *, codebook: bool = False) -> tuple[dict, dict]:
    from dataclasses import asdict

    from qualcode.refi.import_ import import_file
    from qualcode.store.staging import new_project

    target.unlink(missing_ok=True)
    with new_project(f"sqlite:///{target}") as fresh:
        report = import_file(qdpx, fresh)
    db = open_db(target)
    try:
        return asdict(report), demo_state(db)
    finally:
        db.dispose()


def _drop_code(entry: str) -> str:
    doc, start, end, _code, coder = entry.split("|")
    return f"{doc}|{start}|{end}|{coder}"


def same(a: list[str], b: list[str]) -> int:
    return sum((Counter(a) & Counter(b)).values())


def run(work: Path, qualcoder_src: Path | None) -> dict:
    from qualcode.demo import build_demo
    from qualcode.refi.export import export_codebook, export_project

    work.mkdir(parents=True, exist_ok=True)
    demo_path = work / "demo.db"
    demo_path.unlink(missing_ok=True)
    build_demo(demo_path)
    db = open_db(demo_path)
    demo = demo_state(db)
    qdpx = export_project(db, work / "demo.qdpx")
    qdc = export_codebook(db, work / "demo.qdc")
    with db.reading() as s:
        from qualcode.store import codes

        codebook = [(c.path, c.description) for c in codes.list_all(s)]
    db.dispose()
    results: dict = {"demo": {k: v for k, v in demo.items() if not k.startswith("coded_") and k != "case_notes"}}

    if qualcoder_src is not None:
        project = work / "qualcoder" / "demo.qda"
        shutil.rmtree(project.parent, ignore_errors=True)
        project.parent.mkdir(parents=True)
        got = peer(work, "qualcoder", "qualcoder-import", str(qualcoder_src), str(qdpx), str(project))
        forward = {k: got[k] for k in ("sources", "codes", "codings", "codings_per_coder", "coding_memos", "document_memos", "journals", "cases", "case_links")}
        forward["right_range_code_and_coder"] = same(got["coded_texts"], demo["coded_texts"])
        forward["right_range_and_coder"] = same([_drop_code(t) for t in got["coded_texts"]], [_drop_code(t) for t in demo["coded_texts"]])
        forward["duplicate_messages"] = got["duplicate_messages"]
        results["qualcode -> QualCoder"] = {"version": got["version"], **forward}
        # Back again, after what a QualCoder user adds by hand: journal, document memo, case, coding memo.
        enriched = peer(work, "qualcoder", "qualcoder-enrich", str(qualcoder_src), str(project))
        out_dir = work / "qualcoder-out"
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir()
        written = peer(work, "qualcoder", "qualcoder-export", str(qualcoder_src), str(project), str(out_dir))
        report, back = import_into_qualcode(Path(written["qdpx"]), work / "from-qualcoder.db")
        results["QualCoder -> qualcode"] = {
            "in QualCoder": {k: enriched[k] for k in ("sources", "codings", "codings_per_coder", "coding_memos", "document_memos", "journals", "cases", "case_links")},
            "in qualcode": {k: back[k] for k in ("documents", "codings", "codings_per_coder", "coding_memos", "document_memos", "journals", "cases", "case_links")},
            "right_range_code_and_coder": same(back["coded_texts"], enriched["coded_texts"]),  # QualCoder's store as exported
            "case_memos": back["case_notes"],
            "warnings": report["warnings"][:10],
        }

    qc_dir = work / "qc"
    shutil.rmtree(qc_dir, ignore_errors=True)
    got = peer(work, "qc", "qc-import", str(qdpx), str(qc_dir))
    expected_lines = demo["coded_lines"]
    results["qualcode -> qc"] = {
        "version": got["version"], "returncode": got["returncode"], "documents": got.get("documents"), "codes": got.get("codes"),
        "coded_lines": got.get("codings"), "expected_coded_lines": len(expected_lines),
        "right_line_code_and_coder": same(got.get("coded_lines", []), expected_lines),
        "codings_per_coder": got.get("codings_per_coder"), "on_line_0": got.get("on_line_0"),
    }
    written = peer(work, "qc", "qc-export", str(qc_dir), str(work / "from-qc.qdpx"))
    report, back = import_into_qualcode(Path(written["qdpx"]), work / "from-qc.db")
    results["qc -> qualcode"] = {
        "documents": back["documents"], "codes": back["codes"], "codings": back["codings"],
        "codings_per_coder": back["codings_per_coder"],
        "same_line_code_and_coder": same(back["coded_lines"], got.get("coded_lines", [])), "warnings": report["warnings"][:10],
    }

    # Taguette reads codebooks only as CSV and writes them as REFI .qdc: demo codebook -> Taguette -> qualcode.
    import csv

    csv_path = work / "codebook.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "description"])
        writer.writerows(codebook)
    got = peer(work, "taguette", "taguette-codebook", str(csv_path), str(work / "from-taguette.qdc"))
    report, back = import_into_qualcode(Path(got["qdc"]), work / "from-taguette.db")
    from qualcode.store import codes as code_repo

    tdb = open_db(work / "from-taguette.db")
    with tdb.reading() as s:
        arrived = {c.name: c.description for c in code_repo.list_all(s)}
    tdb.dispose()
    results["qualcode codebook -> Taguette -> qualcode"] = {
        "version": got["version"], "codes_in": len(codebook), "tags_in_taguette": got["tags"], "codes_back": back["codes"],
        "names_intact": sum(1 for path, _ in codebook if path.replace("/", "\u2215") in arrived),
        "descriptions_intact": sum(1 for path, text in codebook if arrived.get(path.replace("/", "\u2215")) == text),
        "warnings": len(report["warnings"]), "qdc": str(qdc),
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=Path("/tmp/qualcode-interop"))
    parser.add_argument("--qualcoder-src", type=Path, help="the src/ folder of a QualCoder checkout")
    args = parser.parse_args()
    results = run(args.work, args.qualcoder_src)
    (args.work / "interop.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
