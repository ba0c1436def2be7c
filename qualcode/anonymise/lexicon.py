"""Word lists and the context test that tells a name from the ordinary word it spells."""

from __future__ import annotations

import re

MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# First names and surnames that are also everyday English words: they are names only in context.
NAME_WORDS = frozenset(
    """
    hope will faith dawn rose june may april august grace joy mark bill pat sue frank amber hazel
    holly ivy iris lily daisy heather violet jade ruby pearl summer autumn sunny rich max guy art
    ray drew jack rob dean gene carol robin sky brook chase hunter king miles grant hall moss green
    brown white black baker cook wood field hill lee price page bishop marsh rice park young long
    little noble sterling patience prudence charity honor honour constance felicity mercy destiny
    wade penny mo sandy rusty buck bud dusty rocky stone cliff heath glen dale forest river reed
    bell gay earl duke baron major carter fisher mason porter taylor turner walker weaver ward
    """.split()
)

# Words after a capitalised word that make it a person: "June said", "Dawn's team".
PERSON_AFTER = frozenset(
    """
    said says told tells asked asks mentioned mentions explained explains thinks thought rang
    called emailed phoned wrote came went wanted wants suggested suggests agreed agrees replied
    reckons reckoned felt feels knows knew noticed added laughed smiled nodded sighed joined left
    arrived introduced helped visited supported runs ran leads led manages managed chairs chaired
    organised organises pointed argued noted shared spoke speaks sent described recalled admitted
    """.split()
)

# Weaker cues: enough for a roster name-word ("June made it"), too common for any capitalised word.
PERSON_AFTER_WEAK = frozenset(
    """made gave brought took started finished found heard met got put cried sobbed looked sat stood
    worked works lives lived died does did""".split()
)

# Words before a capitalised word that make it a person: "with Rose", "asked June".
PERSON_BEFORE = frozenset(
    """
    with and asked ask told tell thank thanks thanked call called ring rang email emailed phone
    phoned text texted met meet meeting visit visited visiting saw see seeing by colleague
    husband wife partner son daughter mother father mum dad brother sister friend nurse doctor
    manager chaplain carer volunteer named called dear hi hello cc
    """.split()
)

# Months stay months after these: "in June", "since May".
TIME_BEFORE = frozenset(
    "in since until till by during early late mid last next this every each of from before after on".split()
)

TITLES = frozenset(
    """mr mrs ms miss mx dr doctor prof professor rev revd reverend sister father nurse councillor
    cllr sir dame lord lady""".split()
)

# Public bodies and sector terms that stay in a quote bank, whatever a model or pattern thinks.
DEFAULT_ALLOWLIST: tuple[str, ...] = (
    "NHS England",
    "NHS",
    "NHS Improvement",
    "NHS Digital",
    "Ambitions for Palliative and End of Life Care",
    "the Ambitions framework",
    "Ambitions framework",
    "Ambitions",
    "Ambition",
    "Hospice UK",
    "Marie Curie",
    "Macmillan",
    "Macmillan Cancer Support",
    "Sue Ryder",
    "Care Quality Commission",
    "CQC",
    "ICB",
    "ICS",
    "PCN",
    "CCG",
    "GP",
    "GPs",
    "A&E",
    "Covid",
    "COVID",
    "Covid-19",
    "COVID-19",
    "ReSPECT",
    "DNACPR",
    "Gold Standards Framework",
    "National Palliative and End of Life Care Partnership",
    "Department of Health and Social Care",
    "Public Health England",
    "NICE",
    "Compassionate Communities",
    "Dying Matters",
    "Death Cafe",
    "Zoom",
    "Teams",
    "Microsoft Teams",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "UK",
    "United Kingdom",
    "United Kingdom of Great Britain and Northern Ireland",
    "Britain",
    "Great Britain",
    "Europe",
    "the Midlands",
    "the North",
    "the South",
    "the North East",
    "the North West",
    "the South East",
    "the South West",
    "European Court of Human Rights",
    "European Commission of Human Rights",
    "the Court",
    "Supreme Court",
    "the Supreme Court",
    "Constitutional Court",
    "Court of Appeal",
    "High Court",
    "Ministry of Justice",
    "Ministry of the Interior",
    "the Commission",
    "the Government",
    "Government",
    "the Convention",
    "Convention",
    "Brexit",
    "Christmas",
    "Easter",
    "Ramadan",
    "Diwali",
    "Eid",
    "Palliative Care",
    "End of Life",
    "End of Life Care",
    "Hospice at Home",
    "Advance Care Planning",
    "National Audit of Care at the End of Life",
    "NACEL",
    "WEBVTT",
    # Clinical and governance acronyms the small model takes for organisations.
    *"""ED ICU ITU MDT CHC DNR ACP EPaCCS SPC CNS HCA OT EOL EoLC PPE VCSE NHSE ICP IG DPIA DBS KPI
    KPIs MND COPD HR IT CEO OOH SDEC LA ONS PROMs PREMs""".split(),
    # Faiths, heritages and English regions: what community research is about, not who spoke.
    *"""Hindu Sikh Muslim Christian Jewish Methodist Catholic Anglican Baptist Buddhist Quaker
    Pentecostal Caribbean African Asian Polish Irish Bangladeshi Pakistani Indian Somali Gypsy
    Traveller Roma Yorkshire Midlands""".split(),
    "East Midlands",
    "West Midlands",
    "East of England",
    "North West",
    "North East",
    "South West",
    "South East",
)

# Capitalised at a sentence start or as a form of address, and never anyone's name.
COMMON_CAPITALISED = frozenset(
    """let where when what why how who which ours yours theirs mum dad mam nan gran grandad grandma
    mother father one two three four five six seven eight nine ten yes no okay ok yeah hi hello
    thanks sorry well so right sure definitely absolutely exactly really tick maybe perhaps
    interviewer facilitator respondent participant""".split()
)

