"""Detection across layers, merging, pseudonyms, the key, policies, lists and the final scan."""

from __future__ import annotations

import re

import pytest

from qualcode.anonymise import Anonymiser, Policy, PseudonymKey, Roster, Span, final_scan, merge_spans
from qualcode.errors import InvalidInput


def test_overlapping_spans_merge_longest_wins_and_reasons_are_kept():
    spans = [
        Span(10, 14, "PERSON", "roster", "roster person 'Dawn Okafor'", entity="person:P02"),
        Span(10, 21, "ORG", "ner", "spaCy ORG"),
        Span(30, 35, "TOWN", "pattern", "place"),
        Span(33, 40, "TOWN", "ner", "spaCy GPE"),
    ]
    merged = merge_spans(spans)
    assert [(s.start, s.end, s.type) for s in merged] == [(10, 21, "ORG"), (30, 40, "TOWN")]
    assert set(merged[0].reasons) == {"roster: roster person 'Dawn Okafor'", "ner: spaCy ORG"}


def test_equal_length_overlap_prefers_the_roster():
    merged = merge_spans([Span(0, 4, "TOWN", "pattern", "place"), Span(0, 4, "PERSON", "roster", "r", entity="p:1")])
    assert merged[0].type == "PERSON" and merged[0].entity == "p:1"


def test_hard_cases_in_one_passage(anonymiser):
    text = (
        "June said Dawn's team at St Aidan's Hospice met Margret and Mags on Larch Ward. "
        "I hope we will meet in June; faith groups start at dawn. "
        "A 58-year-old chaplain lives at 14 Larkspur Road, ring 07700 900461."
    )
    masked = anonymiser.mask(text).text
    assert masked == (
        "[PERSON 1] said [PERSON 2]'s team at [HOSPICE A] met [PERSON 3] and [PERSON 3] on [WARD A]. "
        "I hope we will meet in [DATE]; [PERSON 4] groups start at [PERSON 2]. "
        "A [AGE] chaplain lives at [ADDRESS], ring [PHONE]."
    )  # a listed name is masked wherever it stands; "I hope", "we will" are verbs; "in June" is a date


def test_same_entity_same_pseudonym_across_texts(anonymiser):
    key = PseudonymKey()
    first, second = anonymiser.mask_many(["Margaret Hale runs it in Harrowby.", "Mags said harrowby is small."], key)
    assert first.text == "[PERSON 1] runs it in [TOWN A]."
    assert second.text == "[PERSON 1] said [TOWN A] is small."
    third = anonymiser.mask("Dawn said Margret agreed.", key)
    assert third.text == "[PERSON 2] said [PERSON 1] agreed."


def test_key_round_trips_and_continues_numbering(anonymiser):
    key = PseudonymKey()
    anonymiser.mask("Dawn and Hope met at Greenacre Hospice.", key)
    restored = PseudonymKey.from_dict(key.to_dict())
    assert restored.to_dict() == key.to_dict()
    later = anonymiser.mask("Hope asked Rose to visit St Aidan's Hospice.", restored)
    assert later.text == "[PERSON 2] asked [PERSON 3] to visit [HOSPICE B]."
    assert "Greenacre Hospice" in restored.mentions["org:2"]


@pytest.mark.parametrize("bad", [None, {}, {"version": 2}, {"version": 1, "pseudonyms": 3, "counters": {}}])
def test_malformed_key_is_refused(bad):
    with pytest.raises(InvalidInput):
        PseudonymKey.from_dict(bad)


def test_non_roster_surname_reuses_the_full_names_pseudonym():
    masked = Anonymiser().mask("Yesterday Kwame Mensah rang me. Later Mensah told me the news.").text
    assert masked == "Yesterday [PERSON 1] rang me. Later [PERSON 1] told me the news."


