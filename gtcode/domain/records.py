"""Frozen records that services return: plain data, never live database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gtcode.domain.levels import Level


@dataclass(frozen=True)
class ProjectInfo:
    name: str
    database_url: str
    prefixes: dict[str, str]
    phase: str  # "building" or "saturation"
    schema_revision: str


@dataclass(frozen=True)
class CoderInfo:
    id: int
    name: str
    role: str  # owner | coder | viewer


@dataclass(frozen=True)
class SegmentInfo:
    index: int
    start: int
    end: int
    speaker: str | None
    role: str | None = None  # interviewer | respondent, where the transcript says
    page: int | None = None  # the PDF page the sentence starts on
    time: str | None = None  # the time stamp of its turn ("00:12:03") in a timestamped transcript


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    kind: str  # interview | policy | news | other
    lang: str  # zh | en
    characters: int
    segments: int
    split: str  # build | holdout
    sha256: str
    encoding: str
    source: str
    attributes: dict[str, object] = field(default_factory=dict)
    blinded: bool = False  # a hold-out document while blinded: only id, kind, language and a neutral title
    material: str | None = None  # imported after the hold-out release: "build" or "saturation" material
    case: str | None = None  # the case it is in (``services.cases.document_cases``)


@dataclass(frozen=True)
class CodeInfo:
    id: int
    ref: str
    level: Level
    number: int
    label: str
    parent_id: int | None
    parent_ref: str | None
    definition: str
    colour: str | None
    phase: str  # building | saturation
    version: int
    codings: int = 0
    children: int = 0
    in_vivo: bool = False  # the label is in the respondent's words


@dataclass(frozen=True)
class CodingInfo:
    id: int
    document_id: int
    document_title: str
    code_id: int
    code_ref: str
    code_label: str
    start: int
    end: int
    quote: str
    coder: str
    created_at: datetime
    memo: str = ""
    version: int = 1  # the row version this record shows: removing or moving it checks it is still current


@dataclass(frozen=True)
class MemoLinkInfo:
    """Something a memo is about besides its target: a code, coding, document (or text position) or relationship."""

    kind: str  # code | coding | document | relationship
    target_id: int
    label: str  # "a7 Telemedicine", "coding 12", a document title, "R2"
    ref: str  # what `gtcode memo link` takes: a7, coding:12, doc:3, doc:3@10-24, R2
    start: int | None = None
    end: int | None = None
    document_id: int | None = None  # where a coding or text position is, for jumping to it


DOCUMENT_KINDS = ("interview", "policy", "news", "other")
CODER_ROLES = ("owner", "coder", "viewer")
MEMO_TYPES = ("code", "theoretical", "operational", "free")
"""Strauss & Corbin's code notes, theoretical notes and operational notes, and free memos."""


@dataclass(frozen=True)
class MemoInfo:
    id: int | None  # None: a relationship's connotation (edited with the relationship, not as a memo)
    target_kind: str  # project | document | coding | code | relationship | storyline
    target_id: int | None
    target_label: str
    text: str
    coder: str  # the author
    updated_at: datetime
    title: str = ""
    type: str = "free"
    created_at: datetime | None = None
    links: tuple[MemoLinkInfo, ...] = ()
    target_ref: str = ""  # what `gtcode memo add` takes for the target
    document_id: int | None = None  # the document the target is or lies in (a document, a coding)


@dataclass(frozen=True)
class ImportResult:
    path: str
    status: str  # imported | skipped | failed
    message: str
    document: DocumentInfo | None = None
