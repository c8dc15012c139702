"""The hold-out rule and the one visibility rule: what a coder may see and where codings may go.

While the theory is built (before ``holdout release``), hold-out documents stay unseen: a hold-out document
is shown only as its id, kind and a neutral title ("hold-out document 7"), never its text, title, source file
or attributes (``documents.document_info`` builds every document record through :func:`is_blinded`), and
every read of codings starts from :func:`visible_codings`, which also hides other coders' codings on
documents a coder codes blind. Writes meet :func:`check_coding_place` at every flush (``Project.write``) and
in undo/redo: no coding or memo goes onto a blinded hold-out document, and no building-phase coding onto a
hold-out document at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, inspect
from sqlmodel import Session, select

from gtcode.services.errors import Forbidden, run, where
from gtcode.store.tables import CodingRow, CodingTallyRow, DocumentRow, MemoLinkRow, MemoRow, ProjectRow


def theory_phase(session: Session) -> bool:
    """True while the theory is being built (before the hold-out is released)."""
    return session.exec(select(ProjectRow.phase)).first() == "building"


def current_phase(session: Session) -> str:
    """The phase new codes and codings belong to: "building", or "saturation" after the release."""
    return "building" if theory_phase(session) else "saturation"


def neutral_title(document_id: int) -> str:
    """What a blinded hold-out document is called: nothing of its title or text."""
    return f"hold-out document {document_id}"


def is_blinded(session: Session, document: DocumentRow, building: bool | None = None) -> bool:
    """Whether a document is in the hold-out while the hold-out is blinded (``building``: the phase, if known)."""
    if document.split != "holdout":
        return False
    return theory_phase(session) if building is None else building


def unseen_message(document_id: int) -> str:
    return (f"document {document_id} is in the hold-out and stays unseen while the theory is built: "
            f"{run('holdout.release')} to start the saturation test")


def ensure_visible(session: Session, document: DocumentRow) -> None:
    """Refuse access to a hold-out document before the hold-out is released."""
    if is_blinded(session, document):
        raise Forbidden(unseen_message(document.id))


def hidden_documents(session: Session):
    """The ids of documents that statistics and exports of the theory leave out right now (the hold-out while
    the theory is built), as a subquery (None when none is hidden): a corpus's hold-out is thousands of ids,
    cheaper for the database to find than to be sent as a list."""
    if not theory_phase(session):
        return None
    return select(DocumentRow.id).where(DocumentRow.split == "holdout")


def hidden_document_ids(session: Session) -> set[int]:
    """Ids of documents that statistics and exports of the theory leave out right now."""
    hidden = hidden_documents(session)
    return set() if hidden is None else set(session.exec(hidden).all())


def visible_codings(session: Session, coder: str, *columns):
    """The query every read of codings starts from: codings (or the given columns) that ``coder`` may see now.

    None on a blinded hold-out document; on a document the coder codes blind, only their own."""
    from gtcode.services.roles import blind_coding_filter

    query = select(*columns) if columns else select(CodingRow)
    hidden = hidden_documents(session)
    if hidden is not None:
        query = query.where(CodingRow.document_id.not_in(hidden))
    return query.where(blind_coding_filter(session, coder))


def visible_coding_counts(session: Session, coder: str) -> tuple[int, int]:
    """(codings, documents with any) that ``coder`` may see now: what :func:`visible_codings` would count, read
    from the coding tally (codings per document and coder, kept by the database: ``gtcode.store.tally``) without
    stepping through the codings: the tally's rows less those on hidden documents and other coders' on documents
    coded blind."""
    from sqlalchemy import distinct, func, or_

    hidden, blind = _unseen(session, coder)
    counted = select(func.coalesce(func.sum(CodingTallyRow.codings), 0), func.count(distinct(CodingTallyRow.document_id)))
    if hidden is not None:
        counted = counted.where(CodingTallyRow.document_id.not_in(hidden))
    if blind:
        counted = counted.where(or_(CodingTallyRow.document_id.not_in(blind), CodingTallyRow.coder == coder))
    codings, coded = session.exec(counted).one()
    return int(codings), coded


def visible_counts_by_code(session: Session, coder: str, code_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Codings that ``coder`` may see, per code (of ``code_ids``, or of every code): what :func:`visible_codings`
    grouped by code counts, read from the code index instead of testing every coding. Codes without any are
    left out."""
    from sqlalchemy import func

    wanted = () if code_ids is None else (CodingRow.code_id.in_(list(code_ids)),)
    counts = _less_unseen(session, coder, _unseen(session, coder), func.count(), *wanted, by=CodingRow.code_id)
    return {code_id: count for code_id, count in counts.items() if count > 0}


