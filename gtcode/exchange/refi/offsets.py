"""Decide whether a project's text positions are code points (the spec) or UTF-16 units (NVivo).

The two only differ after an astral character (emoji, CJK extension B+). Evidence, in order:
no astral character in any coded text -> code points (nothing to convert); the producing
tool is NVivo -> UTF-16; selections that fit the text only under one reading -> that one;
otherwise the reading whose span ends fall on more word boundaries, ties -> code points.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gtcode.domain.spans import Utf16Map
from gtcode.exchange.refi.positions import is_word_boundary

CODEPOINTS = "codepoints"
UTF16 = "utf16"
OFFSET_MODES = ("auto", CODEPOINTS, UTF16)


@dataclass(frozen=True)
class SpanEvidence:
    """The raw text of one source (BOM removed) and the raw spans read for it."""

    text: str
    spans: Sequence[tuple[int, int]]


@dataclass(frozen=True)
class Decision:
    """Chosen unit and why."""

    units: str
    reason: str


def _fits(spans: Iterable[tuple[int, int]], length: int) -> bool:
    return all(0 <= start <= end <= length for start, end in spans)


def _boundary_score(text: str, spans: Iterable[tuple[int, int]]) -> int:
    return sum(is_word_boundary(text, start) + is_word_boundary(text, end) for start, end in spans)


def decide_units(origin: str | None, evidence: Sequence[SpanEvidence]) -> Decision:
    """Pick the position unit for a whole project (a tool writes one unit throughout)."""
    astral = [(item, Utf16Map(item.text)) for item in evidence if item.spans]
    astral = [(item, units) for item, units in astral if units.has_astral]
    if not astral:
        return Decision(CODEPOINTS, "no astral characters in coded texts")
    if origin and "nvivo" in origin.lower():
        return Decision(UTF16, f"written by {origin}")
    fit_points = all(_fits(item.spans, len(item.text)) for item, _ in astral)
    fit_units = all(
        _fits(item.spans, units.utf16_length)
        and not any(units.splits_pair(p) for span in item.spans for p in span)
        for item, units in astral
    )
    if fit_units and not fit_points:
        return Decision(UTF16, "selections fit the texts only as UTF-16 units")
    if fit_points and not fit_units:
        return Decision(CODEPOINTS, "selections fit the texts only as code points")
    score_points = sum(_boundary_score(item.text, item.spans) for item, _ in astral)
    score_units = sum(
        _boundary_score(item.text, [(units.to_codepoint(s), units.to_codepoint(e)) for s, e in item.spans])
        for item, units in astral
    )
    if score_units > score_points:
        return Decision(UTF16, "selections align with word boundaries as UTF-16 units")
    return Decision(CODEPOINTS, "selections align with word boundaries as code points")
