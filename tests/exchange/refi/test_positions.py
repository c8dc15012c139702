"""Properties of the reader's position conversions (UTF-16 units as the reader reads them, CRLF/BOM canonicalisation)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gtcode.domain.spans import Utf16Map
from gtcode.exchange.refi.positions import CanonicalText

texts = st.text(alphabet=st.sampled_from(["a", " ", "中", "😀", "𠀀", "\r", "\n", "é"]), max_size=40)


@given(texts)
def test_utf16_round_trip(text: str) -> None:
    units = Utf16Map(text)
    assert units.utf16_length == len(text.encode("utf-16-le")) // 2
    assert units.has_astral == (units.utf16_length != len(text))
    for point in range(len(text) + 1):
        unit = units.to_utf16(point)
        assert unit == len(text[:point].encode("utf-16-le")) // 2
        assert not units.splits_pair(unit)
        assert units.to_codepoint(unit) == point
        if point < len(text) and ord(text[point]) > 0xFFFF:  # inside the pair: after the character
            assert units.splits_pair(unit + 1)
            assert units.to_codepoint(unit + 1) == point + 1


@given(texts)
def test_canonical_positions_keep_the_text_between_them(text: str) -> None:
    canon = CanonicalText.of("\ufeff" + text)
    assert "\r" not in canon.text and not canon.text.startswith("\ufeff")
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            piece = text[start:end]
            if piece.startswith("\n") and text[start - 1 : start] == "\r":
                piece = piece[1:]  # a position between CR and LF lands after the newline
            expected = piece.replace("\r\n", "\n").replace("\r", "\n")  # a lone CR at the end stands for CRLF
            assert canon.text[canon.position(start) : canon.position(end)] == expected
            assert canon.from_full(start + 1) == canon.position(start)
