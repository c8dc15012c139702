"""A whole codebook/model as plain data: what exchange formats read and write.

References are code refs (``A1``, ``aa2``, ``M3``) and relationship refs (``R1``); a
relationship's target may be either, which is how one relationship acts on another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode.domain.levels import Level
from gtcode.domain.paradigm import Slot


@dataclass(frozen=True)
class CodeSpec:
    ref: str
    level: Level
    label: str
    definition: str = ""
    colour: str | None = None
    parent: str | None = None
    memo: str = ""
    when_to_use: str = ""  # a codebook entry (MacQueen et al. 1998): when the code applies
    when_not_to_use: str = ""  # and when it does not
    examples: tuple[str, ...] = ()  # typical examples: quotations
    atypical_examples: tuple[str, ...] = ()
    in_vivo: bool = False  # the label is in the respondent's words


@dataclass(frozen=True)
class SlotSpec:
    slot: Slot
    categories: tuple[str, ...] = ()
    text: str = ""
    # evidence counts of a project's slot (negative cases included); files of the model do not carry them
    supporting: int = field(default=0, compare=False)
    contradicting: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ParadigmSpec:
    main: str
    slots: tuple[SlotSpec, ...] = ()

    def slot(self, slot: Slot) -> SlotSpec:
        for spec in self.slots:
            if spec.slot == slot:
                return spec
        return SlotSpec(slot)


@dataclass(frozen=True)
class RelationshipSpec:
    ref: str
    source: str
    type: str
    target: str
    memo: str = ""
    # evidence counts of a project's relationship (negative cases included); files of the model do not carry them
    supporting: int = field(default=0, compare=False)
    contradicting: int = field(default=0, compare=False)


@dataclass(frozen=True)
class RelationTypeSpec:
    name: str
    description: str


@dataclass(frozen=True)
class ModelSnapshot:
    """Everything of a theory that is not the corpus: codes, paradigms, relationships."""

    name: str = ""
    description: str = ""
    citation: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)
    codes: tuple[CodeSpec, ...] = ()
    paradigms: tuple[ParadigmSpec, ...] = ()
    relationships: tuple[RelationshipSpec, ...] = ()
    relation_types: tuple[RelationTypeSpec, ...] = ()
    core: str | None = None
    storyline: str = ""
    outcome: str | None = None

    def code(self, ref: str) -> CodeSpec | None:
        for spec in self.codes:
            if spec.ref == ref:
                return spec
        return None

    def codes_at(self, level: Level) -> tuple[CodeSpec, ...]:
        return tuple(spec for spec in self.codes if spec.level == level)
