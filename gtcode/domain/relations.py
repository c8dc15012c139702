"""Relationship types between codes, and between a code and another relationship."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationType:
    """A named kind of relationship with what it means."""

    name: str
    description: str
    builtin: bool = False


BUILTIN_TYPES: tuple[RelationType, ...] = (
    RelationType("causal", "The source brings about the target (causality).", True),
    RelationType("safeguard", "The source safeguards or conditions the target relationship.", True),
    RelationType("regulating", "The source regulates or moderates the target relationship.", True),
    RelationType("supporting", "The source supports the target or the target relationship.", True),
    RelationType("associated", "The source and the target are associated, direction unclaimed.", True),
)

TYPE_ALIASES = {
    "causality": "causal",
    "conditioning": "safeguard",
    "moderating": "regulating",
    "support": "supporting",
    "association": "associated",
}


def canonical_type(name: str) -> str:
    """The built-in type a name or alias stands for, else the name itself, lower-cased."""
    key = name.strip().lower()
    return TYPE_ALIASES.get(key, key)
