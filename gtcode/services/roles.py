"""Roles of coders and the use cases that write, enforced in the service layer.

Every service function that changes the project is declared with :func:`use_case`, naming the roles that may
run it; ``Project.write()`` opens only inside a declared use case and refuses the acting coder first when their
role is not among them (viewers never write; owner-only use cases refuse coders). ``USE_CASES`` is the
registry of them all, from which the tests are generated.

Who acts is ``Project.coder`` (``--coder``, ``$GTCODE_CODER`` or the project's default coder). A name the
project does not know yet is registered as a ``coder`` on its first write (gtcode has no passwords: roles keep
a team's work apart, they are not access control; an owner can demote a name with `gtcode coder add NAME
--role viewer`). Every refusal raises Forbidden with one line naming the coder, the role and what to do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Flag, auto

from sqlalchemy import or_, true
from sqlmodel import Session, select

from gtcode.domain.records import CODER_ROLES
from gtcode.services.errors import Forbidden, run
from gtcode.store.tables import AssignmentRow, ChangeRow, CoderRow, CodingRow, MemoRow

ROLES = CODER_ROLES
ACTING = "gtcode_acting_coder"  # key of the acting coder's row in a write session's ``info``


class Role(Flag):
    """The roles a use case admits; combine them with ``|``."""

    OWNER = auto()
    CODER = auto()
    VIEWER = auto()


WRITER = Role.OWNER | Role.CODER


@dataclass(frozen=True)
class UseCase:
    """A service function that writes, the roles that may run it and what it does (for refusals)."""

    name: str  # module.function
    requires: Role
    action: str  # "release the hold-out": completes "only an owner can ..."
    run: Callable

    def check(self, project) -> None:
        """Forbidden now unless the project's acting coder may run this (checked again when it runs); for asking
        before a confirmation rather than after it."""
        with project.read() as session:
            admit(session, project.coder, self)


USE_CASES: dict[str, UseCase] = {}
_RUNNING: ContextVar[tuple[UseCase, ...]] = ContextVar("gtcode_use_cases", default=())


def use_case(requires: Role, action: str) -> Callable[[Callable], Callable]:
    """Declare a service function a use case that writes, run only by coders whose role is in ``requires``.

    A use case called inside another must satisfy both (the stricter wins)."""

    def declare(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(*args, **kwargs):
            token = _RUNNING.set((*_RUNNING.get(), run.use_case))
            try:
                return function(*args, **kwargs)
            finally:
                _RUNNING.reset(token)

        run.use_case = UseCase(f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}", requires, action, run)
        USE_CASES[run.use_case.name] = run.use_case
        return run

    return declare


def running_use_cases() -> tuple[UseCase, ...]:
    """The use cases running now (outermost first); a write outside any is a programming error."""
    cases = _RUNNING.get()
    if not cases:
        raise RuntimeError("Project.write() outside a use case: declare the service function with @use_case(...)")
    return cases


def role_of(row: CoderRow) -> Role:
    return Role[row.role.upper()] if row.role in ROLES else Role.VIEWER


def authorise(session: Session, name: str, cases: tuple[UseCase, ...]) -> CoderRow:
    """The acting coder's row, once their role admits every running use case; Forbidden otherwise."""
    row = acting_coder(session, name)
    for case in cases:
        _admit(row, case.requires, case.action)
    return row


def require(session: Session, requires: Role, action: str) -> None:
    """A check that depends on the data (made inside a write session): the acting coder's role must be in
    ``requires``."""
    _admit(acting(session), requires, action)


def admit(session: Session, name: str, case: UseCase) -> None:
    """Forbidden unless ``name``'s role admits the use case (an unknown name is a coder)."""
    row = find_coder(session, name) or CoderRow(name=name, role="coder")
    _admit(row, case.requires, case.action)


def _admit(row: CoderRow, requires: Role, action: str) -> None:
    role = role_of(row)
    if role in requires:
        return
    if role is Role.VIEWER:
        raise Forbidden(f"coder {row.name!r} is a viewer and cannot {action}: ask an owner for the coder role")
    raise Forbidden(f"coder {row.name!r} is a {row.role}; only an owner can {action}: "
                    "ask an owner, or act with --coder OWNER")


def acting(session: Session) -> CoderRow:
    """The coder acting in a write session (checked when it opened)."""
    return session.info[ACTING]


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


def require_own_codings(session: Session, codings: list[CodingRow], action: str) -> None:
    """A coder may change only their own codings; an owner any."""
    row = acting(session)
    if row.role == "owner":
        return
    others = sorted({c.coder for c in codings if c.coder != row.name})
    if others:
        ids = ", ".join(str(c.id) for c in codings if c.coder != row.name)
        raise Forbidden(f"coder {row.name!r} cannot {action} codings of {', '.join(others)} (coding {ids}): ask an owner")


def check_code_removal(session: Session, code_id: int) -> None:
    """Deleting a code removes its codings: a coder may do it only when they are all theirs."""
    codings = list(session.exec(select(CodingRow).where(CodingRow.code_id == code_id)).all())
    require_own_codings(session, codings, "delete a code with the")


def check_memo_change(session: Session, memo: MemoRow) -> None:
    """A coder changes only their own memos; an owner any."""
    row = acting(session)
    if row.role != "owner" and memo.coder != row.name:
        raise Forbidden(f"memo {memo.id} is {memo.coder!r}'s: coder {row.name!r} may not change it; "
                        f"write a memo of your own, {run('memo.add')}")


def check_undo(session: Session, change: ChangeRow, redo: bool) -> None:
    """Undo/redo of someone else's change is for owners only."""
    row = acting(session)
    if change.coder != row.name and row.role != "owner":
        verb = "redo" if redo else "undo"
        raise Forbidden(f"the change to {verb} ({change.description}) was made by {change.coder!r}: "
                        f"coder {row.name!r} cannot {verb} it; ask an owner")


def blinded_document_ids(session: Session, name: str) -> set[int]:
    """Documents this coder codes blind: there they see only their own codings."""
    query = select(AssignmentRow.document_id).where(AssignmentRow.coder == name, AssignmentRow.blind == True)  # noqa: E712
    return set(session.exec(query).all())


def blind_coding_filter(session: Session, name: str):
    """A SQL condition on codings: not another coder's on a document this coder codes blind."""
    blind = blinded_document_ids(session, name)
    return or_(CodingRow.document_id.not_in(blind), CodingRow.coder == name) if blind else true()
