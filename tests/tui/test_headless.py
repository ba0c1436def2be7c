"""Unit tests of the workbench's headless parts: line layout, text motions, retrieval, settings, import hygiene."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain import Segment, SegmentKind
from qualcode.tui import settings, textnav
from qualcode.tui.layout import wrap
from qualcode.tui.retrieval import RetrieveQuery, _intersect, retrieve

texts = st.text(alphabet=st.sampled_from("ab cdé\n.!?"), max_size=300)


@given(texts, st.integers(min_value=4, max_value=60))
def test_wrap_keeps_every_character_on_exactly_one_line(text, width):
    layout = wrap(text, width)
    covered = []
    for start, end in zip(layout.starts, layout.ends):
        assert start <= end
        covered.extend(range(start, end))
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    assert sorted(covered + newlines) == list(range(len(text)))
    for offset in range(len(text)):
        line = layout.line_of(offset)
        assert layout.starts[line] <= offset


@given(texts, st.integers(min_value=4, max_value=60))
def test_wrapped_lines_fit_unless_only_spaces_overflow(text, width):
    layout = wrap(text, width)
    for start, end in zip(layout.starts, layout.ends):
        assert len(text[start:end].rstrip(" ")) <= width


def test_wrap_breaks_at_word_boundaries():
    layout = wrap("one two three four", 9)
    lines = ["one two three four"[s:e] for s, e in zip(layout.starts, layout.ends)]
    assert lines == ["one two ", "three ", "four"]


@given(st.text(max_size=200), st.integers(min_value=0, max_value=200))
def test_word_motions_stay_in_the_text_and_move_monotonically(text, offset):
    offset = min(offset, len(text))
    forward = textnav.next_word(text, offset)
    back = textnav.prev_word(text, offset)
    assert 0 <= back <= max(offset, 0)
    assert 0 <= forward <= max(0, len(text))


def test_sentences_and_turns():
    text = "Maren: We meet. It helps! Does it?\n\nTobin: Yes."
    assert text[slice(*textnav.sentence_at(text, 10))] == "Maren: We meet."
    bounds = (7, 34)
    assert text[slice(*textnav.sentence_at(text, 10, bounds))] == "We meet."
    assert text[textnav.next_sentence(text, 10):].startswith("It helps!")
    turns = textnav.Turns([Segment(None, 1, 0, 7, 34, SegmentKind.TURN, "Maren"),
                           Segment(None, 1, 1, 43, 47, SegmentKind.TURN, "Tobin")], len(text))
    assert turns.next_start(10) == 43
    assert turns.prev_start(45) == 43 and turns.prev_start(43) == 7
    assert turns.bounds(20) == (7, 34)


def test_intersection_of_span_lists():
    assert _intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert _intersect([(0, 5)], [(5, 9)]) == []


def test_retrieve_and_needs_overlap(sqlite_db):
    from qualcode.coding import CodingService
    from qualcode.store import codes
    from qualcode.store import documents as docs
    from tests.tui.conftest import GROUP, transcript

    with sqlite_db.transaction() as s:
        doc = docs.add_parsed(s, transcript("fg", GROUP), [None, None])
        a = codes.add(s, "a").id
        b = codes.add(s, "b").id
    service = CodingService(sqlite_db, "alex")
    service.apply(doc, 7, 30, a)
    service.apply(doc, 20, 50, b)
    service.apply(doc, 80, 90, a)
    with sqlite_db.reading() as s:
        both = retrieve(s, RetrieveQuery((a, b), mode="and"))
        either = retrieve(s, RetrieveQuery((a, b), mode="or"))
    assert [(e.start, e.end) for e in both] == [(20, 30)]
    assert [(e.start, e.end) for e in either] == [(7, 30), (20, 50), (80, 90)]
    assert both[0].code_ids == (a, b)


def test_settings_round_trip_and_damaged_file(tmp_path):
    user = settings.UserSettings()
    user.project("sqlite:///x.db").coder = "alex"
    user.project("sqlite:///x.db").pinned = [3, 1]
    user.touch("sqlite:///x.db")
    settings.save(user, tmp_path)
    loaded = settings.load(tmp_path)
    assert loaded.project("sqlite:///x.db").coder == "alex" and loaded.project("sqlite:///x.db").pinned == [3, 1]
    assert loaded.recent == ["sqlite:///x.db"]
    (tmp_path / settings.SETTINGS_FILE).write_text("{not json")
    assert settings.load(tmp_path).projects == {}


def test_headless_modules_do_not_import_textual():
    code = (
        "import sys; import qualcode.tui.workbench, qualcode.tui.layout, qualcode.tui.textnav, "
        "qualcode.tui.retrieval, qualcode.tui.settings, qualcode.tui.keymap, qualcode.tui.registry; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_turn_of_a_speaker_label_is_the_turn_it_introduces():
    text = "Maren: We meet.\n\nTobin: Yes."
    turns = textnav.Turns([Segment(None, 1, 0, 7, 15, SegmentKind.TURN, "Maren"),
                           Segment(None, 1, 1, 24, 28, SegmentKind.TURN, "Tobin")], len(text))
    assert turns.bounds(0) == (7, 15)
    assert turns.bounds(18) == (24, 28)  # on "Tobin: "
    assert turns.at(27).speaker == "Tobin"
    assert text[slice(*textnav.sentence_at(text, 18, turns.bounds(18)))] == "Yes."


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=8)


@given(spans, spans)
def test_and_retrieval_covers_exactly_the_characters_both_codes_cover(a, b):
    from qualcode.tui.retrieval import _merge

    got = _intersect(_merge(a), _merge(b))
    points = {i for s, e in got for i in range(s, e)}
    in_a = {i for s, e in a for i in range(s, e)}
    in_b = {i for s, e in b for i in range(s, e)}
    assert points == in_a & in_b
    assert all(s < e for s, e in got)
    assert got == sorted(got)
