"""The text search language: words, "exact phrases", OR, NOT, NEAR/n and parentheses, parsed and matched.

A query is matched against one sentence at a time. Words side by side (or joined by ``AND``) must all be in
the sentence, ``OR`` takes either, ``NOT x`` a sentence without ``x``, ``a NEAR/3 b`` an ``a`` and a ``b``
with at most three tokens between them (a Chinese character is a token). A bare word matches by its stem
("clinics" finds "clinic"), a quoted phrase by its exact word forms in order (case-insensitive); a Chinese
word is the run of its characters. Binding, tightest first: NOT, NEAR, AND, OR.

:func:`parse` gives a tree; :func:`matches` finds a sentence's hits (token ranges); :func:`required`
gives the terms an index must hold for a sentence to be a candidate (a superset: NOT is left to
:func:`matches`).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass

from gtcode.domain.errors import GtcodeError
from gtcode.text.tokens import Words, tokens


@dataclass(frozen=True)
class Word:
    """A word or phrase: the tokens it must be, in order (``exact``: by form, else by term)."""

    forms: tuple[str, ...]
    terms: tuple[str, ...]
    exact: bool


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


@dataclass(frozen=True)
class Without:
    part: object


@dataclass(frozen=True)
class Near:
    left: object
    right: object
    distance: int


Node = Word | All | Any | Without | Near
_LEX = re.compile(r'\s*(?:(?P<quote>"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')
_NEAR = re.compile(r"NEAR/(\d{1,3})")
HINT = 'write words, "a phrase", OR, NOT, NEAR/n and parentheses, e.g. clinic NEAR/5 "video call"'


def parse(query: str) -> Node:
    """The tree of ``query``; a GtcodeError line naming what is wrong with it."""
    items = _lex(query)
    if not items:
        raise GtcodeError(f"the search query is empty: {HINT}")
    parser = _Parser(items, query)
    node = parser.either()
    if parser.position < len(items):
        raise GtcodeError(f"search query {query!r}: unexpected {items[parser.position][1]!r}: {HINT}")
    if not _positive(node):
        raise GtcodeError(f"search query {query!r} finds nothing to show: add a word that must be there "
                          "(NOT only leaves words out)")
    return node


def _lex(query: str) -> list[tuple[str, str]]:
    items = []
    for match in _LEX.finditer(query):
        kind = match.lastgroup
        if kind is None:
            continue
        value = match.group(kind)
        if kind == "quote":
            if len(value) < 2 or not value.endswith('"'):
                raise GtcodeError(f"search query {query!r}: a phrase is not closed: end it with \"")
            items.append(("phrase", value[1:-1]))
        elif kind == "word" and value in ("OR", "AND", "NOT"):
            items.append((value, value))
        elif kind == "word" and _NEAR.fullmatch(value):
            items.append(("NEAR", value))
        elif kind == "word" and value.startswith("NEAR"):
            raise GtcodeError(f"search query {query!r}: {value!r}: write NEAR/n with a number, e.g. NEAR/5")
        else:
            items.append((kind, value))
    return items


class _Parser:
    def __init__(self, items: list[tuple[str, str]], query: str) -> None:
        self.items, self.query, self.position = items, query, 0

    def peek(self) -> str | None:
        return self.items[self.position][0] if self.position < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.items[self.position]
        self.position += 1
        return item

    def either(self) -> Node:
        parts = [self.every()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.every())
        return parts[0] if len(parts) == 1 else Any(tuple(parts))

    def every(self) -> Node:
        parts = [self.near()]
        while self.peek() not in (None, "OR", "close"):
            if self.peek() == "AND":
                self.take()
            parts.append(self.near())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def near(self) -> Node:
        node = self.unary()
        while self.peek() == "NEAR":
            distance = int(_NEAR.fullmatch(self.take()[1]).group(1))
            right = self.unary()
            if not (_positive(node) and _positive(right)) or isinstance(node, Without) or isinstance(right, Without):
                raise GtcodeError(f"search query {self.query!r}: NEAR joins words, not NOT: {HINT}")
            node = Near(node, right, distance)
        return node

    def unary(self) -> Node:
        kind = self.peek()
        if kind == "NOT":
            self.take()
            return Without(self.unary())
        if kind == "open":
            self.take()
            node = self.either()
            if self.peek() != "close":
                raise GtcodeError(f"search query {self.query!r}: a parenthesis is not closed: {HINT}")
            self.take()
            return node
        if kind in ("word", "phrase"):
            kind, value = self.take()
            return _word(value, exact=kind == "phrase", query=self.query)
        found = "the end" if kind is None else repr(self.items[self.position][1])
        raise GtcodeError(f"search query {self.query!r}: a word is missing before {found}: {HINT}")


def _word(text: str, exact: bool, query: str) -> Word:
    found = tokens(text)
    if not found:
        raise GtcodeError(f"search query {query!r}: {text!r} holds no letters or digits to look for: {HINT}")
    return Word(tuple(t.form for t in found), tuple(t.term for t in found), exact)


def _positive(node: Node) -> bool:
    """Whether a match of ``node`` has hits to show (not only NOTs)."""
    if isinstance(node, Word | Near):
        return True
    if isinstance(node, Without):
        return False
    if isinstance(node, All):
        return any(_positive(p) for p in node.parts)
    return all(_positive(p) for p in node.parts)


Hits = list[tuple[int, int]]  # token ranges [first, last + 1)


def matches(node: Node, sentence: Words) -> Hits | None:
    """The hits of ``node`` in a sentence's tokens (``gtcode.text.tokens.words``), or None when the sentence
    does not match."""
    if isinstance(node, Word):
        return _occurrences(sentence.forms if node.exact else sentence.terms,
                            list(node.forms if node.exact else node.terms)) or None
    if isinstance(node, All):
        hits: Hits = []
        for part in node.parts:
            found = matches(part, sentence)
            if found is None:
                return None
            hits += found
        return hits
    if isinstance(node, Any):
        results = [found for part in node.parts if (found := matches(part, sentence)) is not None]
        return [hit for found in results for hit in found] if results else None
    if isinstance(node, Without):
        return None if matches(node.part, sentence) is not None else []
    left, right = matches(node.left, sentence), matches(node.right, sentence)
    if not left or not right:
        return None
    close = {hit for a in left for b in right if max(b[0] - a[1], a[0] - b[1]) <= node.distance for hit in (a, b)}
    return sorted(close) or None


def _occurrences(seen: list[str], wanted: list[str]) -> Hits:
    """Where the run ``wanted`` stands in ``seen`` (list.index scans in C: most tokens are not the first word)."""
    found, size, at = [], len(wanted), -1
    while True:
        try:
            at = seen.index(wanted[0], at + 1)
        except ValueError:
            return found
        if size == 1 or seen[at:at + size] == wanted:
            found.append((at, at + size))


def quick_spans(node: Node, text: str, offset: int = 0) -> list[tuple[int, int]] | None:
    """The hits of a plain query (one word, or words joined by OR: each a Chinese run or a single other word)
    in ``text`` as ``[start, end)`` in order, found without tokenising the text; None for any other query (or
    text), which :func:`matches` answers. :func:`quick_finder` does this for many texts at once."""
    finder = quick_finder(node)
    found = None if finder is None else finder([text], [offset])
    return None if found is None else [(start, end) for _text, start, end in found]


_APART = "\x00"  # between the texts a finder joins: no token, and no gap a Chinese run may cross


def quick_finder(node: Node):
    """For a plain query, the function ``(texts, offsets) -> hits or None`` that finds :func:`quick_spans` in
    many texts in one pass of each pattern over them joined: ``(text's index, start, end)`` in order, positions
    counted from each text's offset. A Chinese run where its characters stand in turn (no other token between,
    overlapping runs as :func:`matches` finds them); another word among the tokens with its first letter (a stem
    keeps it), each such form stemmed once per query. None for any other query, and for texts whose lower case
    moves positions or hangs on context (İ, Σ) or that hold the separator: :func:`matches` answers those."""
    from gtcode.text.tokens import is_han, stem_of

    wanted = [node] if isinstance(node, Word) else list(node.parts) if isinstance(node, Any) else None
    if wanted is None or not all(isinstance(w, Word) for w in wanted):
        return None
    runs, others = [], []
    for word in wanted:
        if all(len(form) == 1 and is_han(form) for form in word.forms):
            runs.append(_run(word.forms))
        elif len(word.terms) == 1 and not is_han(word.forms[0]):
            term = word.forms[0] if word.exact else word.terms[0]
            others.append((_starting(term[0]), term, word.exact))
        else:
            return None
    several = len(runs) + len(others) > 1
    stems: dict[str, str] = {}

    def find(texts: list[str], offsets: list[int]) -> list[tuple[int, int, int]] | None:
        if not texts:
            return []
        joined = _APART.join(texts)
        low = joined.lower()
        if len(low) != len(joined) or "Σ" in joined or joined.count(_APART) != len(texts) - 1:
            return None
        starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        spans = [(match.start(), match.end(1)) for run in runs for match in run.finditer(low)]
        for starting, term, exact in others:
            for match in starting.finditer(low):
                form = match.group()
                if not exact:
                    stem = stems.get(form)
                    if stem is None:
                        stem = stems[form] = stem_of(form)
                    form = stem
                if form == term:
                    spans.append(match.span())
        if several:
            spans = sorted(set(spans))
        found = []
        for start, end in spans:
            at = bisect_right(starts, start) - 1
            shift = offsets[at] - starts[at]
            found.append((at, start + shift, end + shift))
        return found

    return find


@functools.lru_cache(maxsize=256)
def _run(characters: tuple[str, ...]) -> re.Pattern:
    """Chinese characters as consecutive tokens: only what is no token (punctuation, space, _; not the separator
    of joined texts) between them. A match takes the first character and looks ahead for the rest (group 1 ends
    the run), so overlapping runs ("哈哈" twice in "哈哈哈") are all found and the first character is searched
    for as a literal."""
    rest = "".join(r"(?:_|[^\w\x00])*" + re.escape(char) for char in characters[1:])
    return re.compile(re.escape(characters[0]) + "(?=(" + rest + "))")


@functools.lru_cache(maxsize=256)
def _starting(letter: str) -> re.Pattern:
    """Tokens other than Chinese characters that begin with ``letter`` (the letter first, then a look behind
    it, so that it is searched for as a literal)."""
    from gtcode.text.tokens import HAN

    letter = re.escape(letter)
    return re.compile(rf"{letter}(?<![^\W{HAN}_]{letter})[^\W{HAN}_]*")


def initials(node: Node) -> frozenset[str]:
    """The first letters of the stems ``node`` looks for (its words not in quotes): only words beginning with one
    of them need stemming to be matched (``gtcode.text.tokens.words``)."""
    if isinstance(node, Word):
        return frozenset(term[0] for term in node.terms) if not node.exact else frozenset()
    if isinstance(node, Without):
        return initials(node.part)
    if isinstance(node, Near):
        return initials(node.left) | initials(node.right)
    return frozenset().union(*(initials(part) for part in node.parts))


def required(node: Node):
    """What the index must hold for a sentence to match: ``("term", t)``, ``("all", [...])``,
    ``("any", [...])``, or None for no condition (a NOT)."""
    if isinstance(node, Word):
        terms = sorted(set(node.terms))
        return ("term", terms[0]) if len(terms) == 1 else ("all", [("term", t) for t in terms])
    if isinstance(node, Without):
        return None
    if isinstance(node, Near):
        return ("all", [required(node.left), required(node.right)])
    parts = [required(p) for p in node.parts]
    if isinstance(node, All):
        kept = [p for p in parts if p is not None]
        return ("all", kept) if kept else None
    return None if any(p is None for p in parts) else ("any", parts)
