"""What analyses count over: the visible codings, their codes rolled up a level, and sentence units.

A unit is a sentence segment of a document (a document without segments is one unit). A coding
belongs to every unit it overlaps. Hold-out documents are left out while the theory is built.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from sqlalchemy import Row
from sqlmodel import Session, select

from gtcode.domain.levels import Level, Prefixes
from gtcode.services.blinding import hidden_document_ids, visible_codings
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, SegmentRow


@dataclass
class CodedCorpus:
    """Visible documents, their codings and segments, and every code, read in one unit of work.

    Documents, codings and codes are column rows (``id, title, characters[, text]``, ``id, document_id, code_id,
    start, end, coder`` and ``id, level, number, label, parent_id``), not ORM objects: an analysis reads each
    table once and builds no object per row."""

    documents: list
    codings: list
    segments: dict[int, list[tuple[int, int]]]
    codes: dict[int, Row]
    prefixes: Prefixes
    _starts: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _lengths: dict[int, int] = field(default_factory=dict, repr=False)
    _refs: dict[int, str] = field(default_factory=dict, repr=False)

    def ref(self, code: Row) -> str:
        found = self._refs.get(code.id)
        if found is None:  # once per code: a table names each code in many rows
            found = self._refs[code.id] = self.prefixes.ref(Level(code.level), code.number)
        return found

    def name(self, code: Row) -> str:
        return f"{self.ref(code)} {code.label}"

    def at_level(self, code_id: int, level: Level) -> Row | None:
        """The code itself or its ancestor of ``level`` (None when it is not grouped that far)."""
        code = self.codes.get(code_id)
        while code is not None and code.level != level.value:
            if Level(code.level).rank > level.rank:
                return None
            code = self.codes.get(code.parent_id) if code.parent_id else None
        return code

    def ordered_codes(self, level: Level) -> list[Row]:
        return sorted((c for c in self.codes.values() if c.level == level.value), key=lambda c: c.number)

    def by_document(self) -> dict[int, list]:
        """The codings of each document, in text order (one pass over them)."""
        grouped: dict[int, list] = {}
        for coding in self.codings:
            grouped.setdefault(coding.document_id, []).append(coding)
        return grouped

    def units(self, coding: Row) -> list[tuple[int, int]]:
        """The sentence segments a coding overlaps (its document's whole text when unsegmented)."""
        return self.units_of(coding.document_id, coding.start, coding.end)

    def units_of(self, document_id: int, start: int, end: int) -> list[tuple[int, int]]:
        """The sentence segments ``[start, end)`` of a document overlaps (its whole text when unsegmented)."""
        segments = self.segments.get(document_id)
        if not segments:
            if not self._lengths:
                self._lengths.update((d.id, d.characters) for d in self.documents)
            return [(0, self._lengths[document_id])]
        starts = self._starts.get(document_id)
        if starts is None:  # once per document, not once per coding
            starts = self._starts[document_id] = [s for s, _ in segments]
        first = max(bisect_right(starts, start) - 1, 0)
        found = []
        for index in range(first, len(segments)):
            segment = segments[index]
            if segment[0] >= end:
                break
            if segment[1] > start:
                found.append(segment)
        return found or [segments[first]]


CODE_COLUMNS = (CodeRow.id, CodeRow.level, CodeRow.number, CodeRow.label, CodeRow.parent_id)
CODING_COLUMNS = (CodingRow.id, CodingRow.document_id, CodingRow.code_id, CodingRow.start, CodingRow.end,
                  CodingRow.coder)


def read_corpus(session: Session, prefixes: Prefixes, coder: str, texts: bool = False) -> CodedCorpus:
    """The documents (with their texts when ``texts``) and codings ``coder`` sees, with sentence spans and codes.

    Each table is read once through the session's connection (SQLAlchemy Core rows, not the ORM's loading)."""
    hidden = hidden_document_ids(session)
    read = session.connection().execute
    columns = [DocumentRow.id, DocumentRow.title, DocumentRow.characters] + ([DocumentRow.text] if texts else [])
    documents = [d for d in read(select(*columns).order_by(DocumentRow.id)).all() if d.id not in hidden]
    visible = {d.id for d in documents}
    codings = read(visible_codings(session, coder, *CODING_COLUMNS).order_by(
        CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.id)).all()
    segments: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in read(select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
                                        .order_by(SegmentRow.document_id, SegmentRow.idx)):
        if document_id in visible:  # plain tuples: rows would cost an object per sentence
            segments.setdefault(document_id, []).append((start, end))
    codes = {c.id: c for c in read(select(*CODE_COLUMNS)).all()}
    return CodedCorpus(documents, codings, segments, codes, prefixes)
