"""Documents: finding, listing and showing them, with their segments and attributes; retitling, changing their
kind and attributes, and deleting them, each one undoable change."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from gtcode.domain.levels import parse_number
from gtcode.domain.records import DocumentInfo, SegmentInfo
from gtcode.services.blinding import ensure_visible, hidden_document_ids, is_blinded, neutral_title, theory_phase
from gtcode.services.changes import ChangeRecorder
from gtcode.services.errors import Conflict, GtcodeError, NotFound, run, where
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import (
    AssignmentRow, AttributeRow, CodingRow, DocumentRow, SearchIndexRow, SegmentRow,
)


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
        raise NotFound(f"no document {text!r}: list them {where('docs')}")
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
                  attributes: dict[str, object] | None = None, building: bool | None = None,
                  cases: dict[int, str] | None = None) -> DocumentInfo:
    """What a reader may see of a document, as a frozen record; counts, attributes and case are read unless
    given (``cases``: documents' case names, as ``cases.document_cases`` gives them).

    While the hold-out is blinded a hold-out document is its id, kind, language and a neutral title only:
    no title, text, size, hash, source file, attributes or case (``building``: the phase, when already known)."""
    if is_blinded(session, row, building):
        return DocumentInfo(id=row.id, title=neutral_title(row.id), kind=row.kind, lang=row.lang, characters=0,
                            segments=0, split=row.split, sha256="", encoding="", source="", blinded=True)
    if segments is None:
        segments = session.exec(select(func.count()).where(SegmentRow.document_id == row.id)).one()
    if attributes is None:
        rows = session.exec(select(AttributeRow).where(AttributeRow.document_id == row.id)).all()
        attributes = {a.name: attribute_values(a) for a in rows}
    if cases is None:
        from gtcode.services.cases import document_cases

        cases = document_cases(session, {row.id})
    return DocumentInfo(
        id=row.id, title=row.title, kind=row.kind, lang=row.lang, characters=row.characters,
        segments=segments, split=row.split, sha256=row.sha256, encoding=row.encoding, source=row.source,
        attributes=attributes, material=row.material, case=cases.get(row.id),
    )


def document_titles(session: Session, ids: set[int]) -> dict[int, str]:
    """The titles a reader may see of these documents (neutral ones for a blinded hold-out)."""
    if not ids:
        return {}
    building = theory_phase(session)
    rows = session.exec(select(DocumentRow.id, DocumentRow.title, DocumentRow.split).where(DocumentRow.id.in_(ids)))
    return {id_: neutral_title(id_) if building and split == "holdout" else title for id_, title, split in rows}


def list_documents(project: Project, after: int = 0, limit: int | None = None,
                   through: int | None = None) -> list[DocumentInfo]:
    """Every document with its segment count and attributes (hold-out ones are listed, blinded while building);
    or a page of them: by id after ``after``, ``limit`` of them or, with ``through``, at least up to that id.
    A page reads only its own documents' rows, so it costs the same in any size of corpus."""
    with project.read() as session:
        building = theory_phase(session)
        query = select(DocumentRow).options(defer(DocumentRow.text)).where(DocumentRow.id > after).order_by(DocumentRow.id)
        rows = list(session.exec(query.where(DocumentRow.id <= through) if through is not None else
                                 query.limit(limit) if limit is not None else query).all())
        if through is not None and limit is not None and len(rows) < limit:
            rows += session.exec(query.where(DocumentRow.id > through).limit(limit - len(rows))).all()
        ids = {r.id for r in rows} if limit is not None or through is not None else None
        return document_infos(session, rows, ids, building)


def document_infos(session: Session, rows: list[DocumentRow], ids: set[int] | None,
                   building: bool) -> list[DocumentInfo]:
    """Records of ``rows``, their segment counts, attributes and cases read together (``ids``: the rows' ids;
    None when the rows are every document, read then without a list of ids)."""
    if ids is not None and not ids:
        return []
    segments = select(SegmentRow.document_id, func.count()).group_by(SegmentRow.document_id)
    attributes = select(AttributeRow)
    if ids is not None:
        segments = segments.where(SegmentRow.document_id.in_(ids))
        attributes = attributes.where(AttributeRow.document_id.in_(ids))
    counts = dict(session.exec(segments).all())
    attrs: dict[int, dict[str, object]] = {}
    for attribute in session.exec(attributes).all():
        attrs.setdefault(attribute.document_id, {})[attribute.name] = attribute_values(attribute)
    from gtcode.services.cases import document_cases

    cases = document_cases(session, ids)
    return [document_info(session, r, counts.get(r.id, 0), attrs.get(r.id, {}), building, cases) for r in rows]


def get_document(project: Project, ref: str | int) -> tuple[DocumentInfo, str, list[SegmentInfo]]:
    """A document's record, canonical text and segments (refused for hidden hold-out documents)."""
    with project.read() as session:
        row = resolve_document(session, ref)
        segments = segment_infos(session, row.id)
        return document_info(session, row, len(segments)), row.text, segments


def segment_infos(session: Session, document_id: int) -> list[SegmentInfo]:
    """A document's sentences in order (columns, not ORM rows: a long document has thousands)."""
    return [SegmentInfo(*columns) for columns in session.execute(
        select(SegmentRow.idx, SegmentRow.start, SegmentRow.end, SegmentRow.speaker, SegmentRow.role, SegmentRow.page,
               SegmentRow.time).where(SegmentRow.document_id == document_id).order_by(SegmentRow.idx))]


def attribute_table(project: Project, by: str = "document", order: list[str] | None = None) -> list[dict[str, object]]:
    """The paper's Table 1: each attribute value with its count and percentage of the documents (or, ``by="case"``,
    the cases) that have it, without the hold-out's while it is blinded (a case counts when it has a document
    that may be seen, or none). Attributes come in ``order``, then in the order they were first given."""
    from gtcode.store.tables import CaseAttributeRow

    if by not in ("document", "case"):
        raise GtcodeError(f"Table 1 counts documents or cases, not {by!r}: use --by document or --by case")
    with project.read() as session:
        hidden = hidden_document_ids(session)
        if by == "document":
            rows = [a for a in session.exec(select(AttributeRow).order_by(AttributeRow.id)).all()
                    if a.document_id not in hidden]
        else:
            members: dict[int, set[int]] = {}
            for case_id, document_id in session.exec(select(DocumentRow.case_id, DocumentRow.id)
                                                     .where(DocumentRow.case_id.is_not(None))):
                members.setdefault(case_id, set()).add(document_id)
            rows = [a for a in session.exec(select(CaseAttributeRow).order_by(CaseAttributeRow.case_id,
                                                                               CaseAttributeRow.position)).all()
                    if not members.get(a.case_id) or members[a.case_id] - hidden]
    by_name: dict[str, Counter] = {}
    for row in rows:
        by_name.setdefault(row.name, Counter())[attribute_values(row)] += 1
    wanted = [name for name in order or () if name in by_name]
    unknown = [name for name in order or () if name not in by_name]
    if unknown:
        raise NotFound(f"no {by} has the attribute {unknown[0]!r}; the attributes are: {', '.join(by_name) or '(none)'}")
    table = []
    for name in [*wanted, *(n for n in by_name if n not in wanted)]:
        counts = by_name[name]
        total = sum(counts.values())
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
            table.append({"attribute": name, "value": value, "count": count, "percentage": round(100 * count / total, 1)})
    return table


# --------------------------------------------------------------------------- managing documents
# Each is one undoable change (services/changes.py), so `gtcode undo` takes it back and `gtcode history` lists it.


def _managed(session: Session, ref: str | int) -> DocumentRow:
    """The document to change: visible to the acting coder (a blinded hold-out document is refused)."""
    return resolve_document(session, ref)


def _clean_title(title: str) -> str:
    from gtcode.text.encoding import canonicalise

    clean = " ".join(canonicalise(str(title)).split())
    if not clean:
        raise GtcodeError("a document's title cannot be empty: give the new title, e.g. "
                          + run("doc.retitle", 3, '"Wang Li"'))
    return clean


@use_case(WRITER, "retitle documents")
def retitle_document(project: Project, document_ref: str | int, title: str) -> DocumentInfo:
    """Give a document a new title."""
    title = _clean_title(title)
    with project.write() as session:
        row = _managed(session, document_ref)
        recorder = _set(session, project, row, f"retitle document {row.id} to {title}", title=title)
        recorder.save()
        return document_info(session, row)


def _set(session: Session, project: Project, row: DocumentRow, description: str, **values) -> ChangeRecorder:
    """Change columns of a document as the start of a recorded change (saved by the caller)."""
    recorder = ChangeRecorder(session, description, project.coder)
    recorder.touch(row)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    return recorder


@use_case(WRITER, "change the kind of documents")
def set_document_kind(project: Project, document_ref: str | int, kind: str) -> DocumentInfo:
    """Change a document's kind; its speaker turns are read again (only interviews take any name as a speaker)."""
    from gtcode.services.corpus import check_kind
    from gtcode.text.speakers import speaker_at, speaker_turns

    check_kind(kind)
    with project.write() as session:
        row = _managed(session, document_ref)
        recorder = _set(session, project, row, f"document {row.id} is {kind} (was {row.kind})", kind=kind)
        turns = speaker_turns(row.text, kind=kind)
        for segment in session.exec(select(SegmentRow).where(SegmentRow.document_id == row.id)).all():
            turn = speaker_at(turns, segment.start)
            speaker, role = (turn.speaker, turn.role) if turn else (None, None)
            if (segment.speaker, segment.role) != (speaker, role):
                recorder.touch(segment)
                segment.speaker, segment.role = speaker, role
                session.add(segment)
        recorder.save()
        return document_info(session, row)


@use_case(WRITER, "change document attributes")
def set_document_attributes(project: Project, document_ref: str | int, values: dict[str, object] | None = None,
                            unset: list[str] | tuple[str, ...] = ()) -> DocumentInfo:
    """Set (add or change) and remove attributes of a document; removing one it does not have is refused."""
    from gtcode.services.corpus import typed_attribute

    values = {str(k).strip(): v for k, v in (values or {}).items()}
    with project.write() as session:
        row = _managed(session, document_ref)
        if not values and not unset:
            raise GtcodeError("name attributes to set (KEY=VALUE) or to remove (--unset KEY)")
        if any(not name for name in values):
            raise GtcodeError("an attribute needs a name: write KEY=VALUE, e.g. gender=female")
        have = {a.name: a for a in session.exec(select(AttributeRow).where(AttributeRow.document_id == row.id))}
        missing = [name for name in unset if name not in have]
        if missing:
            raise NotFound(f"document {row.id} has no attribute {missing[0]!r}; it has: "
                           f"{', '.join(sorted(have)) or '(none)'}")
        changed = ", ".join([*(f"{k}={v}" for k, v in values.items()), *(f"-{k}" for k in unset)])
        recorder = ChangeRecorder(session, f"attributes of document {row.id}: {changed}", project.coder)
        for name in unset:
            recorder.touch(have[name])
            session.delete(have.pop(name))
        session.flush()
        for name, value in values.items():
            typed = typed_attribute(name, value)
            if name in have:
                recorder.touch(have[name])
                have[name].type, have[name].value = typed.type, typed.value
                session.add(have[name])
            else:
                typed.document_id = row.id
                session.add(typed)
                session.flush()
                recorder.created(typed)
        recorder.save()
        return document_info(session, row)


@use_case(WRITER, "delete documents")
def delete_document(project: Project, document_ref: str | int, with_codings: bool = False) -> DocumentInfo:
    """Delete a document with its sentences, attributes, memo and assignments, as one undoable change.

    Refused while it has codings unless ``with_codings`` (then they go too, with their memos and evidence; a
    coder may remove only their own). A blinded hold-out document cannot be deleted (it cannot be named)."""
    from gtcode.services.coding import remove_codings
    from gtcode.services.memos import carry_memos
    from gtcode.services.roles import require_own_codings

    with project.write() as session:
        row = _managed(session, document_ref)
        info = document_info(session, row)
        codings = list(session.exec(select(CodingRow).where(CodingRow.document_id == row.id)).all())
        if codings and not with_codings:
            raise Conflict(f"document {row.id} has {len(codings)} coding{'s' if len(codings) != 1 else ''}: "
                           "delete it with --with-codings (undo brings all back), or uncode them first")
        require_own_codings(session, codings, "delete a document with the")
        recorder = ChangeRecorder(session, f"delete document {row.id} {row.title}", project.coder)
        remove_codings(session, recorder, codings)
        carry_memos(session, recorder, "document", [row.id], None)
        index = list(session.exec(select(SearchIndexRow).where(SearchIndexRow.document_id == row.id)).all())
        on_document: list = []
        for model in (AssignmentRow, AttributeRow, SegmentRow):
            on_document += session.exec(select(model).where(model.document_id == row.id)).all()
        recorder.delete(index)  # what points at a row goes before it (no ORM relationships tell the order)
        recorder.delete(on_document)
        recorder.touch(row)
        session.delete(row)
        recorder.save()
        return info
