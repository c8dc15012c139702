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
import threading
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

_HAN = HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"  # Chinese characters, a token each
_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}_]+")
_HAN_CHAR = re.compile(rf"[{_HAN}]")
_HAN_ONLY = re.compile(rf"[{_HAN}]+")


class Token(NamedTuple):
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


_RUN = re.compile(r"[^\W_]+")  # letters and digits: a word, or a run of Chinese (maybe with Latin) to split


def _pieces(text: str):
    """``(start, end, lower-case form)`` of each token, fast for plain words (one pass of a simple pattern)."""
    for run in _RUN.finditer(text):
        word = run.group()
        base = run.start()
        if word.isascii() or not _HAN_CHAR.search(word):
            yield base, run.end(), word.lower()
        elif _HAN_ONLY.fullmatch(word):
            yield from ((base + i, base + i + 1, char) for i, char in enumerate(word))
        else:
            for piece in _TOKEN.finditer(word):
                yield base + piece.start(), base + piece.end(), piece.group().lower()


def _terms(forms, initials: frozenset[str] | None = None) -> dict[str, str]:
    """The index term of each distinct form: a Chinese character or a number as it is, a word by its stem
    (only words beginning with one of ``initials``, when given: a stem keeps its word's first letter, so no
    other word can have the stem a search looks for; the others keep their form)."""
    words = [form for form in forms if len(form) > 1 and not form.isdigit() and (initials is None or form[0] in initials)]
    terms = {form: form for form in forms}
    terms.update(zip(words, _stemmer().stemWords(words)))
    return terms


def stem_of(form: str) -> str:
    """The index term of one lower-case form (as :func:`_terms` gives it)."""
    return _stemmer().stemWord(form) if len(form) > 1 and not form.isdigit() else form


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Every token of ``text`` in order, positions counted from ``offset``."""
    found = list(_pieces(text))
    terms = _terms({form for _s, _e, form in found})
    return [Token(start + offset, end + offset, form, terms[form]) for start, end, form in found]


_SPLIT_RUN, _SPLIT_TOKEN = re.compile(f"({_RUN.pattern})"), re.compile(f"({_TOKEN.pattern})")


class Words:
    """The tokens of one text as parallel lists, what a search matches on (built without an object per token):
    each token's lower-case ``forms`` and index ``terms``; :meth:`spans` gives their ``[start, end)``."""

    __slots__ = ("forms", "terms", "_parts", "_offset", "_spans")

    def __init__(self, forms: list[str], terms: list[str], parts: list[str] | None, offset: int,
                 spans: list[tuple[int, int]] | None = None) -> None:
        self.forms, self.terms = forms, terms
        self._parts, self._offset, self._spans = parts, offset, spans

    def spans(self) -> list[tuple[int, int]]:
        """Every token's ``[start, end)``, counted from the offset (from the pieces' lengths, when first asked)."""
        if self._spans is None:
            ends = list(accumulate(map(len, self._parts), initial=self._offset))  # ends[k]: where piece k starts
            self._spans = list(zip(ends[1::2], ends[2::2]))
        return self._spans


def words(text: str, offset: int = 0, initials: frozenset[str] | None = None) -> Words:
    """The tokens of ``text`` as :class:`Words`: the same forms, terms and positions as :func:`tokens`, from one
    lower-casing and one split of the text (tokens and what lies between them), each distinct word stemmed once;
    with ``initials`` only the words beginning with one of them are stemmed (a search for stems that begin so:
    the other words' terms are then their forms)."""
    low = text.lower()
    if len(low) != len(text) or "Σ" in text:  # a longer lower case (İ), or one that hangs on what follows (a final
        # sigma is ς at a token's end but σ before '.a' in the whole text): token by token, positions kept
        found = tokens(text, offset)
        return Words([t.form for t in found], [t.term for t in found], None, offset, [(t.start, t.end) for t in found])
    parts = (_SPLIT_TOKEN if _HAN_CHAR.search(low) else _SPLIT_RUN).split(low)
    forms = parts[1::2]
    terms = _terms(set(forms), initials)
    return Words(forms, [terms[form] for form in forms], parts, offset)


def last_form(text: str) -> str:
    """The lower-case form of the last token of ``text`` ("" when it has none): the first run of letters and
    digits in the text read backwards (its last 200 characters)."""
    found = _RUN.search(text[:-201:-1])
    if found is None:
        return ""
    run = found.group()[::-1]
    if run.isascii():
        return run.lower()
    return run[-1] if _HAN_CHAR.match(run[-1]) else _TOKEN.findall(run)[-1].lower()


def first_form(text: str) -> str:
    """The lower-case form of the first token of ``text`` ("" when it has none)."""
    found = _RUN.search(text[:200])
    if found is None:
        return ""
    word = found.group()
    if word.isascii():
        return word.lower()
    return word[0] if _HAN_CHAR.match(word[0]) else _TOKEN.match(word).group().lower()