def _unseen(session: Session, coder: str):
    """(the hidden documents as a subquery or None, the other documents ``coder`` codes blind)."""
    from gtcode.services.roles import blinded_document_ids

    hidden = hidden_documents(session)
    blind = blinded_document_ids(session, coder)
    if hidden is not None and blind:
        blind -= set(session.exec(hidden.where(DocumentRow.id.in_(blind))).all())
    return hidden, blind


def _less_unseen(session: Session, coder: str, unseen, count, *conditions, by):
    """``count`` of the codings meeting ``conditions``, per value of the column ``by``, that ``coder`` sees: all
    of them less those on hidden documents and other coders' on documents coded blind, each an indexed count
    (the visibility rule's own query tests every coding)."""
    from collections import Counter

    hidden, blind = unseen

    def counted(*more) -> Counter:
        return Counter(dict(session.exec(select(by, count).where(*conditions, *more).group_by(by)).all()))

    counts = counted()
    if hidden is not None:
        counts.subtract(counted(CodingRow.document_id.in_(hidden)))
    if blind:
        counts.subtract(counted(CodingRow.document_id.in_(blind), CodingRow.coder != coder))
    return counts


LIST_CODINGS = f"list a document's codings {where('show')}"


def visible_coding(session: Session, coder: str, coding_id, hint: str | None = None):
    """A coding the coder may see, by id: a coding on a blinded hold-out document is refused as unseen, one the
    coder may not see otherwise (another's blind coding) or none at all is not found."""
    from gtcode.domain.levels import parse_number
    from gtcode.services.errors import NotFound

    number = parse_number(str(coding_id))
    coding = session.get(CodingRow, number) if number is not None else None
    if coding is not None:
        ensure_visible(session, session.get(DocumentRow, coding.document_id))
        coding = session.exec(visible_codings(session, coder).where(CodingRow.id == coding.id)).first()
    if coding is None:
        raise NotFound(f"no coding {coding_id}: {hint or LIST_CODINGS}")
    return coding


def check_coding_place(session: Session, placed: Iterable[tuple[int, str | None]]) -> None:
    """Refuse codings ``(document_id, phase)`` on a blinded hold-out document, or made while building on a
    hold-out document (an undo across the split, an import): the hold-out only ever holds saturation codings.
    A document memo is ``(document_id, None)``: refused while the document is blinded."""
    placed = list(placed)
    if not placed:
        return
    held = set(session.exec(select(DocumentRow.id).where(DocumentRow.split == "holdout",
                                                         DocumentRow.id.in_({d for d, _ in placed}))).all())
    if not held:
        return
    building = theory_phase(session)
    for document_id, phase in placed:
        if document_id in held and (building or phase == "building"):
            reason = "stays untouched while the theory is built" if building else "takes only saturation-phase codings"
            raise Forbidden(f"document {document_id} is in the hold-out and {reason}: nothing was changed")


def guard(session: Session) -> None:
    """Check every coding a write session adds or moves against the hold-out rule, at each flush."""
    event.listen(session, "before_flush", _check_flush)


def _check_flush(session: Session, _context, _instances) -> None:
    placed = [(row.document_id, row.phase) for row in session.new if isinstance(row, CodingRow)]
    placed += [(row.document_id, row.phase) for row in session.dirty
               if isinstance(row, CodingRow) and _moved(row)]
    placed += [(row.target_id, None) for row in (*session.new, *session.dirty)
               if isinstance(row, (MemoRow, MemoLinkRow)) and row.target_kind == "document"]
    with session.no_autoflush:
        check_coding_place(session, placed)


def _moved(row: CodingRow) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in ("document_id", "start", "end", "phase"))
