"""Records of text search: the filters a search (or a coding query) takes and the hits it finds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from gtcode.domain.errors import GtcodeError

ROLES = ("respondent", "interviewer")
UNITS = ("hit", "sentence", "turn")
SORTS = ("position", "left", "right", "keyword")


@dataclass(frozen=True)
class Filters:
    """Which text a search looks at: documents (ids or titles), kinds, attribute values (``name=value``,
    all must hold), the speaker role, and codings: ``coded`` True (a hit inside a coding) or False (inside
    none), narrowed to a code and the codes under it (``code``) and to one coder's codings (``coder``);
    ``cases``: only documents in one of these cases (names)."""

    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    role: str | None = None
    coded: bool | None = None
    code: str | None = None
    coder: str | None = None
    cases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role is not None and self.role not in ROLES:
            raise GtcodeError(f"speaker role {self.role!r}: use one of {'|'.join(ROLES)}")

    @property
    def by_coding(self) -> bool | None:
        """Whether hits must lie in (True) or outside (False) the chosen codings, or None for no condition."""
        if self.coded is not None:
            return self.coded
        return True if (self.code or self.coder) else None


NO_FILTERS = Filters()


class Hit(NamedTuple):
    """One hit of a search with its keyword in context: ``[start, end)`` in the document's text, the
    sentence (index) and speaker it is in, ``left``/``right`` context and the words next to the keyword;
    ``number``: its place in text order (1 first), as listings show it and ``search --hits`` takes it;
    ``page`` (a PDF's) and ``time`` (a timestamped transcript's turn) of its sentence, where the document has them.
    A named tuple, not a dataclass: a search makes one per hit, and a frozen dataclass costs several times more
    to make (tens of thousands of hits)."""

    document_id: int
    document_title: str
    sentence: int
    speaker: str | None
    role: str | None
    start: int
    end: int
    keyword: str
    left: str
    right: str
    left_word: str
    right_word: str
    number: int = 0
    page: int | None = None
    time: str | None = None


def sort_hits(hits: list[Hit], by: str = "position") -> list[Hit]:
    """Hits in text order, or by the word left or right of the keyword (then by the keyword and position)."""
    if by not in SORTS:
        raise GtcodeError(f"sort {by!r}: use one of {'|'.join(SORTS)}")
    position = [(h.document_id, h.start) for h in hits]
    keys = {
        "position": lambda i: position[i],
        "left": lambda i: (hits[i].left_word.lower(), hits[i].keyword.lower(), position[i]),
        "right": lambda i: (hits[i].right_word.lower(), hits[i].keyword.lower(), position[i]),
        "keyword": lambda i: (hits[i].keyword.lower(), position[i]),
    }
    return [hits[i] for i in sorted(range(len(hits)), key=keys[by])]


@dataclass(frozen=True)
class Quotation:
    """A span a coding query yields: ``[start, end)`` of a document, its text and first sentence, and that
    sentence's page (PDF) and turn time (timestamped transcript) where the document has them."""

    document_id: int
    document_title: str
    start: int
    end: int
    text: str
    sentence: int
    page: int | None = None
    time: str | None = None