def index_terms(text: str) -> str:
    """The distinct terms of ``text``, space-separated, as the index stores them for one sentence."""
    return index_terms_of([text])[0]


def index_terms_of(texts: list[str]) -> list[str]:
    """:func:`index_terms` of each text (a document's sentences)."""
    return _joined([_forms(text) for text in texts])


def index_terms_in(text: str, spans) -> list[str]:
    """:func:`index_terms` of each sentence ``text[start:end]`` of ``spans``: what an import indexes. The text is
    lower-cased once and each sentence's forms found by one ``findall`` over its span (the same forms as
    :func:`_forms`, which a text whose lower case is longer or hangs on what follows, İ or Σ, still takes)."""
    low = text.lower()
    if len(low) != len(text) or "Σ" in text:
        return index_terms_of([text[start:end] for start, end in spans])
    find = (_TOKEN if _HAN_CHAR.search(low) else _RUN).findall
    return _joined([find(low, start, end) for start, end in spans])


# The characters on which SQLite FTS5's ``unicode61`` tokenizer and this module agree: the same token boundaries
# and, once lower-cased, no folding of its own (checked for each by tests/text/test_tokens.py on the SQLite in use).
_AGREED = ("\x00-\xb4\xb6-\u012f\u0131-\u017e\u0180-\u024f\u2000-\u2064\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
           "\uf900-\ufa6d\ufa70-\ufad9\uff01-\uffbe")
_DISAGREED = re.compile(f"[^{_AGREED}]")
_SPLIT_HAN_RUN = re.compile(f"({_HAN_ONLY.pattern})")
_SENTENCE_BREAK = "\ue000"  # not agreed, so never in a text indexed as words


def index_contents(text: str, spans) -> list[str]:
    """What SQLite's FTS5 table is given for each sentence ``text[start:end]`` of ``spans``, for its ``unicode61``
    tokenizer to split: the sentence lower-cased with each Chinese character apart, so its tokens are exactly
    the forms of :func:`tokens` (a search asks for every form whose term it wants, ``search._forms``); with no
    Python step per sentence or token. A text holding a character they might split or fold differently gets
    :func:`index_terms_in` instead (its terms, as PostgreSQL's index has them)."""
    low = text.lower()
    if low.isascii():
        return [low[start:end] for start, end in spans]
    if len(low) != len(text) or _DISAGREED.search(low):
        return index_terms_in(text, spans)
    if not _HAN_CHAR.search(low):
        return [low[start:end] for start, end in spans]
    parts = _SPLIT_HAN_RUN.split(_SENTENCE_BREAK.join([low[start:end] for start, end in spans]))
    parts[1::2] = map(" ".join, parts[1::2])
    return " ".join(parts).split(_SENTENCE_BREAK)


def _joined(forms_of: list) -> list[str]:
    """Each collection of forms as its sorted distinct terms, space-separated. A form is looked up as its own
    default (``stems.get(form, form)``: most forms are their own term, Chinese characters, numbers, words a stem
    leaves as they are), all inside ``map`` and ``set``, so no Python step per token."""
    get = _stems_of(set().union(*forms_of)).get
    return [" ".join(sorted(set(map(get, forms, forms)))) for forms in forms_of]


_SEEN: set[str] = set()  # every form whose term is known: its stem in _STEMS when it differs from the form
_STEMS: dict[str, str] = {}
_SEEN_MAX = 500_000
_STEMS_LOCK = threading.Lock()


def _stems_of(forms: set[str]) -> dict[str, str]:
    """The stems of those of ``forms`` that a stem changes, each stemmed once per process (Zipf: an import meets
    few new words after its first documents). The dictionary returned is never emptied (a full cache is replaced),
    so a caller on another thread keeps a consistent one."""
    global _SEEN, _STEMS
    with _STEMS_LOCK:
        new = forms - _SEEN
        if not new:
            return _STEMS
        if len(_SEEN) + len(new) > _SEEN_MAX:
            _SEEN, _STEMS, new = set(), {}, set(forms)
        words = [form for form in new if len(form) > 1 and not form.isdigit()]
        _STEMS.update((word, stem) for word, stem in zip(words, _stemmer().stemWords(words)) if stem != word)
        _SEEN |= new
        return _STEMS


def _forms(text: str) -> set[str]:
    """The distinct lower-case forms of ``text``'s tokens: :func:`_pieces` without the positions."""
    forms: set[str] = set()
    for word in _RUN.findall(text):
        if word.isascii() or not _HAN_CHAR.search(word):
            forms.add(word.lower())
        elif _HAN_ONLY.fullmatch(word):
            forms.update(word)
        else:
            forms.update(piece.lower() for piece in _TOKEN.findall(word))
    return forms


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
