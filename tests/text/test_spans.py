"""Span validation and the UTF-16 and (row, col) round trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtcode.domain.errors import GtcodeError
from gtcode.domain.spans import LineMap, Span, Utf16Map

# Chinese, CJK extension B, emoji, ASCII and newlines: astral characters are the hard case for UTF-16.
_ALPHABET = st.sampled_from(list("ab \n数据共享。") + ["𠀀", "𠀁", "😀", "👍🏽"[0], "é"])
_TEXTS = st.lists(_ALPHABET, max_size=60).map("".join)


def test_reversed_and_past_end_messages():
    with pytest.raises(GtcodeError, match=r"^offsets 5\.\.3 are reversed: give START before END$"):
        Span(5, 3)
    with pytest.raises(GtcodeError, match=r"^offset 120 is past the end of the text \(100 characters\)$"):
        Span.within(0, 120, 100)
    with pytest.raises(GtcodeError, match="negative"):
        Span(-1, 2)
    assert Span.within(2, 4, 4).of("数据共享") == "共享"


def test_utf16_known_offsets():
    text = "a😀b𠀀c"
    m = Utf16Map(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert m.utf16_length == len(text.encode("utf-16-le")) // 2
    with pytest.raises(GtcodeError, match="surrogate pair"):
        m.from_utf16(2)


@given(_TEXTS, st.data())
def test_utf16_round_trip(text, data):
    m = Utf16Map(text)
    offset = data.draw(st.integers(0, len(text)))
    unit = m.to_utf16(offset)
    assert unit == len(text[:offset].encode("utf-16-le")) // 2
    assert m.from_utf16(unit) == offset
    start, end = sorted((offset, data.draw(st.integers(0, len(text)))))
    assert m.span_from_utf16(*m.span_to_utf16(Span(start, end))) == Span(start, end)


@given(_TEXTS, st.data())
def test_row_col_round_trip(text, data):
    m = LineMap(text)
    offset = data.draw(st.integers(0, len(text)))
    row, col = m.to_row_col(offset)
    lines = text.split("\n")
    assert m.rows == len(lines)
    assert "\n".join(lines[:row]) + ("\n" if row else "") + lines[row][:col] == text[:offset]
    assert m.from_row_col(row, col) == offset


def test_row_col_errors():
    m = LineMap("ab\n数据")
    assert m.to_row_col(5) == (1, 2)
    with pytest.raises(GtcodeError, match="column 3 is outside row 1"):
        m.from_row_col(1, 3)
    with pytest.raises(GtcodeError, match="row 2 is outside"):
        m.from_row_col(2, 0)
    with pytest.raises(GtcodeError, match="past the end"):
        m.to_row_col(6)
