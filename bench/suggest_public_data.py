"""Read public human coding into the JSON Lines of suggest_public_eval: think-aloud sessions or focus groups.

Run: python bench/suggest_public_data.py REPO_DIR OUT_DIR [--set think-aloud|focus-groups]

REPO_DIR is a git checkout or bare clone of the repository, obtained by the user; nothing is downloaded here.
think-aloud (navarral/swj2022-usability-paper, GPL-3.0): OUT_DIR receives think-aloud.jsonl, one excerpt a line
in document order with all the codes its coders gave it, and think-aloud-codes.json, the final codebook with
its descriptions. focus-groups (AustinRThompson/OS-Focus-Group-Study, no licence stated): focus-groups.jsonl,
each coded span with the subcategory of its code (spans whose code has none are left out), in page and line
order. Neither is redistributed with qualcode.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
from pathlib import Path

TAGS = "data/transcripts/thematic-analysis/tags/csv/all_tags_20220303.csv"
CODEBOOK = "data/transcripts/thematic-analysis/codebooks/codebook_20220303_8.csv"


def read(repo: Path, path: str) -> str:
    if (repo / path).exists():
        return (repo / path).read_text(encoding="utf-8")
    return subprocess.run(["git", "--git-dir", str(repo / ".git") if (repo / ".git").exists() else str(repo),
                           "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout


def focus_groups(repo: Path, out: Path) -> None:
    book = list(csv.DictReader(io.StringIO(read(repo, "Data/Prepped Data/Master Codebook.csv"))))
    subcategory = {}
    for r in book:
        if r["Subcategory"] and r["Subcategory"] != "Graveyard":
            subcategory.setdefault(r["initialCode"], r["Subcategory"])
            subcategory.setdefault(r["axialCode"], r["Subcategory"])
    refs = list(csv.DictReader(io.StringIO(read(repo, "Data/Prepped Data/codeReferences.csv"))))
    refs.sort(key=lambda r: (r["Transcript"], int(r["Page"]), int(r["Line"]), int(r[""])))
    spans: dict[tuple[str, str], dict] = {}
    for r in refs:
        name = subcategory.get(r["Code"]) or subcategory.get(r["Code"].split("-")[0])
        if not name or not r["Comment"].strip():
            continue
        item = spans.setdefault((r["Transcript"], r["Comment"]), {"doc": r["Transcript"], "text": r["Comment"], "codes": []})
        if name not in item["codes"]:
            item["codes"].append(name)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "focus-groups.jsonl").open("w", encoding="utf-8") as handle:
        for item in spans.values():
            handle.write(json.dumps(item) + "\n")
    print(f"{len(spans)} spans in {len({d for d, _ in spans})} documents, "
          f"{len({c for i in spans.values() for c in i['codes']})} subcategories -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--set", choices=("think-aloud", "focus-groups"), default="think-aloud")
    args = parser.parse_args()
    if args.set == "focus-groups":
        focus_groups(args.repo, args.out)
        return
    rows = list(csv.DictReader(io.StringIO(read(args.repo, TAGS))))
    # Tag ids grow in reading order within a transcript; one excerpt tagged twice is one segment with two codes.
    rows.sort(key=lambda r: (r["document"], int(r["id"])))
    excerpts: dict[tuple[str, str], dict] = {}
    for r in rows:
        doc = r["document"].split("_")[0]
        item = excerpts.setdefault((doc, r["content"]), {"doc": doc, "text": r["content"], "codes": []})
        if r["tag"] not in item["codes"]:
            item["codes"].append(r["tag"])
    book = [{"name": r["tag"], "description": " ".join(r["description"].split())}
            for r in csv.DictReader(io.StringIO(read(args.repo, CODEBOOK)))]
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "think-aloud.jsonl").open("w", encoding="utf-8") as handle:
        for item in excerpts.values():
            handle.write(json.dumps(item) + "\n")
    (args.out / "think-aloud-codes.json").write_text(json.dumps(book, indent=1), encoding="utf-8")
    print(f"{len(excerpts)} excerpts in {len({d for d, _ in excerpts})} documents, {len(book)} codes -> {args.out}")


if __name__ == "__main__":
    main()
