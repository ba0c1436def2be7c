"""Check the demo corpus: quotes anchor, codes exist, speakers resolve, sizes meet the brief."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from docx import Document

HERE = Path(__file__).resolve().parent
STAFF = {"Interviewer", "Facilitator"}
TXT_TURN = re.compile(r"^(?:\[\d\d:\d\d:\d\d\] )?([A-Z][\w .'-]{0,40}): (.+)$")
ZOOM_CUE = re.compile(r"^([A-Z][\w .'-]{0,40}): (.+)$")
TEAMS_CUE = re.compile(r"^<v ([^>]+)>(.*)</v>$")
SURVEY_FREE_TEXT = ["How do you use the framework?", "What gets in the way?", "Anything else?"]
CODEBOOK_PATHS = """stage/understand stage/interpret stage/implement community/public community/site
community/characteristics community/belonging community/external community/belonging-to barriers/awareness
barriers/leadership barriers/agency barriers/unclear-role barriers/engaging-stakeholders barriers/resources
barriers/measuring-progress barriers/staff-turnover barriers/document-length barriers/someone-elses-responsibility
barriers/engagement-as-fundraising barriers/one-person-directory barriers/bureaucracy barriers/unclear-shared-goals
barriers/relationships-take-time facilitators/recognising-progress facilitators/dedicated-time-resources
facilitators/sharing-learning facilitators/sharing-examples facilitators/strategic-involvement facilitators/embedding
facilitators/local-champions facilitators/spaces-to-meet facilitators/networking-funding facilitators/volunteer-services
facilitators/valuing-community-expertise facilitators/listening facilitators/trust ambitions/a1-individual
ambitions/a2-fair-access ambitions/a3-comfort-wellbeing ambitions/a4-coordinated ambitions/a5-staff-prepared
ambitions/a6-community-prepared foundations/personalised-care-planning foundations/shared-records
foundations/evidence-information foundations/those-important foundations/education-training foundations/24-7-access
foundations/co-design foundations/leadership foundations/collaboration foundations/sharing-learning
operationalisation/strategic operationalisation/ambition-statements operationalisation/complement-values""".split()


def turns_of(path: Path) -> list[tuple[str | None, str]]:
    """(speaker, words) per turn, cue or paragraph, the way an importer would split them."""
    if path.suffix == ".txt":
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            match = TXT_TURN.match(line)
            out.append((match.group(1), match.group(2)) if match else (None, line))
        return out
    if path.suffix == ".docx":
        out = []
        for paragraph in Document(str(path)).paragraphs:
            match = ZOOM_CUE.match(paragraph.text)
            out.append((match.group(1), match.group(2)) if match else (None, paragraph.text))
        return out
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        text = block.strip().splitlines()[-1]
        match = TEAMS_CUE.match(text) or ZOOM_CUE.match(text)
        out.append((match.group(1), match.group(2)) if match else (None, text))
    return out


def main() -> int:
    problems: list[str] = []
    roster = yaml.safe_load((HERE / "participants.yaml").read_text(encoding="utf-8"))
    known = {}
    for person in roster["participants"]:
        for key in [person["label"], person["name"], *person.get("aliases", [])]:
            known[key] = person["label"]
    documents: dict[str, list[tuple[str | None, str]]] = {}
    words = 0
    for path in sorted(HERE.iterdir()):
        if path.suffix in {".txt", ".vtt", ".docx"}:
            documents[path.stem] = turns_of(path)
            words += sum(len(text.split()) for _, text in documents[path.stem])
    with (HERE / "mapping-survey.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        answers = [(None, row[column]) for column in SURVEY_FREE_TEXT if row[column]]
        documents[f"Survey mapping-survey ID:{row['Respondent ID']}"] = answers
        words += sum(len(text.split()) for _, text in answers)
    for title, turns in documents.items():
        for speaker, _ in turns:
            if speaker and speaker not in STAFF and speaker not in known:
                problems.append(f"{title}: speaker {speaker!r} is not in participants.yaml")
    corpus_text = "\n".join(text for turns in documents.values() for _, text in turns)
    for kind in ("places", "organisations"):
        for name in roster[kind]:
            if name not in corpus_text:
                problems.append(f"{kind}: {name!r} does not occur in the corpus")
    per_coder: Counter[str] = Counter()
    docs_by_coder: dict[str, set[str]] = defaultdict(set)
    with (HERE / "codings.csv").open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"codings.csv:{line}"
            if row["code"] not in CODEBOOK_PATHS:
                problems.append(f"{where}: unknown code {row['code']}")
            turns = documents.get(row["document"])
            if turns is None:
                problems.append(f"{where}: unknown document {row['document']}")
                continue
            quote = row["quote"]
            if "\n" in quote or not any(quote in text for _, text in turns):
                problems.append(f"{where}: quote not inside one turn of {row['document']}: {quote[:60]!r}")
            whole = "\n".join(text for _, text in turns)
            if whole.count(quote) != 1 and row["occurrence"] == "1":
                problems.append(f"{where}: quote occurs {whole.count(quote)} times in {row['document']}")
            per_coder[row["coder"]] += 1
            docs_by_coder[row["coder"]].add(row["document"])
    shared = docs_by_coder["alex"] & docs_by_coder["sam"]
    print(f"words: {words}; survey respondents: {len(rows)}; codings per coder: {dict(per_coder)}; shared documents: {len(shared)}")
    if words < 20_000:
        problems.append(f"only {words} words")
    if len(rows) < 36:
        problems.append(f"only {len(rows)} survey respondents")
    if min(per_coder["alex"], per_coder["sam"]) < 170:
        problems.append("fewer than 170 codings for a coder")
    if len(shared) < 5:
        problems.append("fewer than 5 documents coded by both coders")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
