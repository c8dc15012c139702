"""Disagreements of two coders, side by side, and their resolution (one version, or a merged one, with a memo)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from gtcode.domain.levels import Level
from gtcode.services.blinding import current_phase, visible_codings
from gtcode.services.changes import ChangeRecorder
from gtcode.services.errors import GtcodeError, NotFound
from gtcode.services.documents import document_titles
from gtcode.services.memos import set_memo_in
from gtcode.services.project import Project
from gtcode.services.roles import Role, use_case
from gtcode.store.tables import AssignmentRow, CodeRow, CodingRow, DocumentRow, MemoRow

KEEP = ("first", "second", "merged")


@dataclass(frozen=True)
class Side:
    coder: str
    coding_ids: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    document_id: int
    document_title: str
    code_ref: str
    code_label: str
    start: int  # the stretch of text both sides cover together
    end: int
    first: Side
    second: Side


@dataclass(frozen=True)
class Compared:
    """The material coders are compared on: the documents at least two of them coded, none still coded blind. Where
    documents are assigned to two or more of these coders (`gtcode assign`), only those documents: the
    assignment says which material is coded twice, so material the team shared out (such as the hold-out coded
    for the saturation check, one quotation by one coder and the next by another) is no disagreement."""

    rows: list[CodingRow]  # their visible codings there, by document, code, start
    documents: tuple[int, ...]
    blind_documents: tuple[int, ...]  # left out: still coded blind


def compared_codings(session, coder: str, names: list[str]) -> Compared:
    """What agreement and disagreements of coders ``names`` compare, as ``coder`` may see it."""
    blind = set(session.exec(select(AssignmentRow.document_id).where(AssignmentRow.blind == True)).all())  # noqa: E712
    query = visible_codings(session, coder).where(CodingRow.coder.in_(names))
    if blind:  # comparing is for documents no one codes blind any more
        query = query.where(CodingRow.document_id.not_in(blind))
    rows = list(session.exec(query.order_by(CodingRow.document_id, CodingRow.code_id, CodingRow.start)).all())
    coded_by: dict[int, set[str]] = {}
    for row in rows:
        coded_by.setdefault(row.document_id, set()).add(row.coder)
    shared = {document for document, who in coded_by.items() if len(who) >= 2}
    assigned: dict[int, set[str]] = {}
    for document, name in session.exec(select(AssignmentRow.document_id, AssignmentRow.coder)
                                       .where(AssignmentRow.coder.in_(names))).all():
        assigned.setdefault(document, set()).add(name)
    twice = {document for document, who in assigned.items() if len(who) >= 2}
    if twice:
        shared &= twice
    return Compared([row for row in rows if row.document_id in shared], tuple(sorted(shared)), tuple(sorted(blind)))


def disagreements(project: Project, first: str, second: str) -> list[Disagreement]:
    """Where the two coders coded a code differently, on the documents both coded: overlapping codings grouped,
    by document and position."""
    if first == second:
        raise GtcodeError("compare two different coders")
    with project.read() as session:
        rows = compared_codings(session, project.coder, [first, second]).rows
        codes = {c.id: c for c in session.exec(select(CodeRow).where(CodeRow.id.in_({r.code_id for r in rows})))}
        titles = document_titles(session, {r.document_id for r in rows})
    found = []
    for cluster in _clusters(rows):
        sides = [[c for c in cluster if c.coder == name] for name in (first, second)]
        if {(c.start, c.end) for c in sides[0]} == {(c.start, c.end) for c in sides[1]}:
            continue
        code, head = codes[cluster[0].code_id], cluster[0]
        found.append(Disagreement(
            head.document_id, titles[head.document_id], project.prefixes.ref(Level(code.level), code.number),
            code.label, min(c.start for c in cluster), max(c.end for c in cluster),
            *(_side(name, side) for name, side in zip((first, second), sides)),
        ))
    return found


def first_two_coders(project: Project) -> tuple[str, str]:
    """The first two coders (by name) whose codings this coder sees: the default pair to compare."""
    with project.read() as session:
        names = sorted(set(session.exec(visible_codings(session, project.coder, CodingRow.coder)).all()))
    if len(names) < 2:
        raise GtcodeError("only one coder has coded: nothing to compare yet")
    return names[0], names[1]


def _clusters(rows: list[CodingRow]) -> list[list[CodingRow]]:
    """Codings of one code in one document that overlap, chained; rows come sorted by document, code, start."""
    clusters: list[list[CodingRow]] = []
    reach = -1
    for row in rows:
        current = clusters[-1] if clusters else None
        if current and (current[0].document_id, current[0].code_id) == (row.document_id, row.code_id) and row.start < reach:
            current.append(row)
            reach = max(reach, row.end)
        else:
            clusters.append([row])
            reach = row.end
    return clusters


def _side(name: str, codings: list[CodingRow]) -> Side:
    return Side(name, tuple(c.id for c in codings), tuple((c.start, c.end) for c in codings),
                tuple(c.quote for c in codings))


@use_case(Role.OWNER, "resolve disagreements")
def resolve(project: Project, item: Disagreement, keep: str, memo: str = "") -> int:
    """Settle a disagreement (owners only): both coders' codings there become the kept version (one side's
    spans, or one span over both); the decision is the memo of the first coding. Returns that coding's id.
    Measure agreement before resolving: resolved codings agree by construction."""
    if keep not in KEEP:
        raise GtcodeError(f"keep {keep!r} is unknown: choose {', '.join(KEEP)}")
    spans = {"first": item.first.spans, "second": item.second.spans}.get(keep, ((item.start, item.end),))
    with project.write() as session:
        ids = item.first.coding_ids + item.second.coding_ids
        rows = {c.id: c for c in session.exec(select(CodingRow).where(CodingRow.id.in_(ids))).all()}
        if len(rows) != len(ids):
            raise NotFound("these codings changed since they were compared: reload the comparison")
        recorder = ChangeRecorder(session, f"resolve {item.code_ref} in document {item.document_id} ({keep})", project.coder)
        document = session.get(DocumentRow, item.document_id)
        code_id = rows[ids[0]].code_id
        result = []
        for side in (item.first, item.second):
            result += _make_side(session, recorder, document, code_id, side.coder,
                                 [rows[i] for i in side.coding_ids], spans)
        if memo.strip() and result:
            existing = session.exec(select(MemoRow).where(MemoRow.target_kind == "coding",
                                                          MemoRow.target_id == result[0].id)).first()
            if existing is not None:
                recorder.touch(existing)
            written = set_memo_in(session, "coding", result[0].id, memo.strip(), project.coder)
            if existing is None:
                recorder.created(written)
        recorder.save()
        return result[0].id if result else 0


def _make_side(session, recorder: ChangeRecorder, document: DocumentRow, code_id: int, coder: str,
               rows: list[CodingRow], spans) -> list[CodingRow]:
    """One coder's codings of the code, reshaped to the kept spans (adjusted, added or removed)."""
    result = []
    for index, (start, end) in enumerate(spans):
        if index < len(rows):
            row = rows[index]
            recorder.touch(row)
            row.start, row.end, row.quote = start, end, document.text[start:end]
            session.add(row)
        else:
            row = CodingRow(document_id=document.id, code_id=code_id, start=start, end=end,
                            quote=document.text[start:end], coder=coder, phase=current_phase(session))
            session.add(row)
            recorder.created(row)
        result.append(row)
    for row in rows[len(spans):]:
        for note in session.exec(select(MemoRow).where(MemoRow.target_kind == "coding", MemoRow.target_id == row.id)):
            recorder.touch(note)
            session.delete(note)
        recorder.touch(row)
        session.delete(row)
    return result
