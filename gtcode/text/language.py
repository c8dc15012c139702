"""Guess whether a document is Chinese or English from its share of CJK characters."""

from __future__ import annotations

import re

# A document is "zh" when at least 20% of its letters (CJK ideographs plus Latin letters) are CJK.
# One ideograph carries about as much as a 3-5 letter English word (Chinese words average ~1.5
# ideographs, English words ~5 letters), so 20% of letters is roughly an even split of words: Chinese
# text quoting English terms stays "zh", English text quoting Chinese names stays "en".
ZH_THRESHOLD = 0.2
_SAMPLE = 200_000  # characters looked at; a long document's opening is representative enough

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")  # runs, counted by their lengths
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among CJK ideographs and Latin letters (0.0 when there are neither)."""
    sample = text[:_SAMPLE]
    cjk = sum(map(len, _CJK.findall(sample)))
    latin = sum(map(len, _LATIN.findall(sample)))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def detect_language(text: str) -> str:
    """``"zh"`` or ``"en"`` (the default for text with no letters)."""
    return "zh" if cjk_share(text) >= ZH_THRESHOLD else "en"
