"""Property tests: masking open-ended text never fails and never lets a roster name through."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.anonymise import Anonymiser, Roster, RosterEntry, Span, merge_spans

# Names that are not also English words: these must never survive, whatever the context.
ROSTER = Roster(
    people=[
        RosterEntry("p:1", "Margaret Hale", "PERSON", ("Mags",)),
        RosterEntry("p:2", "Tomasz Wiśniewski", "PERSON", ("Tomek",)),
        RosterEntry("p:3", "Adaeze Okafor", "PERSON"),
    ],
    places=["Harrowby", "Kings Moreton"],
    organisations=["Greenacre Hospice"],
)
FORMS = ROSTER.all_forms()
ANONYMISER = Anonymiser(roster=ROSTER)
ROSTER_ONLY = Anonymiser(roster=ROSTER, use_ner=False)

case_variant = st.sampled_from(FORMS).flatmap(
    lambda form: st.lists(st.booleans(), min_size=len(form), max_size=len(form)).map(
        lambda flags: "".join(c.upper() if up else c.lower() for c, up in zip(form, flags))
    )
)
filler = st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=12)
separator = st.sampled_from([" ", ", ", ". ", "'s ", "’s ", "\n", " - ", "-", "(", ") ", ": "])
passage = st.lists(st.one_of(case_variant, filler), min_size=1, max_size=14).flatmap(
    lambda parts: st.lists(separator, min_size=len(parts), max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps))
    )
)


def leaked(masked: str) -> list[str]:
    return [f for f in FORMS if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", masked, re.IGNORECASE)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(passage)
def test_no_roster_name_survives_roster_layer(text):
    assert leaked(ROSTER_ONLY.mask(text).text) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(passage)
def test_no_roster_name_survives_with_ner(text):
    assert leaked(ANONYMISER.mask(text).text) == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_masks_without_error_and_spans_fit(text):
    result = ANONYMISER.mask(text)
    assert all(0 <= s.start < s.end <= len(text) for s in result.spans)
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:]))
    assert len(result.replacements) == len(result.spans)


spans = st.lists(
    st.tuples(st.integers(0, 50), st.integers(1, 10), st.sampled_from(["roster", "pattern", "ner"])).map(
        lambda t: Span(t[0], t[0] + t[1], "PERSON", t[2], "r")
    ),
    max_size=12,
)


@given(spans)
def test_merge_keeps_every_character_and_leaves_no_overlap(raw):
    merged = merge_spans(raw)
    before = {i for s in raw for i in range(s.start, s.end)}
    after = {i for s in merged for i in range(s.start, s.end)}
    assert before == after
    assert all(a.end <= b.start for a, b in zip(merged, merged[1:]))
