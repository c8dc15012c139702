"""SQLModel tables: the persistent shape of a project."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, false as sa_false, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


STABLE_IDS = {"sqlite_autoincrement": True}
"""Table option: SQLite never hands a freed id to a new row (AUTOINCREMENT); PostgreSQL sequences never do."""


class ProjectRow(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    prefixes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    next_numbers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    phase: str = "building"
    default_coder: str = "me"
    core_code_id: Optional[int] = None
    outcome_code_id: Optional[int] = None
    citation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)


class CoderRow(SQLModel, table=True):
    __tablename__ = "coder"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str = "coder"
    created_at: datetime = Field(default_factory=utcnow)


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"
    # the hold-out's documents by index: a scan would read every text (SQLite reaches a later column through
    # the text's overflow pages)
    # the hold-out by split; "the same document" (corpus.same_document) by its length, not a scan of every text
    __table_args__ = (Index("ix_document_split", "split"), Index("ix_document_characters", "characters"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    kind: str = "other"
    lang: str = "en"
    text: str = Field(sa_column=Column(Text, nullable=False))
    characters: int = 0
    sha256: str = Field(index=True)
    encoding: str = "utf-8"
    source: str = ""
    split: str = "build"
    created_at: datetime = Field(default_factory=utcnow)
    pages: Optional[list] = Field(default=None, sa_column=Column(JSON, nullable=True))  # page n starts at pages[n-1]
    material: Optional[str] = None  # imported after the hold-out release: "build" (theoretical sampling) | "saturation"
    # the key named as migration 0012 named it
    case_id: Optional[int] = Field(default=None, sa_column=Column(Integer, ForeignKey("case.id", name="fk_document_case_id"),
                                                                  nullable=True, index=True))


class CaseRow(SQLModel, table=True):
    """A case (participant, site, organisation): groups documents and carries attributes."""

    __tablename__ = "case"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class CaseAttributeRow(SQLModel, table=True):
    __tablename__ = "case_attribute"
    __table_args__ = (UniqueConstraint("case_id", "name"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    name: str
    type: str = "text"  # text | integer | float
    value: str = ""
    position: int = 0  # the order the researcher gave


class AttributeRow(SQLModel, table=True):
    __tablename__ = "attribute"
    __table_args__ = (UniqueConstraint("document_id", "name"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    name: str
    type: str = "text"  # text | integer | float
    value: str = ""


class SegmentRow(SQLModel, table=True):
    __tablename__ = "segment"
    __table_args__ = (Index("ix_segment_doc_idx", "document_id", "idx"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    idx: int
    start: int
    end: int
    speaker: Optional[str] = None
    role: Optional[str] = None
    page: Optional[int] = None  # the PDF page the sentence starts on
    time: Optional[str] = None  # the time stamp of its turn in a timestamped transcript ("00:12:03")


class CodeRow(SQLModel, table=True):
    __tablename__ = "code"
    # labels are found case-insensitively within a level (codes.find_label) by this index, not by a scan
    __table_args__ = (UniqueConstraint("level", "number"), Index("ix_code_level_label", "level", text("lower(label)")),
                      STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    level: str = Field(index=True)
    number: int
    label: str
    parent_id: Optional[int] = Field(default=None, foreign_key="code.id", index=True)
    definition: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    colour: Optional[str] = None
    phase: str = "building"
    version: int = 1
    created_by: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow)
    # columns in the order the migrations added them (0008, 0010), as in every migrated project
    when_to_use: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=""))
    when_not_to_use: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=""))
    in_vivo: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})  # label in the respondent's words


class CodingRow(SQLModel, table=True):
    __tablename__ = "coding"
    __table_args__ = (
        Index("ix_coding_doc_start", "document_id", "start"),
        # one coder codes one span with one code once: concurrent writers cannot store it twice
        Index("uq_coding_span_code_coder", "document_id", "code_id", "start", "end", "coder", unique=True),
        STABLE_IDS,
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    code_id: int = Field(foreign_key="code.id", index=True)
    start: int
    end: int
    quote: str = Field(sa_column=Column(Text, nullable=False))
    coder: str = "me"
    phase: str = "building"
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # added by 0002, last


class CodingTallyRow(SQLModel, table=True):
    """How many codings one coder has on one document (no row when none), kept by the database's own triggers
    on ``coding`` (migration 0018, ``gtcode.store.tally``), so every write (the unit of work, bulk inserts, undo,
    a document's cascade) keeps it true and the status counts need not walk the codings. Not a part of the
    model: never recorded in the undo log. A migration that rebuilds ``coding`` must create the triggers again."""

    __tablename__ = "coding_tally"
    document_id: int = Field(primary_key=True)
    coder: str = Field(primary_key=True)
    codings: int


class MemoRow(SQLModel, table=True):
    __tablename__ = "memo"
    __table_args__ = (Index("ix_memo_target", "target_kind", "target_id"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    target_kind: str  # project | document | coding | code | relationship | storyline
    target_id: Optional[int] = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    coder: str = "me"  # the author
    updated_at: datetime = Field(default_factory=utcnow)
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=""))
    type: str = Field(default="free", sa_column_kwargs={"server_default": "free"})  # code | theoretical | operational | free
    created_at: datetime = Field(default_factory=utcnow)


class MemoLinkRow(SQLModel, table=True):
    """What else a memo is about: a code, a coding, a document (or a text position in it), a relationship."""

    __tablename__ = "memo_link"
    __table_args__ = (Index("ix_memo_link_target", "target_kind", "target_id"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True, ondelete="CASCADE")
    target_kind: str  # code | coding | document | relationship
    target_id: int
    start: Optional[int] = None  # a text position in a document: [start, end) in code points
    end: Optional[int] = None


class CodeExampleRow(SQLModel, table=True):
    """A quotation that shows a code at work: a typical or an atypical example (MacQueen et al. 1998)."""

    __tablename__ = "code_example"
    __table_args__ = (UniqueConstraint("code_id", "coding_id"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="code.id", index=True, ondelete="CASCADE")
    coding_id: int = Field(foreign_key="coding.id", index=True, ondelete="CASCADE")
    kind: str = "typical"  # typical | atypical


class PropertyRow(SQLModel, table=True):
    """A property of a concept or category (Strauss & Corbin) with its dimensional range."""

    __tablename__ = "property"
    __table_args__ = (UniqueConstraint("code_id", "name"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    code_id: int = Field(foreign_key="code.id", index=True, ondelete="CASCADE")
    name: str
    kind: str = "ordinal"  # ordinal: ``values`` in order | numeric: ``low``..``high``
    values: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    low: Optional[float] = None
    high: Optional[float] = None
    created_by: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow)


class DimensionValueRow(SQLModel, table=True):
    """Where a coding's quotation sits on a property's dimension ("this quotation says costly")."""

    __tablename__ = "dimension_value"
    __table_args__ = (UniqueConstraint("property_id", "coding_id"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    property_id: int = Field(foreign_key="property.id", index=True, ondelete="CASCADE")
    coding_id: int = Field(foreign_key="coding.id", index=True, ondelete="CASCADE")
    value: str
    coder: str = "me"
    created_at: datetime = Field(default_factory=utcnow)


class ParadigmEntryRow(SQLModel, table=True):
    __tablename__ = "paradigm_entry"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    main_id: int = Field(foreign_key="code.id", index=True)
    slot: str
    category_id: Optional[int] = Field(default=None, foreign_key="code.id")
    text: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    position: int = 0


class RelationTypeRow(SQLModel, table=True):
    __tablename__ = "relation_type"
    name: str = Field(primary_key=True)
    description: str = ""


class RelationshipRow(SQLModel, table=True):
    __tablename__ = "relationship"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    source_id: int = Field(foreign_key="code.id", index=True)
    type: str
    target_code_id: Optional[int] = Field(default=None, foreign_key="code.id")
    target_relationship_id: Optional[int] = Field(default=None, foreign_key="relationship.id")
    memo: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("relationship_id", "coding_id"), Index("ix_evidence_coding", "coding_id"),
                      STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    relationship_id: int = Field(foreign_key="relationship.id", index=True, ondelete="CASCADE")
    coding_id: int = Field(foreign_key="coding.id", ondelete="CASCADE")
    stance: str = Field(default="supporting", sa_column_kwargs={"server_default": "supporting"})  # | contradicting


class SlotEvidenceRow(SQLModel, table=True):
    """A coding that backs (``supporting``) or speaks against (``contradicting``) a slot of a main category's paradigm."""
    __tablename__ = "slot_evidence"
    __table_args__ = (Index("ix_slot_evidence_main_slot", "main_id", "slot"),
                      Index("ix_slot_evidence_coding", "coding_id"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    main_id: int = Field(foreign_key="code.id")
    slot: str
    coding_id: int = Field(foreign_key="coding.id")
    stance: str = "supporting"  # | contradicting


class HoldoutRow(SQLModel, table=True):
    __tablename__ = "holdout"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    fraction: float
    seed: int
    method: str
    documents: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    released_at: Optional[datetime] = None
    release_memo: str = ""
    snapshot: Optional[dict] = Field(default=None, sa_column=Column(JSON, nullable=True))


class ChangeRow(SQLModel, table=True):
    """One undoable change to the code system: rows before and after."""

    __tablename__ = "change"
    # undo, redo and "a new change ends redo" look changes up by state: an index, not a scan of the log
    __table_args__ = (Index("ix_change_undone", "undone", "id"), Index("ix_change_redoable", "undone", "superseded", "id"),
                      STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    description: str
    coder: str = "me"
    rows: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    undone: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    superseded: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    """An undone change a newer change ended the redo of: kept for the audit trail, never redone."""
    undone_at: Optional[datetime] = None


class SamplingRow(SQLModel, table=True):
    """The theoretical sampling log of a document: when it was collected, in which wave, and why."""

    __tablename__ = "sampling"
    __table_args__ = STABLE_IDS
    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True, ondelete="CASCADE")
    collected: str = ""  # a date, ISO 8601 (2024-05-01)
    wave: Optional[int] = None
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    coder: str = "me"
    updated_at: datetime = Field(default_factory=utcnow)


class AssignmentRow(SQLModel, table=True):
    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("document_id", "coder"), STABLE_IDS)
    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    coder: str
    blind: bool = True


class SearchIndexRow(SQLModel, table=True):
    """The full-text index of one sentence on PostgreSQL: its distinct terms (``gtcode.text.tokens``),
    space-separated, searched through a GIN index on ``array_to_tsvector(string_to_array(terms, ' '))``
    (migration 0004). Written with the sentence in the import's transaction. SQLite writes no rows here: its
    FTS5 table ``search_fts`` is given the sentences' text (migration 0016, ``services.search.index_sentences``);
    a row an undo writes back (a change recorded before 0016) has its terms given to ``search_fts`` by a trigger."""

    __tablename__ = "search_index"
    segment_id: int = Field(primary_key=True, foreign_key="segment.id", ondelete="CASCADE")
    document_id: int = Field(index=True)  # no foreign key: its segment's document (migration 0017)
    terms: str = Field(sa_column=Column(Text, nullable=False))
