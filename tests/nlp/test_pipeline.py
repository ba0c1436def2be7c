"""The shared pipeline loader: real model here, blank fallback on request."""

from __future__ import annotations

import logging

from qualcode.nlp.pipeline import NER_ONLY_DISABLE, PipelineInfo, load_pipeline


def test_loads_installed_model_and_finds_people():
    nlp, info = load_pipeline(disable=NER_ONLY_DISABLE)
    assert info.name.startswith("en_core_web_sm")
    assert info.degraded == []
    assert nlp.pipe_names == ["ner"]
    doc = nlp("Yesterday Margaret Hale met Tomasz Nowak at the day centre.")
    people = {ent.text for ent in doc.ents if ent.label_ == "PERSON"}
    assert "Margaret Hale" in people


def test_same_arguments_share_one_pipeline():
    first = load_pipeline(disable=NER_ONLY_DISABLE)
    again = load_pipeline(disable=list(reversed(NER_ONLY_DISABLE)))
    assert first.nlp is again.nlp
    assert load_pipeline().nlp is not first.nlp


def test_full_pipeline_has_lemmas_and_tags():
    nlp, info = load_pipeline()
    doc = nlp("The nurses were visiting families.")
    assert [t.lemma_ for t in doc][1:4] == ["nurse", "be", "visit"]
    assert "ner" not in info.degraded


def test_blank_fallback_reports_what_degrades(caplog):
    with caplog.at_level(logging.WARNING, logger="qualcode.nlp.pipeline"):
        loaded = load_pipeline(prefer=("no_such_model_package",))
    assert loaded.info.name == "blank_en"
    assert set(loaded.info.degraded) == {"ner", "lemma", "pos", "parser"}
    assert not loaded.has_ner
    assert "using a blank pipeline" in caplog.text
    assert "roster and patterns only" in loaded.info.notice
    doc = loaded.nlp("Dawn rang. She left a message.")
    assert len(list(doc.sents)) == 2
    assert doc.ents == ()


def test_empty_preference_goes_straight_to_blank():
    loaded = load_pipeline(prefer=())
    assert loaded.info.name == "blank_en"
    assert isinstance(loaded.info, PipelineInfo)
