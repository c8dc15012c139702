"""The hold-out rule: while the theory is built, hold-out documents stay unseen."""

from __future__ import annotations

from sqlmodel import Session

from gtcode.services.errors import Forbidden
from gtcode.services.project import project_row
from gtcode.store.tables import DocumentRow


def theory_phase(session: Session) -> bool:
    """True while the theory is being built (before the hold-out is released)."""
    return project_row(session).phase == "building"


def current_phase(session: Session) -> str:
    """The phase new codes and codings belong to: "building", or "saturation" after the release."""
    return "building" if theory_phase(session) else "saturation"


def ensure_visible(session: Session, document: DocumentRow) -> None:
    """Refuse access to a hold-out document before the hold-out is released."""
    if document.split == "holdout" and theory_phase(session):
        raise Forbidden(
            f"document {document.id} ({document.title}) is in the hold-out and stays unseen while the theory "
            "is built: run `gtcode holdout release` to start the saturation test"
        )


def hidden_document_ids(session: Session) -> set[int]:
    """Ids of documents that statistics and exports of the theory leave out right now."""
    from sqlmodel import select

    if not theory_phase(session):
        return set()
    return set(session.exec(select(DocumentRow.id).where(DocumentRow.split == "holdout")).all())
