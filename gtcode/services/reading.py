"""What a reader needs in one go: a document's text, sentences and codings, the document table, and label
suggestions for a selected span (in-vivo words and the most similar existing phenomena)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from gtcode.domain.levels import Level
from gtcode.domain.records import CodingInfo, DocumentInfo, SegmentInfo
from gtcode.services.blinding import hidden_document_ids, theory_phase
from gtcode.services.documents import document_info, list_documents, resolve_document
from gtcode.services.project import Project
from gtcode.store.tables import CodeRow, CodingRow, SegmentRow


@dataclass(frozen=True)
class ReaderView:
    """A document ready to read and code."""

    document: DocumentInfo
    text: str
    segments: list[SegmentInfo]
    codings: list[CodingInfo]


@dataclass(frozen=True)
class DocumentLine:
    """One row of the document table: the document, its codings, and whether it is locked (blinded hold-out)."""

    document: DocumentInfo
    codings: int
    locked: bool


def reader_view(project: Project, document_ref: str | int) -> ReaderView:
    """Text, sentences and codings (with their codes) of a visible document in one read."""
    prefixes = project.prefixes
    with project.read() as session:
        row = resolve_document(session, document_ref)
        segments = [
            SegmentInfo(s.idx, s.start, s.end, s.speaker)
            for s in session.exec(select(SegmentRow).where(SegmentRow.document_id == row.id).order_by(SegmentRow.idx))
        ]
        pairs = session.exec(
            select(CodingRow, CodeRow).join(CodeRow, CodeRow.id == CodingRow.code_id)
            .where(CodingRow.document_id == row.id).order_by(CodingRow.start, CodingRow.end)
        ).all()
        codings = [
            CodingInfo(
                id=c.id, document_id=row.id, document_title=row.title, code_id=code.id,
                code_ref=prefixes.ref(Level(code.level), code.number), code_label=code.label,
                start=c.start, end=c.end, quote=c.quote, coder=c.coder, created_at=c.created_at,
            )
            for c, code in pairs
        ]
        return ReaderView(document_info(session, row, len(segments)), row.text, segments, codings)


def document_lines(project: Project) -> list[DocumentLine]:
    """Every document with its number of codings; hold-out documents are locked while blinded."""
    documents = list_documents(project)
    with project.read() as session:
        counts = dict(session.exec(select(CodingRow.document_id, func.count()).group_by(CodingRow.document_id)).all())
        blinded = theory_phase(session)
    return [DocumentLine(d, counts.get(d.id, 0), blinded and d.split == "holdout") for d in documents]


def check_readable(project: Project, document_ref: str | int) -> int:
    """The id of a document the coder may open; the service's error otherwise."""
    with project.read() as session:
        return resolve_document(session, document_ref).id


def phenomenon_labels(project: Project) -> list[str]:
    """Labels of every phenomenon, by number (for completion)."""
    with project.read() as session:
        return list(session.exec(
            select(CodeRow.label).where(CodeRow.level == Level.PHENOMENON.value).order_by(CodeRow.number)).all())


def suggest_for_span(project: Project, span_text: str, lang: str, k: int = 5) -> list[tuple[str, str]]:
    """Labels for a span as ``(label, why)``: existing phenomena most similar to it (by label and quotes),
    then in-vivo words from the span itself; no label twice."""
    from gtcode.text.keywords import rank_similar, suggest_labels

    with project.read() as session:
        hidden = hidden_document_ids(session)
        codes = session.exec(select(CodeRow).where(CodeRow.level == Level.PHENOMENON.value)).all()
        quote_rows = session.exec(select(CodingRow.code_id, CodingRow.quote, CodingRow.document_id)).all()
    texts = {code.id: [code.label] for code in codes}
    for code_id, quote, document_id in quote_rows:
        if code_id in texts and document_id not in hidden:
            texts[code_id].append(quote)
    labels = {code.id: code.label for code in codes}
    suggestions: list[tuple[str, str]] = []
    seen: set[str] = set()
    similar = rank_similar(span_text, {key: " ".join(parts) for key, parts in texts.items()}, lang, k=k)
    for code_id, _score in similar:
        suggestions.append((labels[code_id], "similar code"))
        seen.add(labels[code_id].lower())
    for word in suggest_labels(span_text, lang, k=k):
        if word.lower() not in seen:
            seen.add(word.lower())
            suggestions.append((word, "in vivo"))
    return suggestions