# Words of the sector's own vocabulary: a capitalised run made only of these names no one.
SECTOR_WORDS = frozenset(
    """advance care planning plan plans end of life palliative hospice home at strategy strategies
    team teams service services group groups framework ambition ambitions foundation foundations
    community communities compassionate neighbours network board partnership steering committee
    forum programme project pathway specialist district nursing nurses nurse health social support
    bereavement day night sitting carers carer hub focus phase illness clinical patient patients
    dying matters gold standards the and for in on to with a an one two three four
    five six seven eight public lead leads leadership education training week month""".split()
)

# Words of court and government boilerplate: a run made only of these (with sector words) is no one.
LEGAL_WORDS = frozenset(
    """court courts rule rules article articles chamber chambers government council section sections
    facts law laws act acts regulation regulations procedure protocol convention commission registry
    registrar tribunal ministry office public prosecutor prosecutors civil criminal appeal appeals
    cassation military martial administrative state supreme grand fourth third second first fifth
    judge judges president vice deputy agent applicant applicants respondent circumstances case
    department directorate agency authority authorities police prison general national security
    justice interior foreign affairs finance home house lords commons parliament assembly high
    district county regional constitutional standing order""".split()
)

_WORD = re.compile(r"\w+")


def words_before(text: str, start: int, count: int = 2) -> list[str]:
    """Up to `count` lowercase words just before `start`, nearest last."""
    window = text[max(0, start - 40) : start]
    return [w.casefold() for w in _WORD.findall(window)][-count:]


def word_after(text: str, end: int) -> str:
    """The next word after `end` (skipping a possessive), lowercase; '' at the end."""
    match = _WORD.search(text, end, min(len(text), end + 40))
    return match.group().casefold() if match else ""


def is_possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or (
        text[end : end + 1] in ("'", "’") and text[end - 1 : end] == "s"
    )


def sentence_initial(text: str, start: int) -> bool:
    """True when only spaces, quotes or a speaker tag separate `start` from a sentence break."""
    before = text[max(0, start - 30) : start].rstrip(" \t\r\"'“‘(")
    return before == "" or before[-1] in ".!?:\n;-—" or before.endswith("...")


def name_in_context(text: str, start: int, end: int) -> bool:
    """Whether a word that is also a common word (Hope, Will, June) is used as a name here."""
    word = text[start:end]
    lower = word.casefold()
    after = word_after(text, end)
    before = words_before(text, start)
    nearest = before[-1] if before else ""
    if is_possessive(text, end) or after in PERSON_AFTER or after in PERSON_AFTER_WEAK:
        return True
    if _and_a_name_follows(text, end):
        return True
    if _speaker_label(text, start, end):
        return True
    if not word[:1].isupper():
        return False
    if before[-2:] in (["call", "me"], ["calls", "me"], ["called", "me"]):
        return True  # "most people call me Will"
    if _addressed(text, start, end, before):
        return True
    if lower in MONTHS:
        # "in June", "June 2023", "12 June" are dates; "with June" or "June said" are people.
        if nearest in TIME_BEFORE or nearest.isdigit() or after.isdigit() or after in ("st", "nd", "rd", "th"):
            return False
        if before[-2:] in (["i", "m"], ["i", "am"]) or nearest in ("called", "named"):
            return True  # "I'm June", "a woman called May"
        # "May and June" lists months; "Rose and June" lists people.
        if nearest == "and":
            return _name_before_and(text, start)
        return nearest in PERSON_BEFORE
    if nearest in PERSON_BEFORE or nearest in TITLES:
        return True
    if lower == "will" and after in _MODAL_FOLLOWERS:
        return False
    # Mid-sentence capitals are names ("we asked Hope"); a sentence start proves nothing.
    return not sentence_initial(text, start)


_APPOSITION = re.compile(
    r",\s+(?:our|my|the|a|an|their|his|her|one|who|shall|will|can|could|would|do|did|are|is|what|how)\b"
)


def _addressed(text: str, start: int, end: int, before: list[str]) -> bool:
    """Vocatives and appositions: 'Thank you, June.', 'Faith, our lead chaplain,', 'Will, from...'."""
    previous_month = bool(before) and before[-1] in MONTHS
    if text[start - 2 : start] == ", " and text[end : end + 1] in (",", ".", "?", "!") and not previous_month:
        return True
    if _APPOSITION.match(text, end):
        return True
    # A modal "will" is never followed by a comma.
    return text[start:end].casefold() == "will" and text[end : end + 1] == ","


def _speaker_label(text: str, start: int, end: int) -> bool:
    """'June: Hello' at the start of a line: a transcript's speaker label."""
    line_start = start == 0 or text[start - 1] == "\n"
    return line_start and text[end : end + 1] == ":"


def _and_a_name_follows(text: str, end: int) -> bool:
    """'Dawn and Hope met': a name-word paired with another capitalised name is a name."""
    match = re.match(r"\s+and\s+([A-Z][a-z]+)", text[end : end + 40])
    return bool(match) and match.group(1).casefold() not in MONTHS | WEEKDAYS | {"i"}


def _name_before_and(text: str, start: int) -> bool:
    match = re.search(r"([A-Z][a-z]+) and\s+$", text[max(0, start - 40) : start])
    return bool(match) and match.group(1).casefold() not in MONTHS | WEEKDAYS


# Words that follow a capitalised modal "Will" at a sentence start ("Will you...", "Will it...").
_MODAL_FOLLOWERS = frozenset("you it we they he she i that this there be the a".split())
