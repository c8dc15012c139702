"""The theoretical sampling log (Glaser & Strauss 1967; Charmaz 2006, ch. 5): per document, when it was
collected, the wave it belongs to and why it was sampled; editable after import. A blinded hold-out document
shows none of it (like its attributes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from gtcode.services.changes import ChangeRecorder
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import DocumentRow, SamplingRow, utcnow


@dataclass(frozen=True)
class SamplingEntry:
    document_id: int
    title: str
    collected: str
    wave: int | None
    rationale: str


def _date(value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise GtcodeError(f"--collected {value!r}: give a date such as 2024-05-01") from None


@use_case(WRITER, "log theoretical sampling")
def set_sampling(project: Project, document_ref: str | int, collected: str | None = None, wave: int | None = None,
                 rationale: str | None = None, clear_wave: bool = False) -> SamplingEntry:
    """Record when a document was collected, its wave and why it was sampled (what is not given stays; an empty
    date or rationale, and ``clear_wave``, clear that field)."""
    from gtcode.services.documents import resolve_document

    if clear_wave and wave is not None:
        raise GtcodeError(f"wave {wave} and clearing the wave: give one of them")
    with project.write() as session:
        document = resolve_document(session, document_ref)
        row = session.exec(select(SamplingRow).where(SamplingRow.document_id == document.id)).first()
        recorder = ChangeRecorder(session, f"sampling of document {document.id}", project.coder)
        if row is None:
            row = SamplingRow(document_id=document.id, coder=project.coder)
            created = True
        else:
            recorder.touch(row)
            created = False
        if collected is not None:
            row.collected = _date(collected) if collected.strip() else ""
        if wave is not None or clear_wave:
            row.wave = wave
        if rationale is not None:
            row.rationale = rationale.strip()
        row.coder, row.updated_at = project.coder, utcnow()
        session.add(row)
        if created:
            recorder.created(row)
        recorder.save()
        return SamplingEntry(document.id, document.title, row.collected, row.wave, row.rationale)


def sampling_log(project: Project) -> list[SamplingEntry]:
    """Every document's sampling entry, by wave, then collection date, then id (blinded hold-out ones empty)."""
    from gtcode.services.blinding import hidden_document_ids
    from gtcode.services.documents import document_titles

    with project.read() as session:
        hidden = hidden_document_ids(session)
        ids = set(session.exec(select(DocumentRow.id)).all())
        titles = document_titles(session, ids)
        rows = {r.document_id: r for r in session.exec(select(SamplingRow)).all()}
        entries = []
        for doc_id in sorted(ids):
            row = rows.get(doc_id)
            if row is None or doc_id in hidden:
                entries.append(SamplingEntry(doc_id, titles[doc_id], "", None, ""))
            else:
                entries.append(SamplingEntry(doc_id, titles[doc_id], row.collected, row.wave, row.rationale))
        return sorted(entries, key=lambda e: _rank(e.wave, e.collected, e.document_id))


def _rank(wave: int | None, collected: str, document_id: int) -> tuple:
    """The log's order: by wave, then collection date, then id; documents without a wave or date come after."""
    return wave is None, wave or 0, collected or "9999", document_id


def sampling_ranks(session, documents: set[int]) -> dict[int, tuple]:
    """Each document's place in the sampling log's order (the saturation curve can follow it)."""
    rows = {r.document_id: r for r in session.exec(select(SamplingRow).where(SamplingRow.document_id.in_(documents)))}
    return {d: _rank(rows[d].wave, rows[d].collected, d) if d in rows else _rank(None, "", d) for d in documents}
