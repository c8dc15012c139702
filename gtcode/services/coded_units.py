"""What analyses count over: the visible codings, their codes rolled up a level, and sentence units.

A unit is a sentence segment of a document (a document without segments is one unit). A coding
belongs to every unit it overlaps. Hold-out documents are left out while the theory is built.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Row
from sqlmodel import Session, select

from gtcode.domain.levels import Level, Prefixes
from gtcode.services.batch import driver_rows
from gtcode.services.blinding import hidden_documents, visible_codings
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, SegmentRow


@dataclass
class CodedCorpus:
    """Visible documents, their codings and segments, and every code, read in one unit of work.

    Documents, codings and codes are column rows (``id, title, characters``, ``document_id, code_id, start, end``
    and ``id, level, number, label, parent_id``), not ORM objects: an analysis reads each table once and builds
    no object per row. Codings come in no particular order."""

    documents: list
    codings: list
    segments: dict[int, list[tuple[int, int]]]
    codes: dict[int, Row]
    prefixes: Prefixes
    _starts: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _lengths: dict[int, int] = field(default_factory=dict, repr=False)
    _refs: dict[int, str] = field(default_factory=dict, repr=False)
    _up: dict[Level, dict[int, int]] = field(default_factory=dict, repr=False)

    def ref(self, code: Row) -> str:
        found = self._refs.get(code.id)
        if found is None:  # once per code: a table names each code in many rows
            found = self._refs[code.id] = self.prefixes.ref(Level(code.level), code.number)
        return found

    def name(self, code: Row) -> str:
        return f"{self.ref(code)} {code.label}"

    def rolled_up(self, level: Level) -> dict[int, int]:
        """Code id -> the id of the code itself or its ancestor of ``level``, for every code grouped that far
        (made once per level: analyses ask per coding)."""
        found = self._up.get(level)
        if found is None:
            found = self._up[level] = {}
            for code_id in self.codes:
                code = self.codes[code_id]
                while code is not None and code.level != level.value:
                    if Level(code.level).rank > level.rank:
                        code = None
                    else:
                        code = self.codes.get(code.parent_id) if code.parent_id else None
                if code is not None:
                    found[code_id] = code.id
        return found

    def at_level(self, code_id: int, level: Level) -> Row | None:
        """The code itself or its ancestor of ``level`` (None when it is not grouped that far)."""
        found = self.rolled_up(level).get(code_id)
        return None if found is None else self.codes[found]

    def ordered_codes(self, level: Level) -> list[Row]:
        return sorted((c for c in self.codes.values() if c.level == level.value), key=lambda c: c.number)

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
CODING_COLUMNS = (CodingRow.document_id, CodingRow.code_id, CodingRow.start, CodingRow.end)


def read_corpus(session: Session, prefixes: Prefixes, coder: str, segments: bool = True) -> CodedCorpus:
    """The documents and codings ``coder`` sees, with the coded documents' sentence spans (unless not
    ``segments``) and every code.

    Each table is read once through the session's connection (Core rows, not the ORM's loading; the codings and
    sentences as the driver's tuples)."""
    hidden = hidden_documents(session)
    read = session.connection().execute
    documents = select(DocumentRow.id, DocumentRow.title, DocumentRow.characters).order_by(DocumentRow.id)
    if hidden is not None:
        documents = documents.where(DocumentRow.id.not_in(hidden))
    codings = driver_rows(session, visible_codings(session, coder, *CODING_COLUMNS))
    spans: dict[int, list[tuple[int, int]]] = {}
    if segments and codings:
        sentences = select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
        if hidden is not None:
            sentences = sentences.where(SegmentRow.document_id.not_in(hidden))
        spans = {document_id: [(start, end) for _d, start, end in of_document]  # plain tuples, not an object each
                 for document_id, of_document in groupby(
                     driver_rows(session, sentences.order_by(SegmentRow.document_id, SegmentRow.idx)),
                     key=itemgetter(0))}
    codes = {c.id: c for c in read(select(*CODE_COLUMNS)).all()}
    return CodedCorpus(read(documents).all(), codings, spans, codes, prefixes)
