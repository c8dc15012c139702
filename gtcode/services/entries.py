"""Codebook entries (MacQueen, McLellan, Kay & Milstein 1998): a code's definition, when to use it, when not,
and typical and atypical examples (codings of the code or of codes under it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from gtcode.domain.levels import Level
from gtcode.services.blinding import visible_coding, visible_codings
from gtcode.services.changes import ChangeRecorder
from gtcode.services.errors import GtcodeError, where
from gtcode.services.project import Project
from gtcode.store.tables import CodeExampleRow, CodeRow, CodingRow

EXAMPLE_KINDS = ("typical", "atypical")


@dataclass(frozen=True)
class Example:
    coding_id: int
    kind: str  # typical | atypical
    document_id: int
    quote: str


@dataclass(frozen=True)
class CodeEntry:
    """A code's codebook entry as the coder may see it (examples on unseen codings left out)."""

    ref: str
    label: str
    definition: str
    when_to_use: str
    when_not_to_use: str
    examples: tuple[Example, ...]


def set_examples_in(session: Session, project: Project, recorder: ChangeRecorder, code: CodeRow,
                    coding_ids: list[int], kind: str) -> None:
    """Make codings examples of a code (inside a unit of work): each must be a visible coding of the code or of a
    code under it; an example already there takes the new kind."""
    from gtcode.services.properties import ancestors

    ref = project.prefixes.ref(Level(code.level), code.number)
    for coding_id in coding_ids:
        coding = visible_coding(session, project.coder, coding_id, f"list a code's quotations {where('quotes', ref)}")
        if code.id not in ancestors(session, coding.code_id):
            raise GtcodeError(f"coding {coding_id} is not a quotation of {ref} or of a code under it: "
                              f"pick one of those listed {where('quotes', ref)}")
        row = session.exec(select(CodeExampleRow).where(CodeExampleRow.code_id == code.id,
                                                        CodeExampleRow.coding_id == coding_id)).first()
        recorder.put(row, CodeExampleRow, dict(code_id=code.id, coding_id=coding_id), kind=kind)


def drop_examples_of(session: Session, recorder: ChangeRecorder, *, code_id: int | None = None,
                     coding_ids: list[int] | None = None) -> None:
    """Before a code or codings are deleted: their examples go too, recorded so undo brings them back."""
    query = select(CodeExampleRow)
    if code_id is not None:
        query = query.where(CodeExampleRow.code_id == code_id)
    if coding_ids is not None:
        if not coding_ids:
            return
        query = query.where(CodeExampleRow.coding_id.in_(coding_ids))
    for row in session.exec(query).all():
        recorder.touch(row)
        session.delete(row)
    session.flush()


def examples_by_code(session: Session, coder: str) -> dict[int, list[Example]]:
    """Every code's examples on codings the coder may see, typical first, in coding order."""
    query = visible_codings(session, coder, CodeExampleRow.code_id, CodeExampleRow.kind, CodingRow.id,
                            CodingRow.document_id, CodingRow.quote) \
        .join(CodeExampleRow, CodeExampleRow.coding_id == CodingRow.id).order_by(CodingRow.id)
    found: dict[int, list[Example]] = {}
    for code_id, kind, coding_id, document_id, quote in session.exec(query).all():
        found.setdefault(code_id, []).append(Example(coding_id, kind, document_id, quote))
    for items in found.values():
        items.sort(key=lambda e: EXAMPLE_KINDS.index(e.kind) if e.kind in EXAMPLE_KINDS else 2)
    return found


def code_entry(project: Project, ref: str) -> CodeEntry:
    """The codebook entry of a code."""
    from gtcode.services.codes import resolve_code

    with project.read() as session:
        row = resolve_code(session, project.prefixes, ref)
        examples = examples_by_code(session, project.coder).get(row.id, [])
        return CodeEntry(project.prefixes.ref(Level(row.level), row.number), row.label, row.definition,
                         row.when_to_use, row.when_not_to_use, tuple(examples))
