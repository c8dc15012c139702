"""Coding text: spans labelled with phenomena, their removal and adjustment, and quotations."""

from __future__ import annotations

from sqlmodel import Session, select

from gtcode.domain.levels import Level, parse_number
from gtcode.domain.records import CodingInfo
from gtcode.domain.spans import Span
from gtcode.services.blinding import current_phase, ensure_visible, visible_codings
from gtcode.services.changes import ChangeRecorder
from gtcode.services.codes import find_label, find_or_create, resolve_code
from gtcode.services.documents import document_titles, resolve_document
from gtcode.services.errors import Conflict, Forbidden, GtcodeError, NotFound, where
from gtcode.services.memos import carry_memos, set_memo_in
from gtcode.services.entries import drop_examples_of
from gtcode.services.properties import drop_values_of_codings
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, acting, acting_coder, require_own_codings, use_case
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, EvidenceRow, MemoRow, SlotEvidenceRow


def coding_info(session: Session, coding: CodingRow, project: Project) -> CodingInfo:
    """The frozen record of one coding."""
    return _infos(session, project, [coding])[0]


def _checked_span(document: DocumentRow, start: int, end: int) -> Span:
    try:
        span = Span.within(start, end, len(document.text))
    except GtcodeError as error:
        raise GtcodeError(f"document {document.id}: {error}") from None
    if span.start == span.end:
        raise GtcodeError(f"document {document.id}: the span {start}..{end} is empty: select some text")
    return span


@use_case(WRITER, "code text")
def code_span(project: Project, document_ref: str | int, start: int, end: int, label: str,
              memo: str | None = None, coder: str | None = None, in_vivo: bool | None = None) -> CodingInfo:
    """Code a span with a phenomenon: an existing one by reference or label, else a new ``aN``
    (``coder``: whose coding it is, when an owner enters another coder's work). A new phenomenon is in vivo
    when ``in_vivo`` says so or, unless told, when its label is words of the span itself (the respondent's)."""
    if not label or not label.strip():
        raise GtcodeError("a phenomenon label cannot be empty: type a few words that name what happens")
    with project.write() as session:
        coder = _coding_author(session, coder)
        document = resolve_document(session, document_ref)
        span = _checked_span(document, start, end)
        recorder = ChangeRecorder(session, f"code {label.strip()} in document {document.id}", coder)
        new = project.prefixes.parse_ref(label) is None and find_label(session, Level.PHENOMENON, label) is None
        code = phenomenon(session, project, recorder, label)
        if new:
            quote = document.text[span.start:span.end]
            code.in_vivo = in_vivo if in_vivo is not None else label.strip().casefold() in quote.casefold()
            session.add(code)
        elif in_vivo is not None and bool(code.in_vivo) != in_vivo:
            recorder.touch(code)
            code.in_vivo = in_vivo
            session.add(code)
        refuse_duplicate(session, project, document.id, code, span, coder)
        coding = CodingRow(document_id=document.id, code_id=code.id, start=span.start, end=span.end,
                           quote=document.text[span.start:span.end], coder=coder,
                           phase=current_phase(session))
        session.add(coding)
        recorder.created(coding)
        if memo:
            recorder.created(set_memo_in(session, "coding", coding.id, memo, coder))
        recorder.save()
        return coding_info(session, coding, project)


def _coding_author(session: Session, coder: str | None) -> str:
    """Whose coding a new one is: the acting coder's, or (for an owner) another named coder's."""
    me = acting(session)
    if not coder or coder == me.name:
        return me.name
    if me.role != "owner":
        raise Forbidden(f"coder {me.name!r} cannot code in the name of {coder!r}: only an owner can; code as yourself")
    return acting_coder(session, coder).name


def duplicate_of(session: Session, document_id: int, code_id: int, start: int, end: int, coder: str) -> int | None:
    """The id of the coding that already has this span, code and coder, if any (one of each is kept)."""
    return session.exec(select(CodingRow.id).where(
        CodingRow.document_id == document_id, CodingRow.code_id == code_id, CodingRow.start == start,
        CodingRow.end == end, CodingRow.coder == coder)).first()


