"""The NER layer with the real small English model: mapping, filtering, chunking."""

from __future__ import annotations

from qualcode.anonymise.ner import chunk_text, ner_spans
from qualcode.nlp.pipeline import NER_ONLY_DISABLE, load_pipeline


def spans_of(text: str, labels=("PERSON", "ORG", "GPE", "LOC", "FAC", "DATE")):
    nlp, _ = load_pipeline(disable=NER_ONLY_DISABLE)
    (found,) = ner_spans(nlp, [text], labels)
    return [(text[s.start : s.end], s.type) for s in found]


def test_people_and_places_are_typed_for_the_anonymiser():
    found = spans_of("Yesterday Margaret Hale drove from Harrowby to meet Tomasz Nowak.")
    assert ("Margaret Hale", "PERSON") in found
    assert ("Harrowby", "TOWN") in found
    assert any(text.endswith("Nowak") and type_ == "PERSON" for text, type_ in found)


def test_dates_that_place_a_moment_survive_relative_ones_do_not():
    found = spans_of("We met on 12 March 2023, again last week, and every June since 2019.")
    dates = [t for t, type_ in found if type_ == "DATE"]
    assert "12 March 2023" in dates and "2019" in dates
    assert not any("last week" in d for d in dates)


def test_month_name_words_and_labels_are_dropped():
    found = spans_of("In June we met. P07 said the ambitions helped. Will you come on Tuesday?")
    assert found == []


def test_labels_can_be_narrowed():
    text = "Margaret Hale drove from Harrowby on 12 March 2023."
    assert {type_ for _, type_ in spans_of(text, labels=("PERSON",))} == {"PERSON"}


def test_long_text_is_chunked_with_right_offsets():
    sentence = "Then Margaret Hale rang the office.\n"
    text = sentence * 1200
    chunks = chunk_text(text, size=5000)
    assert len(chunks) > 1
    assert "".join(chunk for _, chunk in chunks) == text
    nlp, _ = load_pipeline(disable=NER_ONLY_DISABLE)
    (found,) = ner_spans(nlp, [text])
    people = [s for s in found if s.type == "PERSON"]
    assert len(people) >= 1100
    assert all(text[s.start : s.end] == "Margaret Hale" for s in people)