def test_generalisation_policy_uses_roster_role_and_region(roster):
    text = "Mags works in Oakbridge with Dawn at Greenacre Hospice, tel 07700 900461."
    actions = {"PERSON": "generalise", "TOWN": "generalise", "HOSPICE": "generalise", "JOB": "keep"}
    anonymiser = Anonymiser(roster=roster, use_ner=False, policy=Policy.from_actions(actions))
    masked = anonymiser.mask(text).text
    assert masked == "A service manager works in a town in the Midlands with a community nurse at a hospice, tel [PHONE]."
    # While job titles are masked, a role only one person holds would single them out: no role then.
    masked = Anonymiser(roster=roster, use_ner=False, policy=Policy.generalised("PERSON", "TOWN", "HOSPICE")).mask(text)
    assert masked.text == "A person works in a town in the Midlands with a person at a hospice, tel [PHONE]."


def test_allowlist_and_denylist(roster):
    text = "NHS England, Hospice UK and Marie Curie met the ICB and the Care Quality Commission about the tea bus."
    plain = Anonymiser(roster=roster)
    assert plain.mask(text).text == text
    strict = Anonymiser(roster=roster, denylist={"tea bus": "PLACE"}, allowlist=())
    masked = strict.mask(text).text
    assert masked.endswith("about the [PLACE A].")
    assert masked.count("[") > 1  # without the allowlist the model's ORGs are masked too


def test_roster_beats_allowlist():
    roster = Roster(people=["Marie Curie"])
    assert Anonymiser(roster=roster, use_ner=False).mask("Marie Curie visited.").text == "[PERSON 1] visited."


def test_final_scan_finds_a_surviving_alias(roster, anonymiser):
    exported = "[PERSON 1] said the plan was fine, but Maggie disagreed and Okafro left early."
    leaks = [exported[s.start : s.end] for s in final_scan(exported, roster)]
    assert leaks == ["Maggie", "Okafro"]
    assert final_scan(anonymiser.mask("Maggie disagreed with Dawn Okafor.").text, roster) == []
    assert final_scan(exported, Roster()) == []


def test_spans_serialise_without_the_text(anonymiser):
    result = anonymiser.mask("Dawn rang 07700 900461.")
    assert [s.to_dict() for s in result.spans] == [
        {"start": 0, "end": 4, "type": "PERSON", "layer": "roster"},
        {"start": 10, "end": 22, "type": "PHONE", "layer": "pattern"},
    ]


def test_without_a_model_roster_and_patterns_still_work(roster):
    anonymiser = Anonymiser(roster=roster, models=())
    masked = anonymiser.mask("Mags, Kwame Mensah and I drove to Harrowby; ring 07700 900461.").text
    assert masked == "[PERSON 1], [PERSON 2] and I drove to [TOWN A]; ring [PHONE]."  # the name lexicon, not NER
    assert "ner" in anonymiser.pipeline_info_.degraded


def test_a_name_found_once_is_masked_at_every_mention():
    text = "We've got a volunteer called Grace who's 84. Grace lost her husband in the spring, said Grace."
    masked = Anonymiser(use_ner=False).mask(text).text
    assert masked == (
        "We've got a volunteer called [PERSON 1] who's [AGE]. [PERSON 1] lost her husband in the spring, "
        "said [PERSON 1]."
    )


def test_later_mentions_keep_the_word_sense_of_name_words():
    text = "Our chaplain, Hope, sits on the group. Hope is a big word. Hope said so. In June we met."
    masked = Anonymiser().mask(text).text
    assert masked == "Our chaplain, [PERSON 1], sits on the group. Hope is a big word. [PERSON 1] said so. In [DATE] we met."


def test_one_surface_keeps_one_pseudonym_when_detectors_disagree_on_type():
    key = PseudonymKey()
    first = Span(0, 15, "TOWN", "pattern", "place")
    second = Span(0, 15, "PERSON", "ner", "spaCy PERSON")
    assert key.pseudonym_for(first, "Little Bexworth") == key.pseudonym_for(second, "Little Bexworth") == "[TOWN A]"


