"""Documents: finding, listing and showing them, with their segments and attributes."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from gtcode.domain.levels import parse_number
from gtcode.domain.records import DocumentInfo, SegmentInfo
from gtcode.services.blinding import ensure_visible, hidden_document_ids, is_blinded, neutral_title, theory_phase
from gtcode.services.errors import NotFound
from gtcode.services.project import Project
from gtcode.store.tables import AttributeRow, DocumentRow, SegmentRow


def resolve_document(session: Session, ref: str | int, *, visible: bool = True) -> DocumentRow:
    """A document by id or exact title; hold-out documents are refused while blinded (and their titles are
    not known then: a guessed title of one is not found, so the refusal confirms nothing)."""
    row = None
    text = str(ref).strip()
    if (number := parse_number(text)) is not None:
        row = session.get(DocumentRow, number)
    if row is None:
        titled = session.exec(select(DocumentRow).where(DocumentRow.title == text).order_by(DocumentRow.id)).all()
        row = next((r for r in titled if not (visible and is_blinded(session, r))), None)
    if row is None:
        raise NotFound(f"no document {text!r}: list them with `gtcode docs`")
    if visible:
        ensure_visible(session, row)
    return row


def attribute_values(row: AttributeRow) -> object:
    """An attribute's value in its type."""
    if row.type == "integer":
        return int(row.value)
    if row.type == "float":
        return float(row.value)
    return row.value


def document_info(session: Session, row: DocumentRow, segments: int | None = None,
                  attributes: dict[str, object] | None = None, building: bool | None = None) -> DocumentInfo:
    """What a reader may see of a document, as a frozen record; counts and attributes are read unless given.

    While the hold-out is blinded a hold-out document is its id, kind, language and a neutral title only:
    no title, text, size, hash, source file or attributes (``building``: the phase, when already known)."""
    if is_blinded(session, row, building):
        return DocumentInfo(id=row.id, title=neutral_title(row.id), kind=row.kind, lang=row.lang, characters=0,
                            segments=0, split=row.split, sha256="", encoding="", source="", blinded=True)
    if segments is None:
        segments = session.exec(select(func.count()).where(SegmentRow.document_id == row.id)).one()
    if attributes is None:
        rows = session.exec(select(AttributeRow).where(AttributeRow.document_id == row.id)).all()
        attributes = {a.name: attribute_values(a) for a in rows}
    return DocumentInfo(
        id=row.id, title=row.title, kind=row.kind, lang=row.lang, characters=row.characters,
        segments=segments, split=row.split, sha256=row.sha256, encoding=row.encoding, source=row.source,
        attributes=attributes,
    )


def document_titles(session: Session, ids: set[int]) -> dict[int, str]:
    """The titles a reader may see of these documents (neutral ones for a blinded hold-out)."""
    if not ids:
        return {}
    building = theory_phase(session)
    rows = session.exec(select(DocumentRow.id, DocumentRow.title, DocumentRow.split).where(DocumentRow.id.in_(ids)))
    return {id_: neutral_title(id_) if building and split == "holdout" else title for id_, title, split in rows}


def list_documents(project: Project) -> list[DocumentInfo]:
    """Every document with its segment count and attributes (hold-out ones are listed, blinded while building)."""
    with project.read() as session:
        building = theory_phase(session)
        counts = dict(session.exec(select(SegmentRow.document_id, func.count()).group_by(SegmentRow.document_id)).all())
        rows = session.exec(select(DocumentRow).options(defer(DocumentRow.text)).order_by(DocumentRow.id)).all()
        attrs: dict[int, dict[str, object]] = {}
        for attribute in session.exec(select(AttributeRow)).all():
            attrs.setdefault(attribute.document_id, {})[attribute.name] = attribute_values(attribute)
        return [document_info(session, r, counts.get(r.id, 0), attrs.get(r.id, {}), building) for r in rows]


def get_document(project: Project, ref: str | int) -> tuple[DocumentInfo, str, list[SegmentInfo]]:
    """A document's record, canonical text and segments (refused for hidden hold-out documents)."""
    with project.read() as session:
        row = resolve_document(session, ref)
        segments = [
            SegmentInfo(s.idx, s.start, s.end, s.speaker, s.role)
            for s in session.exec(select(SegmentRow).where(SegmentRow.document_id == row.id).order_by(SegmentRow.idx))
        ]
        return document_info(session, row, len(segments)), row.text, segments


def attribute_table(project: Project) -> list[dict[str, object]]:
    """The paper's Table 1: each attribute value with its count and percentage of documents that have it
    (without the hold-out's while it is blinded)."""
    with project.read() as session:
        hidden = hidden_document_ids(session)
        rows = [a for a in session.exec(select(AttributeRow).order_by(AttributeRow.name)).all()
                if a.document_id not in hidden]
    by_name: dict[str, Counter] = {}
    for row in rows:
        by_name.setdefault(row.name, Counter())[attribute_values(row)] += 1
    table = []
    for name, counts in by_name.items():
        total = sum(counts.values())
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
            table.append({"attribute": name, "value": value, "count": count, "percentage": round(100 * count / total, 1)})
    return table
