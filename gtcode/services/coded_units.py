"""What analyses count over: the visible codings, their codes rolled up a level, and sentence units.

A unit is a sentence segment of a document (a document without segments is one unit). A coding
belongs to every unit it overlaps. Hold-out documents are left out while the theory is built.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from sqlmodel import Session, select

from gtcode.domain.levels import Level, Prefixes
from gtcode.services.blinding import hidden_document_ids, visible_codings
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, SegmentRow


@dataclass
class CodedCorpus:
    """Visible documents, their codings and segments, and every code, read in one unit of work."""

    documents: list[DocumentRow]
    codings: list[CodingRow]
    segments: dict[int, list[tuple[int, int]]]
    codes: dict[int, CodeRow]
    prefixes: Prefixes
    _starts: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def ref(self, code: CodeRow) -> str:
        return self.prefixes.ref(Level(code.level), code.number)

    def name(self, code: CodeRow) -> str:
        return f"{self.ref(code)} {code.label}"

    def at_level(self, code_id: int, level: Level) -> CodeRow | None:
        """The code itself or its ancestor of ``level`` (None when it is not grouped that far)."""
        code = self.codes.get(code_id)
        while code is not None and code.level != level.value:
            if Level(code.level).rank > level.rank:
                return None
            code = self.codes.get(code.parent_id) if code.parent_id else None
        return code

    def ordered_codes(self, level: Level) -> list[CodeRow]:
        return sorted((c for c in self.codes.values() if c.level == level.value), key=lambda c: c.number)

    def units(self, coding: CodingRow) -> list[tuple[int, int]]:
        """The sentence segments a coding overlaps (its document's whole text when unsegmented)."""
        segments = self.segments.get(coding.document_id)
        if not segments:
            document = next(d for d in self.documents if d.id == coding.document_id)
            return [(0, len(document.text))]
        starts = self._starts.get(coding.document_id)
        if starts is None:  # once per document, not once per coding
            starts = self._starts[coding.document_id] = [s for s, _ in segments]
        first = max(bisect_right(starts, coding.start) - 1, 0)
        found = []
        for start, end in segments[first:]:
            if start >= coding.end:
                break
            if end > coding.start:
                found.append((start, end))
        return found or [segments[first]]


def read_corpus(session: Session, prefixes: Prefixes, coder: str) -> CodedCorpus:
    """The documents and codings ``coder`` sees, with sentence spans and codes."""
    hidden = hidden_document_ids(session)
    documents = [d for d in session.exec(select(DocumentRow).order_by(DocumentRow.id)).all() if d.id not in hidden]
    visible = {d.id for d in documents}
    codings = list(session.exec(visible_codings(session, coder).order_by(CodingRow.document_id, CodingRow.start,
                                                                         CodingRow.end, CodingRow.id)).all())
    segments: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in session.exec(select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
                                                .order_by(SegmentRow.document_id, SegmentRow.start)).all():
        if document_id in visible:  # plain tuples: rows would cost an object per sentence
            segments.setdefault(document_id, []).append((start, end))
    codes = {c.id: c for c in session.exec(select(CodeRow)).all()}
    return CodedCorpus(documents, codings, segments, codes, prefixes)