def test_mask_many_accepts_any_iterable(anonymiser):
    results = anonymiser.mask_many(t for t in ["Dawn rang.", "Mags rang."])
    assert [r.text for r in results] == ["[PERSON 1] rang.", "[PERSON 2] rang."]


def test_speaker_labels_and_self_introductions(anonymiser):
    text = "Interviewer: Thank you.\nJune: Hello, I'm June. We met in June.\nWill: Will you stop?"
    masked = anonymiser.mask(text).text
    # A listed name-word is masked even where it is the modal (the reviewer unmasks); after a time
    # word a month name is masked as the date it is.
    assert masked == (
        "Interviewer: Thank you.\n[PERSON 1]: Hello, I'm [PERSON 1]. We met in [DATE].\n[PERSON 2]: [PERSON 2] you stop?"
    )


def test_possessive_place_keeps_the_roster_pseudonym(anonymiser):
    key = PseudonymKey()
    assert anonymiser.mask("We met in Harrowby's library.", key).text == "We met in [TOWN A]'s library."
    assert anonymiser.mask("Harrowby is small.", key).text == "[TOWN A] is small."


def test_a_roster_name_ending_in_s_is_masked_whole():
    roster = Roster(organisations=["St Aldric's"])
    masked = Anonymiser(roster=roster, use_ner=False).mask("She died at St Aldric's in May.").text
    assert masked == "She died at [ORG A] in [DATE]."


def test_a_model_span_joining_roster_names_keeps_their_own_pseudonyms():
    roster = Roster(places=["Brackley Vale"], organisations=["St Aldric's Hospice"])
    anonymiser = Anonymiser(roster=roster)
    key = PseudonymKey()
    anonymiser.mask("St Aldric's Hospice is busy.", key)
    masked = anonymiser.mask("He worked at St Aldric's Hospice in Brackley Vale for years.", key).text
    assert masked == "He worked at [HOSPICE A] in [TOWN A] for years."


def test_roster_surname_inside_an_email_keeps_the_whole_address_masked(anonymiser):
    assert anonymiser.mask("Write to hale.m@example.org today.").text == "Write to [EMAIL] today."


def test_a_name_joined_by_and_to_a_found_name_is_a_name_too():
    masker = Anonymiser(use_ner=False)
    assert masker.mask("We had Priyanka and Deepak from the pharmacy.").text == (
        "We had [PERSON 1] and [PERSON 2] from the pharmacy."
    )
    assert masker.mask("Deepak or Priyanka will ring.").text == "[PERSON 1] or [PERSON 2] will ring."
    # An ordinary or kinship word beside a name is no partner: "Mum and Deepak", "Marks and Deepak".
    from qualcode.anonymise.paired_names import paired_names

    text = "Mum and Deepak came. Marks and Deepak. Zoltan & Deepak."
    found = [Span(m.start(), m.end(), "PERSON", "pattern", "x") for m in re.finditer("Deepak", text)]
    assert [text[s.start : s.end] for s in paired_names(text, found)] == ["Zoltan"]


def test_a_number_named_as_an_nhs_or_hospital_number_is_masked_without_its_checksum():
    masker = Anonymiser(use_ner=False)
    assert masker.mask("His NHS number is 485 777 3456, on the folder.").text == "His NHS number is [NHS NUMBER], on the folder."
    assert masker.mask("hospital number: RX 5521873 on the band").text == "hospital number: [NHS NUMBER] on the band"
    assert masker.mask("I had 485 777 3456 reasons").text == "I had 485 777 3456 reasons"  # no label, bad checksum


def test_a_titled_surname_keeps_its_lowercase_particles():
    masker = Anonymiser(use_ner=False)
    assert masker.mask("Dr Van der Berg sat with us; Mrs de la Cruz came later.").text == (
        "Dr [PERSON 1] sat with us; Mrs [PERSON 2] came later."
    )
    assert masker.mask("Sister Brennan de facto ran it.").text == "Sister [PERSON 1] de facto ran it."
