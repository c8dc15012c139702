"""Memos on the project, documents, codings, codes and relationships."""

from __future__ import annotations

from sqlmodel import Session, select

from gtcode.domain.levels import Level, parse_number
from gtcode.domain.records import MemoInfo
from gtcode.services.blinding import hidden_document_ids, visible_codings
from gtcode.services.changes import ChangeRecorder
from gtcode.services.errors import GtcodeError, NotFound
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, check_memo_change, use_case
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, MemoRow, RelationshipRow, utcnow

KINDS = ("project", "document", "coding", "code", "relationship", "storyline")


def set_memo_in(session: Session, kind: str, target_id: int | None, text: str, coder: str) -> MemoRow:
    """Write the memo of a target (one memo per target and kind), inside a unit of work."""
    memo = session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id == target_id)).first()
    if memo is None:
        memo = MemoRow(target_kind=kind, target_id=target_id, text=text, coder=coder)
    else:
        memo.text, memo.coder, memo.updated_at = text, coder, utcnow()
    session.add(memo)
    session.flush()
    return memo


def resolve_target(session: Session, project: Project, target: str) -> tuple[str, int | None, str]:
    """A memo target from ``doc:3``, ``coding:12``, ``R2``, ``project`` or a code reference/label."""
    from gtcode.services.codes import resolve_code
    from gtcode.services.documents import resolve_document

    text = target.strip()
    kind, sep, rest = text.partition(":")
    if text in ("project", "storyline"):
        return text, None, text
    if sep and kind in ("doc", "document"):
        doc = resolve_document(session, rest)
        return "document", doc.id, doc.title
    if sep and kind == "coding":
        coding = session.get(CodingRow, number) if (number := parse_number(rest)) is not None else None
        if coding is None:
            raise NotFound(f"no coding {rest}: list a document's codings with `gtcode show DOC`")
        from gtcode.services.blinding import ensure_visible

        ensure_visible(session, session.get(DocumentRow, coding.document_id))
        return "coding", coding.id, f"coding {coding.id}"
    if text[:1] == "R" and text[1:].isdigit():
        number = parse_number(text[1:])
        rel = None if number is None else \
            session.exec(select(RelationshipRow).where(RelationshipRow.number == number)).first()
        if rel is None:
            raise NotFound(f"no relationship {text}: list them with `gtcode relations`")
        return "relationship", rel.id, text
    code = resolve_code(session, project.prefixes, text)
    return "code", code.id, f"{project.prefixes.ref(Level(code.level), code.number)} {code.label}"


@use_case(WRITER, "write memos")
def write_memo(project: Project, target: str, text: str) -> MemoInfo:
    """Set the memo of a target (`project`, `doc:ID`, `coding:ID`, a code, `R1`)."""
    if not text.strip():
        raise GtcodeError("a memo cannot be empty: write what you noticed")
    with project.write() as session:
        kind, target_id, label = resolve_target(session, project, target)
        check_memo_change(session, kind, target_id)
        recorder = ChangeRecorder(session, f"memo on {label}", project.coder)
        existing = session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id == target_id)).first()
        if existing is not None:
            recorder.touch(existing)
        memo = set_memo_in(session, kind, target_id, text, project.coder)
        if existing is None:
            recorder.created(memo)
        recorder.save()
        return MemoInfo(memo.id, kind, target_id, label, memo.text, memo.coder, memo.updated_at)


def list_memos(project: Project) -> list[MemoInfo]:
    """Every memo the coder may see across the project, newest first."""
    with project.read() as session:
        hidden = hidden_document_ids(session)
        memos = session.exec(select(MemoRow).order_by(MemoRow.updated_at.desc())).all()
        on_codings = {m.target_id for m in memos if m.target_kind == "coding"}
        seen = set(session.exec(visible_codings(session, project.coder, CodingRow.id)
                                .where(CodingRow.id.in_(on_codings))).all()) if on_codings else set()
        result = []
        for memo in memos:
            if (memo.target_kind == "document" and memo.target_id in hidden) or \
                    (memo.target_kind == "coding" and memo.target_id not in seen):
                continue
            label = _label(session, project, memo)
            if label is not None:
                result.append(MemoInfo(memo.id, memo.target_kind, memo.target_id, label, memo.text, memo.coder,
                                       memo.updated_at))
        return result


def _label(session: Session, project: Project, memo: MemoRow) -> str | None:
    if memo.target_kind in ("project", "storyline"):
        return memo.target_kind
    model = {"document": DocumentRow, "coding": CodingRow, "code": CodeRow, "relationship": RelationshipRow}[memo.target_kind]
    row = session.get(model, memo.target_id)
    if row is None:
        return None
    if isinstance(row, DocumentRow):
        return row.title
    if isinstance(row, CodeRow):
        return f"{project.prefixes.ref(Level(row.level), row.number)} {row.label}"
    if isinstance(row, RelationshipRow):
        return f"R{row.number}"
    return f"coding {row.id}"


def memo_of(project: Project, target: str) -> MemoInfo | None:
    """The memo of a target, if any."""
    with project.read() as session:
        kind, target_id, label = resolve_target(session, project, target)
        memo = session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id == target_id)).first()
        return MemoInfo(memo.id, kind, target_id, label, memo.text, memo.coder, memo.updated_at) if memo else None
