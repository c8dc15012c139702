"""Split a document into sentences as code point spans ``(start, end)`` of its canonical text.

First the text is cut into blocks that no sentence crosses: paragraphs (a blank line), speaker turns (a
turn's sentences start after its label, which belongs to no sentence), and lines that are clearly not
the continuation of the line before (headings, list items, table rows; see ``_continues``). Each block
is then split: English by spaCy's blank ``en`` pipeline with the rule-based sentencizer, Chinese by
full-width end punctuation. Last, pieces that end in an abbreviation ("e.g.", "Dr.", "No. 3", "et al.")
are joined again. Spans never include surrounding whitespace.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gtcode.domain.limits import Limits

from gtcode.text.speakers import Turn, speaker_turns

_CLOSERS = "”’」』）》】〉\"')]"
_ZH_END = re.compile(
    r"(?:[。！？；!?…]|\.{3,}|\.(?=\s|$|[\u3400-\u9fff]))+"  # '.' only before space, end or a hanzi
    rf"[{re.escape(_CLOSERS)}]*"
)
_MARKER = re.compile(
    r"\s*(?:[#>*•·▪|\-–—]|\d{1,3}[.)、]\s|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百\d]+[章节条部分])"
)
_LINE_END = re.compile(rf"[.!?。！？；;:：…][{re.escape(_CLOSERS)}]*\s*$")
_ZH_WRAP_WIDTH = 20  # a Chinese line this long without end punctuation is taken to be wrapped

# Abbreviations (lower case) that end a piece which must be joined to the next piece...
_ALWAYS = frozenset(
    "e.g. i.e. dr. mr. mrs. ms. prof. fig. figs. eq. eqs. vs. cf. pp. vol. vols. approx. dept. st. mt. "
    "gen. gov. rep. sen. rev. hon. capt. col. lt. sgt. viz. ibid.".split()
)
# ...when the next piece starts with a digit ("No. 3", "p. 12"; but "A: No. We never did." splits)...
_BEFORE_NUMBER = frozenset("no. nos. p. ch. sec. art. para. ref. refs. tab. chap.".split())
# ...or when it starts with a digit, "(" or a lower-case letter ("et al. (2020)", "U.S. officials").
_WEAK = frozenset("etc. al. u.s. u.k. u.n. e.u. inc. ltd. co. corp. jr. sr. a.m. p.m. ca. esp.".split())
_LAST_WORD = re.compile(r"(\S+)\s*$")
_NUMBER_ONLY = re.compile(r"[#*\s]*(?:\d+(?:\.\d+)*|[IVXivx]+|[A-Za-z])\.?[*\s]*")  # "## 1.", "2.1", "IV."
_OPENERS = "([{“‘"
_INNER_END = re.compile(r"[.!?…。！？][^\s]*\s+\S")  # end punctuation with more words after it


@lru_cache(maxsize=1)
def _english():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # spaCy refuses texts over 1,000,000 characters for the sake of parser and NER memory; the tokenizer and
    # sentencizer alone need little, so one block may be as long as a document may be (Limits.characters).
    nlp.max_length = Limits().characters + 1
    return nlp


def split_sentences(text: str, lang: str | None = None, kind: str | None = None,
                    turns: list[Turn] | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` in order; ``lang`` is "zh" or "en" (detected when None). The speaker turns
    that cut blocks are those of a ``kind`` document (``speaker_turns``), or ``turns`` when the caller has
    found them already (an import gives the same turns to its sentences' speakers)."""
    if lang is None:
        from gtcode.text.language import detect_language

        lang = detect_language(text)
    blocks = _blocks(text, lang, speaker_turns(text, kind) if turns is None else turns)
    pieces = _split_zh(text, blocks) if lang == "zh" else _split_en(text, blocks)
    return _join_abbreviations(text, pieces)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _continues(previous: str, line: str, lang: str) -> bool:
    """Whether ``line`` carries on the sentence of ``previous`` (a soft, wrapped line break)."""
    if "\t" in previous or "\t" in line or _MARKER.match(line) or _LINE_END.search(previous):
        return False
    first = line.lstrip()[:1]
    if lang == "zh":
        return len(previous.strip()) >= _ZH_WRAP_WIDTH
    return first.islower()


def _blocks(text: str, lang: str, turns: list[Turn]) -> list[tuple[int, int]]:
    """Stripped, non-empty regions of ``text`` that no sentence crosses (``turns``: its speaker turns)."""
    bodies = {t.start: t.body_start for t in turns}
    blocks: list[tuple[int, int]] = []
    block_start = None  # start of the open block
    previous = ""
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            if block_start is not None:
                blocks.append((block_start, line_start))
            block_start, previous = None, ""
            continue
        if line_start in bodies:
            if block_start is not None:
                blocks.append((block_start, line_start))
            block_start = bodies[line_start]
        elif block_start is None:
            block_start = line_start
        elif not _continues(previous, line, lang):
            blocks.append((block_start, line_start))
            block_start = line_start
        previous = line
    if block_start is not None:
        blocks.append((block_start, len(text)))
    stripped = (_strip(text, s, e) for s, e in blocks)
    return [(s, e) for s, e in stripped if s < e]


def _split_zh(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    pieces = []
    for block, (start, end) in enumerate(blocks):
        cut = start
        for m in _ZH_END.finditer(text, start, end):
            pieces.append((cut, m.end(), block))
            cut = m.end()
        pieces.append((cut, end, block))
    return pieces


def _split_en(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    # blocks with no end punctuation before their last word are one sentence: spare spaCy those
    inner = [i for i, (s, e) in enumerate(blocks) if _INNER_END.search(text, s, e)]
    docs = dict(zip(inner, _english().pipe((text[slice(*blocks[i])] for i in inner), batch_size=512)))
    pieces = []
    for block, (start, end) in enumerate(blocks):
        sents = list(docs[block].sents)[1:] if block in docs else []
        cuts = [start] + [_before_openers(text, start + sent.start_char) for sent in sents]
        pieces.extend((a, b, block) for a, b in zip(cuts, cuts[1:] + [end]))
    return pieces


def _before_openers(text: str, cut: int) -> int:
    """Move a sentence start back over the opening brackets and quotes the sentencizer left behind."""
    pos = cut
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    moved = pos
    while moved > 0 and (
        text[moved - 1] in _OPENERS or (text[moved - 1] in "\"'" and (moved < 2 or text[moved - 2].isspace()))
    ):
        moved -= 1
    return moved if moved < pos else cut


def _joins(piece: str, following: str) -> bool:
    """Whether ``piece`` ends in an abbreviation that ``following`` continues."""
    m = _LAST_WORD.search(piece[-40:])
    if not m or not following:
        return False
    word = m.group(1).lstrip("([{\"'“‘").lower()
    head = following[0]
    if word[-1] in ",;" or _NUMBER_ONLY.fullmatch(piece):
        return True
    if word in _ALWAYS:
        return True
    if word in _BEFORE_NUMBER:
        return head.isdigit()
    if word in _WEAK:
        return head.isdigit() or head == "(" or head.islower()
    return word.endswith(".") and head.islower() and head.isascii()


def _join_abbreviations(text: str, pieces: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Strip the pieces, drop empty ones, and join those of one block split after an abbreviation."""
    out: list[tuple[int, int]] = []
    last_block = -1
    for raw_start, raw_end, block in pieces:
        start, end = _strip(text, raw_start, raw_end)
        if start >= end:
            continue
        if block == last_block and _joins(text[out[-1][0] : out[-1][1]], text[start]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        last_block = block
    return out
