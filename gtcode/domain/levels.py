"""Code levels of grounded theory and their reference numbers (a1, aa1, A1, M1, C1, O1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import MAX_NUMBER

_DIGITS = re.compile(r"[0-9]+")


def parse_number(text: object) -> int | None:
    """The id or reference number ``text`` is written as (ASCII digits, at most 2^63-1), else None.

    The one parser of numbers users type or files carry: a number no database INTEGER can hold names
    nothing, so it reads as "no such id" instead of overflowing the query.
    """
    value = str(text).strip()
    if not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_NUMBER else None


class Level(str, Enum):
    """The level of a code; the order is the order of abstraction."""

    PHENOMENON = "phenomenon"
    CONCEPT = "concept"
    CATEGORY = "category"
    MAIN = "main"
    CORE = "core"
    OUTCOME = "outcome"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def parent_level(self) -> Level | None:
        """The level a code of this level is grouped under, if any."""
        return _PARENT.get(self)


_RANKS = {level: rank for rank, level in enumerate(Level)}  # asked per code and per coding: not a list each time
LEVEL_NAMES = tuple(level.value for level in Level)
CODED_LEVELS = LEVEL_NAMES[:4]  # phenomenon to main: the levels coding and counting work on
GROUP_LEVELS = LEVEL_NAMES[1:4]  # concept, category, main: the levels codes are grouped into

_PARENT = {
    Level.PHENOMENON: Level.CONCEPT,
    Level.CONCEPT: Level.CATEGORY,
    Level.CATEGORY: Level.MAIN,
    Level.MAIN: Level.CORE,
}

DEFAULT_PREFIXES: dict[Level, str] = {
    Level.PHENOMENON: "a",
    Level.CONCEPT: "aa",
    Level.CATEGORY: "A",
    Level.MAIN: "M",
    Level.CORE: "C",
    Level.OUTCOME: "O",
}

RELATIONSHIP_PREFIX = "R"


def parse_level(name: str) -> Level:
    """A level from its name; raises GtcodeError naming the choices."""
    try:
        return Level(name.strip().lower())
    except ValueError:
        choices = "|".join(level.value for level in Level)
        raise GtcodeError(f"unknown level {name!r}: use one of {choices}") from None


@dataclass(frozen=True)
class Prefixes:
    """The per-project reference prefixes of each level (the paper's a, aa, A)."""

    by_level: tuple[tuple[Level, str], ...] = tuple(DEFAULT_PREFIXES.items())

    @classmethod
    def from_mapping(cls, mapping: dict[str, str] | None) -> Prefixes:
        merged = dict(DEFAULT_PREFIXES)
        for key, value in (mapping or {}).items():
            merged[parse_level(key)] = value
        prefixes = cls(tuple(merged.items()))
        prefixes.validate()
        return prefixes

    def as_mapping(self) -> dict[str, str]:
        return {level.value: prefix for level, prefix in self.by_level}

    def prefix(self, level: Level) -> str:
        return dict(self.by_level)[level]

    def ref(self, level: Level, number: int) -> str:
        """The reference of a code, e.g. ``aa2``."""
        return f"{self.prefix(level)}{number}"

    def parse_ref(self, text: str) -> tuple[Level, int] | None:
        """Level and number of a reference like ``aa2``; None if it is not one."""
        match = re.fullmatch(r"([^\d\s]+)(\d+)", text.strip())
        number = parse_number(match.group(2)) if match else None
        if number is None:
            return None
        for level, prefix in self.by_level:
            if prefix == match.group(1):
                return level, number
        return None

    def validate(self) -> None:
        seen: set[str] = set()
        for level, prefix in self.by_level:
            if not prefix or any(ch.isdigit() or ch.isspace() for ch in prefix):
                raise GtcodeError(f"prefix {prefix!r} of {level.value}: use letters only")
            if prefix in seen or prefix == RELATIONSHIP_PREFIX:
                raise GtcodeError(f"prefix {prefix!r} of {level.value} is used twice: choose another")
            seen.add(prefix)
