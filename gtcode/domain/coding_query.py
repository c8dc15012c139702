"""Coding queries: codes combined into the quotations where they meet, parsed and evaluated on spans.

A code (a reference such as ``a3``/``aa1`` or a quoted label) stands for the quotations of it and every
code under it. Operators, loosest first:

- ``A OR B``: the quotations of either;
- ``A AND B``: the text coded with both (where an A and a B quotation overlap); ``A NOT B``
  (or ``A AND NOT B``): A's quotations that overlap no B quotation;
- ``A OVERLAPS B``: A's quotations that overlap a B quotation; ``A WITHIN n B``: A's quotations with a B
  quotation at most ``n`` sentences away; ``A FOLLOWED BY B``: A's quotations with a B quotation starting
  after them in the same document.

Spans are ``(document, start, end, first sentence, last sentence)``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from gtcode.domain.errors import GtcodeError

Span = tuple[int, int, int, int, int]
HINT = 'combine codes with AND, OR, NOT, OVERLAPS, WITHIN n, FOLLOWED BY and parentheses, e.g. a1 AND (aa2 OR "Trust")'


@dataclass(frozen=True)
class CodeTerm:
    ref: str


@dataclass(frozen=True)
class Combined:
    operator: str  # OR | AND | NOT | OVERLAPS | WITHIN | FOLLOWED
    left: object
    right: object
    distance: int = 0


_LEX = re.compile(r'\s*(?:(?P<quote>"[^"]*")|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')
_LOOSEST = (("OR",), ("AND", "NOT"), ("OVERLAPS", "WITHIN", "FOLLOWED"))


def parse(expression: str) -> CodeTerm | Combined:
    """The tree of a coding query; a GtcodeError line naming what is wrong."""
    items = []
    for match in _LEX.finditer(expression):
        if match.lastgroup is None:
            continue
        value = match.group(match.lastgroup)
        items.append((match.lastgroup, value[1:-1] if match.lastgroup == "quote" else value))
    if not items or (expression.count('"') % 2):
        raise GtcodeError(f"coding query {expression!r} is empty or has an open quote: {HINT}")
    position = 0

    def peek() -> tuple[str, str] | None:
        return items[position] if position < len(items) else None

    def level(depth: int):
        nonlocal position
        if depth == len(_LOOSEST):
            return primary()
        node = level(depth + 1)
        while (item := peek()) and item[0] == "word" and item[1] in _LOOSEST[depth]:
            position += 1
            operator, distance = item[1], 0
            if operator == "AND" and peek() == ("word", "NOT"):
                position += 1
                operator = "NOT"
            elif operator == "WITHIN":
                number = peek()
                if not number or not number[1].isdigit():
                    raise GtcodeError(f"coding query {expression!r}: WITHIN needs a number of sentences: {HINT}")
                position += 1
                distance = int(number[1])
            elif operator == "FOLLOWED":
                if peek() != ("word", "BY"):
                    raise GtcodeError(f"coding query {expression!r}: write FOLLOWED BY: {HINT}")
                position += 1
            node = Combined(operator, node, level(depth + 1), distance)
        return node

    def primary():
        nonlocal position
        item = peek()
        if item is None:
            raise GtcodeError(f"coding query {expression!r}: a code is missing at the end: {HINT}")
        position += 1
        if item[0] == "open":
            node = level(0)
            if peek() != ("close", ")"):
                raise GtcodeError(f"coding query {expression!r}: a parenthesis is not closed: {HINT}")
            position += 1
            return node
        if item[0] == "close" or (item[0] == "word" and item[1] in ("OR", "AND", "NOT", "OVERLAPS", "WITHIN",
                                                                      "FOLLOWED", "BY")):
            raise GtcodeError(f"coding query {expression!r}: a code is missing before {item[1]!r}: {HINT}")
        return CodeTerm(item[1])

    node = level(0)
    if position < len(items):
        raise GtcodeError(f"coding query {expression!r}: unexpected {items[position][1]!r}: {HINT}")
    return node


def refs(node) -> list[str]:
    """The codes a query names, in order."""
    if isinstance(node, CodeTerm):
        return [node.ref]
    return refs(node.left) + refs(node.right)


def evaluate(node, quotations: Callable[[str], list[Span]]) -> list[Span]:
    """The spans a query yields, sorted; ``quotations(ref)`` gives a code's spans."""
    if isinstance(node, CodeTerm):
        return sorted(set(quotations(node.ref)))
    left, right = evaluate(node.left, quotations), evaluate(node.right, quotations)
    if node.operator == "OR":
        return sorted(set(left) | set(right))
    by_document: dict[int, list[Span]] = {}
    for span in right:
        by_document.setdefault(span[0], []).append(span)
    if node.operator == "AND":
        return sorted({(a[0], max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]), min(a[4], b[4]))
                       for a in left for b in _overlapping(by_document, a)})
    meets = {
        "NOT": lambda a: not _overlapping(by_document, a),
        "OVERLAPS": lambda a: bool(_overlapping(by_document, a)),
        "WITHIN": lambda a: any(max(b[3] - a[4], a[3] - b[4]) <= node.distance for b in by_document.get(a[0], ())),
        "FOLLOWED": lambda a: any(b[1] >= a[2] for b in by_document.get(a[0], ())),
    }[node.operator]
    return [a for a in left if meets(a)]


def _overlapping(by_document: dict[int, list[Span]], span: Span) -> list[Span]:
    spans = by_document.get(span[0], [])
    upto = bisect_left(spans, (span[0], span[2]))
    return [b for b in spans[:upto] if b[2] > span[1]]
