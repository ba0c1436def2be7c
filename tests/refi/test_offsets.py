"""Offset conversion: UTF-16 code units or code points, CRLF or LF, always back to the same words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.refi.model import norm_colour, norm_guid, pack_description, unpack_description
from qualcode.refi.offsets import NVIVO, SPEC, Counting, OffsetMap, detect_counting, on_word_boundary, utf16_offset

LF_TEXT = st.text(alphabet="ab é\n😀𝄞.", min_size=1, max_size=60)


def _crlf_index(lf: str, i: int) -> int:
    return i + lf[:i].count("\n")


@given(LF_TEXT, st.data())
def test_nvivo_counting_maps_back_to_the_same_code_points(lf, data):
    raw = lf.replace("\n", "\r\n")
    i = data.draw(st.integers(0, len(lf)))
    mapping = OffsetMap(raw, utf16=True)
    assert mapping.text == lf
    assert mapping.to_text(utf16_offset(raw, _crlf_index(lf, i))) == i


@given(LF_TEXT, st.data())
def test_every_counting_scheme_is_inverted(lf, data):
    raw = lf.replace("\n", "\r\n")
    a = data.draw(st.integers(0, len(lf)))
    b = data.draw(st.integers(a, len(lf)))
    spec = OffsetMap(raw, utf16=False)
    assert spec.span(_crlf_index(lf, a), _crlf_index(lf, b)) == (a, b)
    one = OffsetMap(raw, utf16=True, crlf_as_one=True)
    assert one.span(utf16_offset(lf, a), utf16_offset(lf, b)) == (a, b)
    # Offsets past the end, or inside a surrogate pair or a CRLF, still land inside the text.
    for odd in (-5, len(raw) * 3, utf16_offset(raw, len(raw)) - 1):
        assert 0 <= OffsetMap(raw, utf16=True).to_text(odd) <= len(lf)


def test_counting_is_detected_from_origin_then_from_word_boundaries():
    text = "🙂 one two\r\nthree four"
    assert detect_counting("NVivo for Mac 12.7", "plain", []) == NVIVO
    assert detect_counting("MAXQDA", "no emoji or CRLF here", [(0, 2)]) == SPEC
    words = [(text.index(w), text.index(w) + len(w)) for w in ("two", "three four")]
    assert detect_counting("X", text, words) == SPEC
    as_utf16 = [(utf16_offset(text, a), utf16_offset(text, b)) for a, b in words]
    assert detect_counting("X", text, as_utf16).utf16
    lf = text.replace("\r\n", "\n")
    as_one = [(lf.index(w), lf.index(w) + len(w)) for w in ("three four",)]
    assert detect_counting("X", text, as_one) == Counting(crlf_as_one=True)
    assert on_word_boundary("ab cd", 3, 5) and not on_word_boundary("ab cd", 1, 5)


def test_guids_and_colours_are_normalised():
    assert norm_guid("{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}") == "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"
    assert norm_guid("not-a-guid") is None
    assert norm_colour("#0a0") == "#00AA00" and norm_colour("#46aa00") == "#46AA00" and norm_colour("red") is None


@given(st.text(alphabet="ab\n :é", max_size=30),
       st.fixed_dictionaries({"inclusion": st.text(alphabet="ab\n :", max_size=10),
                              "examples": st.lists(st.text(alphabet="ab\n ,", min_size=1, max_size=8), max_size=2),
                              "keywords": st.lists(st.text(alphabet="ab ,", min_size=1, max_size=5), max_size=3),
                              "valence": st.sampled_from(["none", "barrier"])}))
def test_code_definitions_survive_the_description_field(description, extras):
    description_back, extras_back = unpack_description(pack_description(description, extras))
    assert description_back == description
    expected = {k: v for k, v in extras.items() if v and v != "none"}
    assert extras_back == expected


def test_selection_names_holding_the_text_decide_when_boundaries_cannot():
    # Both countings land on word boundaries here; only the names say which one the tool used.
    text = "😀😀 a b c d e f g h"
    words = ("b c", "d e f")
    spans_u16 = [(utf16_offset(text, text.index(w)), utf16_offset(text, text.index(w) + len(w))) for w in words]
    assert detect_counting("Other 1", text, spans_u16) == SPEC  # a tie on boundaries: the spec wins
    assert detect_counting("Other 1", text, spans_u16, list(words)).utf16