def refuse_duplicate(session: Session, project: Project, document_id: int, code: CodeRow, span: Span, coder: str,
                     moving: int | None = None) -> None:
    """Conflict when the coder has coded this span with this code already (other than coding ``moving``)."""
    found = duplicate_of(session, document_id, code.id, span.start, span.end, coder)
    if found is not None and found != moving:
        ref = project.prefixes.ref(Level(code.level), code.number)
        raise Conflict(f"{coder} has coded {span.start}..{span.end} of document {document_id} with {ref} already "
                       f"(coding {found}): nothing was added")


def fold_coding(session: Session, recorder: ChangeRecorder, double: CodingRow, kept: int) -> None:
    """Remove a coding that duplicates coding ``kept``: its evidence and memo move to ``kept`` (undoably)."""
    recorder.repoint(EvidenceRow, "coding_id", double.id, kept, ("relationship_id",))
    recorder.repoint(SlotEvidenceRow, "coding_id", double.id, kept, ("main_id", "slot"))
    kept_memo = session.exec(select(MemoRow).where(MemoRow.target_kind == "coding", MemoRow.target_id == kept)).first()
    for memo in session.exec(select(MemoRow).where(MemoRow.target_kind == "coding", MemoRow.target_id == double.id)):
        recorder.touch(memo)
        if kept_memo is None:
            memo.target_id = kept
            session.add(memo)
        else:
            recorder.touch(kept_memo)
            kept_memo.text = "\n\n".join(t for t in (kept_memo.text, memo.text) if t.strip())
            session.add(kept_memo)
            session.delete(memo)
    session.flush()
    carry_memos(session, recorder, "coding", [double.id], kept)
    drop_values_of_codings(session, recorder, [double.id])
    drop_examples_of(session, recorder, coding_ids=[double.id])
    recorder.touch(double)
    session.delete(double)
    session.flush()


def phenomenon(session: Session, project: Project, recorder: ChangeRecorder, label: str) -> CodeRow:
    """The phenomenon a span is coded with: a reference to one (``a7``), or a label, made when new."""
    parsed = project.prefixes.parse_ref(label)
    if parsed is not None:
        code = resolve_code(session, project.prefixes, label)
        if code.level != Level.PHENOMENON.value:
            raise GtcodeError(f"{label} is a {code.level}: spans are coded with phenomena (then grouped)")
        return code
    return find_or_create(session, recorder, Level.PHENOMENON, label)


def _coding(session: Session, coding_id: int | str, version: int | None = None) -> CodingRow:
    """A coding the acting coder may change (one they see, and unless an owner their own), locked until commit;
    with ``version``, a Conflict unless it is still the version the caller saw."""
    row_id = parse_number(coding_id)
    query = select(CodingRow).where(CodingRow.id == row_id).with_for_update().execution_options(populate_existing=True)
    coding = session.exec(query).first() if row_id is not None else None
    if coding is None:
        if version is not None:
            raise Conflict(f"coding {coding_id} was removed meanwhile (by undo or another coder): reload and look again")
        raise NotFound(f"no coding {coding_id}: list a document's codings {where('show')}")
    ensure_visible(session, session.get(DocumentRow, coding.document_id))
    require_own_codings(session, [coding], "change")
    if version is not None and coding.version != version:
        raise Conflict(f"coding {coding.id} was changed meanwhile (version {coding.version}, you saw {version}): "
                       "reload and look again")
    return coding


@use_case(WRITER, "remove codings")
def uncode(project: Project, coding_id: int | str, version: int | None = None) -> CodingInfo:
    """Remove a coding (its phenomenon stays, even if now unused); ``version`` is the one the caller saw."""
    with project.write() as session:
        coding = _coding(session, coding_id, version)
        info = coding_info(session, coding, project)
        recorder = ChangeRecorder(session, f"remove coding {coding.id}", project.coder)
        remove_coding(session, recorder, coding)
        recorder.save()
        return info


def remove_coding(session: Session, recorder: ChangeRecorder, coding: CodingRow) -> None:
    """Delete a coding with what hangs on it (see :func:`remove_codings`)."""
    remove_codings(session, recorder, [coding])


