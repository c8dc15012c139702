"""Cases: a participant, site or organisation that groups documents and carries attributes of its own.

A participant interviewed twice is one case with two documents; Table 1 can then count cases instead of
documents (``documents.attribute_table(by="case")``). Every change is one undoable change in the change log.
While the hold-out is blinded a case lists only the documents the reader may see.

**A document's case** (:func:`document_cases`, the one rule for the saturation report's support, search
filters and matrix columns): the case it is in; a document in no case that has a ``case`` attribute (how
projects said it before cases existed) is in the case of that name; any other document is in no case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from gtcode.services.blinding import hidden_document_ids
from gtcode.services.changes import ChangeRecorder
from gtcode.services.documents import attribute_values, resolve_document
from gtcode.services.errors import GtcodeError, NotFound, run, where
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import AttributeRow, CaseAttributeRow, CaseRow, DocumentRow

CASE_ATTRIBUTE = "case"  # before cases existed a document named its case in this attribute; still honoured


@dataclass(frozen=True)
class CaseInfo:
    """A case, its attributes in the order given, and the ids of its documents the reader may see."""

    id: int
    name: str
    attributes: dict[str, object] = field(default_factory=dict)
    documents: tuple[int, ...] = ()


def _name(name: str) -> str:
    clean = " ".join(str(name).split())
    if not clean:
        raise GtcodeError(f"a case needs a name, e.g. P01: {run('case.set', 'P01')}")
    return clean


def _find(session: Session, name: str) -> CaseRow | None:
    return session.exec(select(CaseRow).where(CaseRow.name == name)).first()


def _info(session: Session, row: CaseRow, hidden: set[int]) -> CaseInfo:
    attributes = session.exec(select(CaseAttributeRow).where(CaseAttributeRow.case_id == row.id)
                              .order_by(CaseAttributeRow.position, CaseAttributeRow.id)).all()
    documents = session.exec(select(DocumentRow.id).where(DocumentRow.case_id == row.id).order_by(DocumentRow.id))
    return CaseInfo(row.id, row.name, {a.name: attribute_values(a) for a in attributes},
                    tuple(d for d in documents if d not in hidden))


def document_cases(session: Session, documents: set[int] | None) -> dict[int, str]:
    """The case name of each of ``documents`` (None: of every document) that is in one (see the module's
    docstring); documents in none are left out."""
    if documents is not None and not documents:
        return {}
    cased = select(DocumentRow.id, CaseRow.name).join(CaseRow, CaseRow.id == DocumentRow.case_id)
    legacy = select(AttributeRow.document_id, AttributeRow.value).join(
        DocumentRow, DocumentRow.id == AttributeRow.document_id).where(
        AttributeRow.name == CASE_ATTRIBUTE, DocumentRow.case_id.is_(None))
    if documents is not None:
        cased, legacy = cased.where(DocumentRow.id.in_(documents)), legacy.where(DocumentRow.id.in_(documents))
    found = dict(session.exec(cased).all())
    for document_id, value in session.exec(legacy):
        if (name := attribute_case(value)) is not None:
            found[document_id] = name
    return found


def attribute_case(value: str | None) -> str | None:
    """The case a document in no case is in by its ``case`` attribute's stored ``value`` (None: in none)."""
    return " ".join(value.split()) if value is not None and value.strip() else None


def documents_in_cases(session: Session, names: tuple[str, ...]):
    """The ids of the documents in any of the cases ``names`` (a subquery); an unknown name is refused."""
    names = tuple(_name(name) for name in names)
    known = set(session.exec(select(CaseRow.name).where(CaseRow.name.in_(names))).all()) | set(session.exec(
        select(AttributeRow.value).where(AttributeRow.name == CASE_ATTRIBUTE, AttributeRow.value.in_(names))).all())
    missing = [name for name in names if name not in known]
    if missing:
        raise NotFound(f"no case {missing[0]!r}: list them {where('cases')}")
    return select(DocumentRow.id).where(or_(
        DocumentRow.case_id.in_(select(CaseRow.id).where(CaseRow.name.in_(names))),
        and_(DocumentRow.case_id.is_(None), DocumentRow.id.in_(select(AttributeRow.document_id).where(
            AttributeRow.name == CASE_ATTRIBUTE, AttributeRow.value.in_(names))))))


@use_case(WRITER, "manage cases")
def set_case(project: Project, name: str, values: dict[str, object] | None = None,
             documents: list[str] | None = None, unset: list[str] | None = None) -> CaseInfo:
    """Make the case ``name`` (if new), set its attributes (kept in the order given), remove those named in
    ``unset`` and put documents in it."""
    from gtcode.services.corpus import typed_attribute

    name = _name(name)
    with project.write() as session:
        row = _find(session, name)
        recorder = ChangeRecorder(session, f"case {name}", project.coder)
        if row is None:
            row = CaseRow(name=name)
            session.add(row)
            session.flush()
            recorder.created(row)
        have = {a.name: a for a in session.exec(select(CaseAttributeRow).where(CaseAttributeRow.case_id == row.id))}
        position = max((a.position for a in have.values()), default=-1)
        for key, value in (values or {}).items():
            typed = typed_attribute(str(key).strip(), value)
            if typed.name in have:
                recorder.touch(have[typed.name])
                have[typed.name].type, have[typed.name].value = typed.type, typed.value
                session.add(have[typed.name])
                continue
            position += 1
            attribute = CaseAttributeRow(case_id=row.id, name=typed.name, type=typed.type, value=typed.value,
                                         position=position)
            session.add(attribute)
            session.flush()
            recorder.created(attribute)
        for key in unset or ():
            key = str(key).strip()
            if key not in have:
                raise NotFound(f"case {name} has no attribute {key!r}; it has: {', '.join(have) or 'none'}")
            recorder.touch(have[key])
            session.delete(have.pop(key))
        for ref in documents or ():
            document = resolve_document(session, ref)
            recorder.touch(document)
            document.case_id = row.id
            session.add(document)
        recorder.save()
        return _info(session, row, hidden_document_ids(session))


@use_case(WRITER, "manage cases")
def leave_case(project: Project, documents: list[str]) -> list[int]:
    """Take documents out of their case (the case stays, with its attributes); the ids of those taken out."""
    with project.write() as session:
        rows = [resolve_document(session, ref) for ref in documents]
        recorder = ChangeRecorder(session, f"documents {', '.join(str(r.id) for r in rows)} out of their case",
                                  project.coder)
        moved = []
        for document in rows:
            if document.case_id is None:
                continue
            recorder.touch(document)
            document.case_id = None
            session.add(document)
            moved.append(document.id)
        if moved:
            recorder.save()
        return moved


def list_cases(project: Project) -> list[CaseInfo]:
    """Every case with its attributes and visible documents."""
    with project.read() as session:
        hidden = hidden_document_ids(session)
        return [_info(session, row, hidden) for row in session.exec(select(CaseRow).order_by(CaseRow.id)).all()]


def case_of(project: Project, name: str) -> CaseInfo:
    """One case by name."""
    with project.read() as session:
        row = _find(session, _name(name))
        if row is None:
            raise NotFound(f"no case {name!r}: list them {where('cases')}")
        return _info(session, row, hidden_document_ids(session))
