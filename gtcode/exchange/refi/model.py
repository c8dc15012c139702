"""Frozen records for the content exchanged through REFI-QDA files.

Positions are 0-based, end-exclusive Unicode code points into ``RefiSource.text``,
which is canonical (no BOM, line ends ``\\n``). GUIDs are lower case without braces,
colours ``#RRGGBB``. Provenance fields (``path``, ``origin``, ``offsets``,
``warnings``) do not take part in equality, so ``read(write(p)) == p`` compares content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from gtcode.domain.errors import GtcodeError

__all__ = [
    "CODEBOOK_NS",
    "LINK_DIRECTIONS",
    "PROJECT_NS",
    "VARIABLE_TYPES",
    "RefiCase",
    "RefiCode",
    "RefiCodebook",
    "RefiCoding",
    "RefiError",
    "RefiLink",
    "RefiNote",
    "RefiProject",
    "RefiSelection",
    "RefiSet",
    "RefiSource",
    "RefiUser",
    "RefiVariable",
    "VariableValue",
]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"

VariableType = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]
VARIABLE_TYPES: tuple[str, ...] = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
VariableValue = str | bool | int | float | date | datetime

LinkDirection = Literal["Associative", "OneWay", "Bidirectional"]
LINK_DIRECTIONS: tuple[str, ...] = ("Associative", "OneWay", "Bidirectional")


@dataclass(frozen=True, slots=True)
class RefiUser:
    """A person (or tool) that created content."""

    guid: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class RefiCode:
    """A code; ``children`` make the hierarchy, ``is_codable=False`` marks a folder."""

    guid: str
    name: str
    is_codable: bool = True
    colour: str | None = None
    description: str | None = None
    children: tuple[RefiCode, ...] = ()

    def walk(self) -> tuple[RefiCode, ...]:
        """This code and all its descendants, depth first."""
        out: list[RefiCode] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)


@dataclass(frozen=True, slots=True)
class RefiCoding:
    """Application of a code to a selection (or to a whole source)."""

    guid: str
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefiSelection:
    """A span ``text[start:end]`` of a text source, with its codings."""

    guid: str
    start: int
    end: int
    name: str | None = None
    codings: tuple[RefiCoding, ...] = ()
    description: str | None = None
    user_guid: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefiSource:
    """A text source; ``variables`` maps variable GUID to value."""

    guid: str
    name: str
    text: str
    selections: tuple[RefiSelection, ...] = ()
    variables: dict[str, VariableValue] = field(default_factory=dict)
    description: str | None = None
    codings: tuple[RefiCoding, ...] = ()
    path: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class RefiVariable:
    """A typed attribute that sources and cases can carry."""

    guid: str
    name: str
    type: VariableType = "Text"
    description: str | None = None


@dataclass(frozen=True, slots=True)
class RefiCase:
    """A subject grouping sources, with variable values (variable GUID -> value)."""

    guid: str
    name: str | None = None
    variables: dict[str, VariableValue] = field(default_factory=dict)
    source_guids: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class RefiNote:
    """A memo; ``target_guids`` are the objects that refer to it (codes, sources, ...)."""

    guid: str
    name: str | None
    text: str
    target_guids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Targets are a set (files list them in document order); keep them sorted for equality.
        object.__setattr__(self, "target_guids", tuple(sorted(set(self.target_guids))))


@dataclass(frozen=True, slots=True)
class RefiLink:
    """A named relation between two objects."""

    guid: str
    origin_guid: str
    target_guid: str
    name: str | None = None
    direction: LinkDirection | None = None
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class RefiSet:
    """A named group of codes, sources and notes."""

    guid: str
    name: str
    code_guids: tuple[str, ...] = ()
    source_guids: tuple[str, ...] = ()
    note_guids: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class RefiCodebook:
    """Content of a ``.qdc`` file."""

    codes: tuple[RefiCode, ...]
    sets: tuple[RefiSet, ...] = ()
    origin: str | None = field(default=None, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class RefiProject:
    """Content of a ``.qdpx`` file; ``offsets`` says how positions were read."""

    name: str
    users: tuple[RefiUser, ...] = ()
    codes: tuple[RefiCode, ...] = ()
    sources: tuple[RefiSource, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    variables: tuple[RefiVariable, ...] = ()
    links: tuple[RefiLink, ...] = ()
    sets: tuple[RefiSet, ...] = ()
    created: datetime | None = None
    creating_user: str | None = None
    description: str | None = None
    origin: str | None = field(default=None, compare=False)
    offsets: str = field(default="codepoints", compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def all_codes(self) -> tuple[RefiCode, ...]:
        """Every code in the hierarchy, depth first."""
        return tuple(c for top in self.codes for c in top.walk())


class RefiError(GtcodeError):
    """A REFI-QDA file cannot be read or written; the message is one line."""

    @classmethod
    def about(cls, path: object, what: str) -> RefiError:
        """``<file>: <what is wrong>`` squeezed onto one line."""
        return cls(" ".join(f"{path}: {what}".split()))