def remove_codings(session: Session, recorder: ChangeRecorder, codings: list[CodingRow]) -> None:
    """Delete codings with what hangs on them (their memos and links to them, their use as evidence of
    relationships and paradigm slots, their dimension values, their being examples), all recorded so undo
    brings every part back; the one way codings are removed."""
    ids = [coding.id for coding in codings]
    drop_values_of_codings(session, recorder, ids)
    drop_examples_of(session, recorder, coding_ids=ids)
    carry_memos(session, recorder, "coding", ids, None)
    for model in (EvidenceRow, SlotEvidenceRow):
        recorder.delete_where(model, "coding_id", ids)
    recorder.delete(codings)


@use_case(WRITER, "adjust codings")
def adjust(project: Project, coding_id: int | str, start: int, end: int, version: int | None = None) -> CodingInfo:
    """Move a coding's span; the stored quote follows; ``version`` is the one the caller saw."""
    with project.write() as session:
        coding = _coding(session, coding_id, version)
        document = session.get(DocumentRow, coding.document_id)
        span = _checked_span(document, start, end)
        refuse_duplicate(session, project, document.id, session.get(CodeRow, coding.code_id), span, coding.coder,
                         moving=coding.id)
        recorder = ChangeRecorder(session, f"adjust coding {coding.id}", project.coder)
        recorder.touch(coding)
        coding.start, coding.end, coding.quote = span.start, span.end, document.text[span.start:span.end]
        coding.version += 1
        session.add(coding)
        recorder.save()
        return coding_info(session, coding, project)


def descendants(session: Session, code_id: int) -> list[int]:
    """The code and every code below it."""
    found, frontier = [code_id], [code_id]
    while frontier:
        children = session.exec(select(CodeRow.id).where(CodeRow.parent_id.in_(frontier))).all()
        found.extend(children)
        frontier = list(children)
    return found


def quotes(project: Project, ref: str) -> list[CodingInfo]:
    """Every quotation of a code and the codes under it, across documents (constant comparison)."""
    with project.read() as session:
        code = resolve_code(session, project.prefixes, ref)
        ids = descendants(session, code.id)
        query = visible_codings(session, project.coder).where(CodingRow.code_id.in_(ids))
        rows = list(session.exec(query.order_by(CodingRow.document_id, CodingRow.start)).all())
        return _infos(session, project, rows)


def codings_by_id(project: Project, ids) -> list[CodingInfo]:
    """The codings of ``ids`` the coder may see, in document order."""
    with project.read() as session:
        query = visible_codings(session, project.coder).where(CodingRow.id.in_(list(ids)))
        return _infos(session, project, list(session.exec(query.order_by(CodingRow.document_id, CodingRow.start))))


def _infos(session: Session, project: Project, rows: list[CodingRow]) -> list[CodingInfo]:
    codes = {c.id: c for c in session.exec(select(CodeRow).where(CodeRow.id.in_({r.code_id for r in rows})))}
    titles = document_titles(session, {r.document_id for r in rows})
    memos = {
        m.target_id: m.text
        for m in session.exec(select(MemoRow).where(MemoRow.target_kind == "coding",
                                                    MemoRow.target_id.in_([r.id for r in rows])))
    }
    prefixes = project.prefixes
    return [
        CodingInfo(
            id=r.id, document_id=r.document_id, document_title=titles[r.document_id], code_id=r.code_id,
            code_ref=prefixes.ref(Level(codes[r.code_id].level), codes[r.code_id].number),
            code_label=codes[r.code_id].label, start=r.start, end=r.end, quote=r.quote, coder=r.coder,
            created_at=r.created_at, memo=memos.get(r.id, ""), version=r.version,
        )
        for r in rows
    ]


def document_codings(project: Project, document_ref: str | int) -> list[CodingInfo]:
    """A document's codings in text order."""
    with project.read() as session:
        document = resolve_document(session, document_ref)
        rows = session.exec(visible_codings(session, project.coder).where(CodingRow.document_id == document.id)
                            .order_by(CodingRow.start, CodingRow.end)).all()
        return _infos(session, project, list(rows))
