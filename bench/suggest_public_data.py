"""Read the public think-aloud coding (navarral/swj2022-usability-paper) into the JSON Lines of suggest_public_eval.

Run: python bench/suggest_public_data.py REPO_DIR OUT_DIR

REPO_DIR is a git checkout or bare clone of that repository, obtained by the user; nothing is downloaded here.
OUT_DIR (outside this repository) receives think-aloud.jsonl, one excerpt a line in document order with all the
codes its coders gave it, and think-aloud-codes.json, the final codebook with its descriptions. The data is
GPL-3.0 licensed by its authors and is not redistributed with qualcode.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
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
