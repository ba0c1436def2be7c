"""`refi export --anonymise`: sources masked as quote banks are, codings still on their words."""

from __future__ import annotations

import re
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from qualcode.anonymise import Anonymiser, PseudonymKey, Roster
from qualcode.anonymise.lexicon import NAME_WORDS
from qualcode.cli import app
from qualcode.quotes.roster import project_roster
from qualcode.refi.anonymised import _mapper

runner = CliRunner()
NS = {"q": "urn:QDA-XML:project:1.0"}


def export(tmp_path, *flags):
    out = tmp_path / f"study{len(flags)}.qdpx"
    result = runner.invoke(app, ["--project", str(tmp_path / "project.db"), "refi", "export", "--out", str(out), *flags])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n[len("sources/"):-4]: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    selections = [(s.getparent().get("guid"), int(s.get("startPosition")), int(s.get("endPosition")))
                  for s in root.iterfind(".//q:PlainTextSelection", NS)]
    return texts, [texts[guid][a:b] for guid, a, b in selections]


def test_anonymised_export_masks_sources_and_keeps_codings_on_their_words(project, tmp_path):
    with project.db.reading() as s:
        names = [f for f in project_roster(s).all_forms() if len(f) > 2]
    texts, coded = export(tmp_path, "--anonymise")
    everything = "\n".join(texts.values())
    left = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", everything)]
    assert [n for n in left if n.casefold() not in NAME_WORDS] == []
    assert any(re.fullmatch(r"\[PERSON \d+\] runs the café", c) for c in coded)  # "Mags runs the café", moved
    assert "the streets around [TOWN A]" in coded or any(c.startswith("the streets around [") for c in coded)
    assert "Funding is the barrier." in coded  # untouched words keep their offsets
    plain_texts, plain = export(tmp_path)
    assert "Mags runs the café" in plain and "Mags" in "\n".join(plain_texts.values())  # only when asked


def test_anonymised_export_masks_roster_names_that_are_also_words(project, tmp_path):
    with project.db.reading() as s:
        names = [f for f in project_roster(s).all_forms() if len(f) > 2]
    texts, _coded = export(tmp_path, "--anonymise")
    everything = "\n".join(texts.values())
    assert [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", everything, re.IGNORECASE)] == []
    # "I hope" for a participant called Hope: no reviewer sees a REFI source, so the word goes too.
    assert "I hope the community" not in everything and re.search(r"I \[PERSON \d+\] the community", everything)


_MASKER = Anonymiser(Roster(people=["Edith Pellow"], places=["Marshfold"]), use_ner=False)
_WORDS = st.sampled_from(["the", "ward", "was", "quiet", "Edith", "Pellow", "Marshfold", "07700 900461", "and", "care"])


@settings(max_examples=80, deadline=None)
@given(st.lists(_WORDS, min_size=2, max_size=20), st.data())
def test_a_coding_keeps_its_words_when_the_text_around_it_is_masked(words, data):
    text = " ".join(words)
    result = _MASKER.mask(text, PseudonymKey())
    new = _mapper(result)
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    start, end = new(a), new(b, end=True)
    assert 0 <= start <= end <= len(result.text)
    if not any(s.start < b and a < s.end for s in result.spans):  # nothing masked inside: the same words
        assert result.text[start:end] == text[a:b]
