"""The team: coders with roles, and documents assigned to several coders for blind double coding."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from gtcode.domain.records import CoderInfo
from gtcode.services.documents import document_titles, resolve_document
from gtcode.services.errors import GtcodeError, run
from gtcode.services.project import Project
from gtcode.services.roles import ROLES, Role, find_coder, use_case
from gtcode.store.tables import AssignmentRow, CoderRow


@dataclass(frozen=True)
class AssignmentInfo:
    document_id: int
    document_title: str
    coder: str
    blind: bool


def _info(row: CoderRow) -> CoderInfo:
    return CoderInfo(row.id, row.name, row.role)


@use_case(Role.OWNER, "add coders or change roles")
def add_coder(project: Project, name: str, role: str = "coder") -> CoderInfo:
    """Register a coder, or change the role of a known one (owners only)."""
    name = name.strip()
    if not name or "," in name:
        raise GtcodeError(f"coder name {name!r} is empty or has a comma: give a short name such as 'lin'")
    if role not in ROLES:
        raise GtcodeError(f"role {role!r} is unknown: choose one of {', '.join(ROLES)}")
    with project.write() as session:
        row = find_coder(session, name) or CoderRow(name=name)
        if row.role == "owner" and role != "owner" and _owners(session) == [name]:
            raise GtcodeError(f"{name!r} is the only owner: make another coder owner first")
        row.role = role
        session.add(row)
        session.flush()
        return _info(row)


def _owners(session: Session) -> list[str]:
    return list(session.exec(select(CoderRow.name).where(CoderRow.role == "owner")).all())


def list_coders(project: Project) -> list[CoderInfo]:
    """Every registered coder, owners first."""
    with project.read() as session:
        rows = session.exec(select(CoderRow)).all()
    return [_info(r) for r in sorted(rows, key=lambda r: (ROLES.index(r.role) if r.role in ROLES else 9, r.name))]


def whoami(project: Project) -> CoderInfo:
    """The acting coder (an unknown name shows as a coder, registered on its first write)."""
    with project.read() as session:
        row = find_coder(session, project.coder)
    return _info(row) if row else CoderInfo(0, project.coder, "coder")


def _check_names(session: Session, names: list[str]) -> list[str]:
    names = [n.strip() for n in names if n.strip()]
    if len(names) < 2 or len(set(names)) != len(names):
        raise GtcodeError("blind double coding needs at least two different coders: e.g. --coders lin,wang")
    unknown = [n for n in names if find_coder(session, n) is None]
    if unknown:
        raise GtcodeError(f"unknown coder {', '.join(unknown)}: register them first, {run('coder.add')}")
    return names


@use_case(Role.OWNER, "assign documents")
def assign(project: Project, documents: list[str | int], coders: list[str], blind: bool = True) -> list[AssignmentInfo]:
    """Assign documents to coders; while blind, each sees only their own codings there (owners only)."""
    if not documents:
        raise GtcodeError("name the documents to assign (ids or titles)")
    with project.write() as session:
        names = _check_names(session, coders)
        docs = [resolve_document(session, ref) for ref in documents]
        for doc in docs:
            for name in names:
                row = session.exec(select(AssignmentRow).where(AssignmentRow.document_id == doc.id,
                                                               AssignmentRow.coder == name)).first()
                row = row or AssignmentRow(document_id=doc.id, coder=name)
                row.blind = blind
                session.add(row)
        session.flush()
        return _assignments(session, {d.id for d in docs})


@use_case(Role.OWNER, "end blinding")
def end_blinding(project: Project, documents: list[str | int]) -> list[AssignmentInfo]:
    """End blind coding of documents so the coders' work can be compared (owners only)."""
    with project.write() as session:
        ids = {resolve_document(session, ref).id for ref in documents}
        if not ids:
            ids = set(session.exec(select(AssignmentRow.document_id)).all())
        for row in session.exec(select(AssignmentRow).where(AssignmentRow.document_id.in_(ids))).all():
            row.blind = False
            session.add(row)
        session.flush()
        return _assignments(session, ids)


def assignments(project: Project) -> list[AssignmentInfo]:
    """Every assignment, by document then coder."""
    with project.read() as session:
        return _assignments(session, None)


def _assignments(session: Session, ids: set[int] | None) -> list[AssignmentInfo]:
    query = select(AssignmentRow)
    if ids is not None:
        query = query.where(AssignmentRow.document_id.in_(ids))
    rows = session.exec(query.order_by(AssignmentRow.document_id, AssignmentRow.coder)).all()
    titles = document_titles(session, {a.document_id for a in rows})
    return [AssignmentInfo(a.document_id, titles[a.document_id], a.coder, a.blind) for a in rows]
