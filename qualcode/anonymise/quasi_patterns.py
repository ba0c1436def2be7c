"""Quasi identifiers and reference numbers by shape: dates, years, ages in words, named venues, case numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import LEGAL_WORDS
from .spans import Layer, Span

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# Words that make a capitalised month name a time, not a name or a verb: "in June", "since May", "mid-March".
TIME_WORDS = (
    r"(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Ll]ast|[Nn]ext|[Tt]his|[Ee]very|[Ee]arly|[Ll]ate|[Dd]uring"
    r"|[Tt]hrough|[Bb]efore|[Aa]fter|[Bb]etween|[Ee]nd of|[Bb]eginning of|[Ss]tart of|[Mm]iddle of) "
    r"|[Mm]id-"
)
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# "eighty-seven", "seventy odd", "a hundred and two", "nine".
NUMBER_WORDS = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?(?:[- ](?:odd|ish))?"
    rf"|{'|'.join(_TEENS)}|{'|'.join(_UNITS)}|(?:a |one )?hundred(?: and (?:{'|'.join(_UNITS + _TEENS)}))?)"
)
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-\w+|thirtieth"
    r"|thirty-first)"
)
_HOLIDAY = (
    r"(?:Boxing Day|Christmas (?:Day|Eve)|New Year['’]?s (?:Day|Eve)|VE Day|VJ Day|Good Friday|Easter (?:Sunday|Monday)"
    r"|Bonfire Night|Remembrance (?:Sunday|Day)|Mother['’]?s Day|Father['’]?s Day|Valentine['’]?s Day|Hogmanay)"
)
_CAP = r"[A-Z][a-z]+"
_PUB_HEADS = (
    r"Arms|Inn|Tavern|Horse|Lion|Oak|Crown|Swan|Bull|Plough|Anchor|Fleece|Ship|Stag|Hare|Hound|Hart|Boar"
    r"|Bear|Eagle|Pheasant|Feathers|Wheatsheaf|Woolpack|Greyhound|Rose and Crown|Kings Head|King['’]s Head"
    r"|Queens Head|Queen['’]s Head|White Hart|Black Bull"
)
_VENUE_HEADS = (
    r"Hospital|Hospitals|Infirmary|General|Royal|Lodge|Methodist|Chapel|Church|Cathedral|Abbey|Minster"
    r"|Academy|School|College|Primary|Grammar|Surgery|Clinic|Hospice|Centre|Manor|Priory|Court|House"
    r"|Park|Gardens|Baptist|Mission|Mosque|Gurdwara|Synagogue|Temple|Club|Teaching Hospitals"
)
_NOT_VENUE = frozenset(
    """the a an this that our my your their his her its every each one new old same local main
    national general district community royal high county city town village day family home care
    nursing children i we you he she they it in at on to from for and but so then when if""".split()
)
_ROLE_MODIFIERS = (
    r"lead|senior|specialist|head|chief|deputy|assistant|clinical|community|staff|charge|ward|bereavement"
    r"|palliative care|palliative|end of life|district|night|day|practice|research|service|volunteer|family support"
)
_ROLE_HEADS = (
    r"nurse|matron|manager|sister|lead|consultant|coordinator|co-ordinator|director|practitioner|officer"
    r"|chaplain|physiotherapist|therapist|social worker|pharmacist|administrator|worker"
)
_TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|decades?)"
_AGE_SUBJECT = (
    r"(?:I['’]m|I am|I was|[Hh]e['’]s|[Ss]he['’]s|[Hh]e is|[Ss]he is|[Hh]e was|[Ss]he was"
    r"|(?:[Mm]y|[Hh]is|[Hh]er|[Oo]ur|[Tt]heir) (?:husband|wife|partner|mum|mam|dad|mother|father|son|daughter"
    r"|brother|sister|nan|nana|gran|grandad|grandma|grandmother|grandfather|auntie|uncle|friend) (?:was|is|['’]s)"
    r"|(?!(?:It|That|This|There|What|Which|Who|Here|Mine)\b)[A-Z][a-z]+ (?:was|is|['’]s))"
)

_RULES: list[tuple[str, str, re.Pattern]] = [
    (
        "ID_NUMBER",
        "application or case number",
        re.compile(r"(?<![\w/])\d{3,6}/\d{2}(?![\w/])"),
    ),
    ("ID_NUMBER", "hospital or patient number", re.compile(r"\b[A-Z]{2,4}\d{6,10}\b")),
    (
        "ID_NUMBER",
        "reference number",
        re.compile(
            r"\b[A-Z]{2,6}(?:[/-]\d{2,4})*[/-]\d{3,8}\b|\b(?:ref(?:erence)?|case|claim) (?:no\.? ?)?\d{5,10}\b",
            re.I,
        ),
    ),
    (
        "DATE",
        "month and year",
        re.compile(rf"\b{_MONTH}\.?,? (?:of )?(?:19|20)\d{{2}}\b"),
    ),
    (
        "DATE",
        "month after a time word",
        re.compile(rf"(?<![\w-])(?:{TIME_WORDS})(?P<v>{_FULL_MONTH})\b"),
    ),
    (
        "DATE",
        "month in a range",
        re.compile(rf"\b{_FULL_MONTH} (?:and|or|to|till|until|through|into) (?P<v>{_FULL_MONTH})\b"),
    ),
    (
        "DATE",
        "season and year",
        re.compile(r"\b(?:spring|summer|autumn|winter)(?: of)? (?:19|20)\d{2}\b", re.I),
    ),
    (
        "DATE",
        "holiday",
        re.compile(rf"\b{_HOLIDAY}(?: (?:19|20)\d{{2}})?\b|\b(?:Christmas|Easter) (?:19|20)\d{{2}}\b"),
    ),
    (
        "DATE",
        "date in words",
        re.compile(rf"\b{_ORDINAL_WORDS} of {_MONTH}\b|\b{_MONTH} the {_ORDINAL_WORDS}\b", re.I),
    ),
    (
        "DATE",
        "day of the month",
        re.compile(r"\bthe \d{1,2}(?:st|nd|rd|th)\b(?=[.,;!?]| of\b)"),
    ),
    (
        "DATE",
        "year",
        re.compile(
            r"(?<![\w£$€/.,-])(?:19[0-9]{2}|20[0-3][0-9])(?![\w%/]|[.,]\d| ?(?:pounds|euros|people|patients|beds))"
        ),
    ),
    ("DATE", "decade", re.compile(r"\b(?:the )?(?:19|20)\d0['’]?s\b")),
    (
        "AGE",
        "age in words",
        re.compile(
            rf"\b{_AGE_SUBJECT} (?:only |just |nearly |almost |about |over )?(?P<v>{NUMBER_WORDS})"
            rf"(?=[ ]?[,.;!?)]| and\b| when\b| at the\b| in\b| on\b| now\b| then\b| years?\b| herself\b| himself\b| myself\b)"
            rf"|\b(?:[Aa]ged|[Aa]ge|turned|turning) (?P<w>{NUMBER_WORDS}|\d{{1,3}})\b",
        ),
    ),
    (
        "AGE",
        "age band",
        re.compile(
            r"\bin (?:his|her|their|my|your|our) (?:early |mid[- ]|late )?(?:twen|thir|for|fif|six|seven|eigh|nine)ties\b",
            re.I,
        ),
    ),
    (
        "AGE",
        "birthday",
        re.compile(
            r"\b(?P<v>\d{1,3}(?:st|nd|rd|th)|" + _ORDINAL_WORDS + r"|\w+ieth) birthday\b",
            re.I,
        ),
    ),
    (
        "JOB",
        "job title with its post",
        re.compile(
            rf"\b(?:(?:{_ROLE_MODIFIERS})[ -]){{1,4}}(?:{_ROLE_HEADS})"
            rf" (?:for|on|at|of|in) (?:the )?(?:(?:[A-Z][\w'’-]*)(?: (?:[A-Z][\w'’-]*|and|of|ward|unit|team))*"
            rf"|(?:[a-z]+ ){{0,2}}(?:care|ward|unit|team|services|nursing|medicine|support))\b"
            rf"|\b(?:Macmillan|Marie Curie|Admiral|Sue Ryder|Parkinson['’]s|MND) (?:{_ROLE_HEADS})\b"
        ),
    ),
    (
        "AGE",
        "age after a name",
        re.compile(r"\b[A-Z][a-z]+ (?:was|is) (?P<v>\d{1,3})(?=[,.;!?]| and\b| when\b)"),
    ),
    (
        "ORG",
        "saint's name",
        re.compile(rf"\bSt\.? {_CAP}['’]s?(?: (?:{_VENUE_HEADS}))?\b|\bSaint {_CAP}['’]s\b"),
    ),
    (
        "ORG",
        "pub",
        re.compile(rf"\b(?:[Tt]he )(?P<v>(?:{_CAP} ){{0,2}}(?:{_PUB_HEADS}))\b"),
    ),
    (
        "ORG",
        "named venue",
        re.compile(rf"\b(?P<v>(?:{_CAP}[ -]){{1,3}}(?:{_VENUE_HEADS}))\b"),
    ),
    (
        "ORG",
        "named venue",
        re.compile(rf"\b(?P<v>Holy {_CAP}|Co-op|Rotary|Salvation Army|Women['’]s Institute|WI)\b"),
    ),
    (
        "ORG",
        "place with a possessive name",
        re.compile(
            rf"\b(?:at|in|to|from|into|down|outside) (?P<v>{_CAP}['’]s)(?=[ ]?[,.;!?]| (?:on|in|for|and|with|at|to|when|but|until|every|last|before|after|then)\b)"
        ),
    ),
    ("TOWN", "street in -gate", re.compile(r"\b[A-Z][a-z]+gate\b")),
    (
        "TOWN",
        "borough",
        re.compile(r"\b(?:(?:London|Metropolitan|Royal) )?Borough of [A-Z][a-z]+(?: [A-Z][a-z]+)?\b"),
    ),
    (
        "NORP",
        "a person's nationality",
        re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? nationals?\b"),
    ),
    (
        "DURATION",
        "length of time",
        re.compile(
            rf"\b(?:(?:about|almost|nearly|over|approximately|some) )?(?:\d{{1,3}}|{NUMBER_WORDS}|a couple of|a few)"
            rf"(?: and a half)? {_TIME_UNIT}\b(?![ -]ago|[ -]old)",
            re.I,
        ),
    ),
    (
        "MONEY",
        "sum of money",
        re.compile(
            r"(?:(?:approximately|about|around|some) )?(?:[£$€]|\b(?:GBP|EUR|USD|TRY|TRL|SEK|CHF|PLN) ?)\d[\d,.]*(?: (?:million|billion|thousand|[mk]))?\b"
            r"|\b\d[\d,.]*(?: (?:million|billion|thousand))? (?:pounds(?: sterling)?|euros|dollars|[A-Z][a-z]+ (?:liras|lira|kronor|francs|zlotys))\b(?: \([A-Z]{3}\))?"
        ),
    ),
]


def _venue_ok(surface: str) -> bool:
    """'Airedale General' passes; 'The Hospital', 'Our House' or 'Supreme Court' do not."""
    words = re.findall(r"[A-Za-z]+", surface)
    if len(words) < 2 or all(w.casefold() in LEGAL_WORDS for w in words):
        return False
    return any(w.casefold() not in _NOT_VENUE for w in words[:-1])


_FIRST_WORD = re.compile(r"([A-Za-z]+)[ -]")
_LONE_VENUES = frozenset(
    {
        "Co-op",
        "Rotary",
        "WI",
        "Salvation Army",
        "Women's Institute",
        "Women’s Institute",
    }
)


def find_quasi_patterns(text: str) -> Iterator[Span]:
    for type_, reason, pattern in _RULES:
        for match in pattern.finditer(text):
            group = next((g for g in ("v", "w") if g in pattern.groupindex and match.group(g)), 0)
            start, end = match.span(group)
            if reason == "named venue" and text[start:end] not in _LONE_VENUES:
                # "On Larch..." or "The Royal...": a sentence's first word is no part of the name.
                while (first := _FIRST_WORD.match(text, start, end)) and first.group(1).casefold() in _NOT_VENUE:
                    start = first.end()
                if not _venue_ok(text[start:end]):
                    continue
            yield Span(start, end, type_, Layer.PATTERN, reason)
