"""Roles of coders, enforced in the service layer: owner (everything), coder (own codings), viewer (read only).

Who acts is ``Project.coder`` (``--coder``, ``$GTCODE_CODER`` or the project's default coder). A name the
project does not know yet is registered as a ``coder`` on its first write (gtcode has no passwords: roles keep
a team's work apart, they are not access control; an owner can demote a name with `gtcode coder add NAME
--role viewer`). Every refusal raises Forbidden with one line naming the coder, the role and what to do.
"""

from __future__ import annotations

from sqlmodel import Session, select

from gtcode.domain.levels import parse_number
from gtcode.services.errors import Forbidden
from gtcode.store.tables import AssignmentRow, ChangeRow, CoderRow, CodingRow, MemoRow

ROLES = ("owner", "coder", "viewer")


def find_coder(session: Session, name: str) -> CoderRow | None:
    return session.exec(select(CoderRow).where(CoderRow.name == name)).first()


def acting_coder(session: Session, name: str) -> CoderRow:
    """The coder row of ``name``; an unknown name is registered as a coder (first write)."""
    row = find_coder(session, name)
    if row is None:
        row = CoderRow(name=name, role="coder")
        session.add(row)
        session.flush()
    return row


def require_writer(session: Session, name: str) -> CoderRow:
    """Refuse a viewer; return the acting coder."""
    row = acting_coder(session, name)
    if row.role == "viewer":
        raise Forbidden(f"coder {name!r} is a viewer and cannot change the project: ask an owner for the coder role")
    return row


def require_owner(session: Session, name: str, action: str) -> CoderRow:
    """Refuse anyone but an owner."""
    row = acting_coder(session, name)
    if row.role != "owner":
        raise Forbidden(f"coder {name!r} is a {row.role}; only an owner can {action}: ask an owner, or act with --coder OWNER")
    return row


def require_own_codings(session: Session, name: str, codings: list[CodingRow], action: str) -> CoderRow:
    """A coder may change only their own codings; an owner any."""
    row = require_writer(session, name)
    if row.role == "owner":
        return row
    others = sorted({c.coder for c in codings if c.coder != name})
    if others:
        ids = ", ".join(str(c.id) for c in codings if c.coder != name)
        raise Forbidden(f"coder {name!r} cannot {action} codings of {', '.join(others)} (coding {ids}): ask an owner")
    return row


def check_coding_change(session: Session, name: str, coding_id: int | str) -> None:
    """Before removing or adjusting a coding: viewers never, coders only their own."""
    coding = session.get(CodingRow, number) if (number := parse_number(coding_id)) is not None else None
    if coding is None:
        require_writer(session, name)  # the use case reports the unknown coding itself
        return
    require_own_codings(session, name, [coding], "change")


def check_code_removal(session: Session, name: str, code_id: int) -> None:
    """Deleting a code removes its codings: a coder may do it only when they are all theirs."""
    codings = list(session.exec(select(CodingRow).where(CodingRow.code_id == code_id)).all())
    require_own_codings(session, name, codings, "delete a code with the")


def check_memo_change(session: Session, name: str, kind: str, target_id: int | None) -> None:
    """A coder may not overwrite a memo another coder wrote; an owner may."""
    row = require_writer(session, name)
    memo = session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id == target_id)).first()
    if row.role != "owner" and memo is not None and memo.coder != name:
        raise Forbidden(f"the memo on {kind} {target_id or ''} is {memo.coder!r}'s: coder {name!r} may not overwrite it; "
                        "write a memo of your own on the code or document")


def check_undo(session: Session, name: str, redo: bool = False) -> None:
    """Undo/redo of someone else's change is for owners only."""
    row = require_writer(session, name)
    query = select(ChangeRow).where(ChangeRow.undone == redo)
    query = query.order_by(ChangeRow.id if redo else ChangeRow.id.desc())
    change = session.exec(query).first()
    if change is not None and change.coder != name and row.role != "owner":
        verb = "redo" if redo else "undo"
        raise Forbidden(f"the change to {verb} ({change.description}) was made by {change.coder!r}: "
                        f"coder {name!r} cannot {verb} it; ask an owner")


def blinded_document_ids(session: Session, name: str) -> set[int]:
    """Documents this coder codes blind: there they see only their own codings."""
    query = select(AssignmentRow.document_id).where(AssignmentRow.coder == name, AssignmentRow.blind == True)  # noqa: E712
    return set(session.exec(query).all())


def visible_codings(session: Session, name: str, rows: list[CodingRow]) -> list[CodingRow]:
    """Drop other coders' codings on documents this coder codes blind."""
    blind = blinded_document_ids(session, name)
    if not blind:
        return rows
    return [r for r in rows if r.document_id not in blind or r.coder == name]
