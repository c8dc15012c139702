"""Joining text that a layout broke at line ends (PDF lines, subtitle cues) back into running text."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_HYPHENATED = re.compile(r"[^\W\d_]-$")


def hyphenated(text: str) -> bool:
    """Whether ``text`` ends in a word broken with a hyphen ("pub-")."""
    return _HYPHENATED.search(text) is not None


def join_broken(before: str, after: str) -> str:
    """Two pieces of one paragraph split at a line end: a hyphenated word joined ("pub-" + "lic"), Chinese
    without a space, other text with one."""
    if not before or not after:
        return before + after
    if hyphenated(before) and after[:1].islower():
        return before[:-1] + after
    if CJK.search(before[-1:]) or CJK.search(after[:1]):
        return before + after
    return f"{before} {after}"
