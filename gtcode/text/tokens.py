"""The search index's tokens: what a sentence is found by, one definition for indexing and for queries.

A token is a word of letters and digits (lower-cased, and stemmed by the Snowball English stemmer, so
"clinics" and "clinic" are one term) or a single Chinese character. Chinese is indexed character by
character and a Chinese query word is looked for as the run of its characters, so a word is found whatever
jieba made of it at import ("医院" inside "县医院开通", which jieba may keep whole), and one- and
two-character queries work. Word frequencies use jieba's words instead (:func:`frequency_words`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}_]+")
_HAN_CHAR = re.compile(rf"[{_HAN}]")


@dataclass(frozen=True)
class Token:
    """One token: ``[start, end)`` in the text given, its lower-case ``form`` and its index ``term``."""

    start: int
    end: int
    form: str
    term: str


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    stemmer.maxCacheSize = 50000
    return stemmer


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Every token of ``text`` in order, positions counted from ``offset``."""
    found = [(m.start() + offset, m.end() + offset, m.group().lower()) for m in _TOKEN.finditer(text)]
    if not found:
        return []
    stems = _stemmer().stemWords([form for _s, _e, form in found])
    return [Token(start, end, form, form if len(form) == 1 or form.isdigit() else stem)
            for (start, end, form), stem in zip(found, stems)]


def index_terms(text: str) -> str:
    """The distinct terms of ``text``, space-separated, as the index stores them for one sentence."""
    return " ".join(sorted({token.term for token in tokens(text)}))


def is_han(text: str) -> bool:
    return bool(_HAN_CHAR.search(text))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English and Chinese stop lists (lower case)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.zh.stop_words import STOP_WORDS as ZH

    return frozenset(w.lower() for w in (*EN, *ZH))


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


_HAN_RUN = re.compile(rf"[{_HAN}]+")
_WORD = re.compile(rf"[^\W{_HAN}_\d]+(?:['’][^\W{_HAN}_\d]+)?")


def frequency_words(text: str) -> list[str]:
    """The words of ``text`` for word frequencies: jieba's words for Chinese, lower-case English words,
    without stop words, digits and punctuation."""
    stop = stop_words()
    words: list[str] = []
    for match in _HAN_RUN.finditer(text):
        words += [w for w in _jieba().lcut(match.group()) if w not in stop]
    rest = _HAN_RUN.sub(" ", text).lower()
    words += [w for w in (m.group().replace("’", "'") for m in _WORD.finditer(rest))
              if w not in stop and len(w) > 1]
    return words
