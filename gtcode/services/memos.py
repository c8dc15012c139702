"""The memo workspace: memos on the project, documents, codings, codes, relationships and the story line.

A target holds any number of memos, each with a title, a type (Strauss & Corbin's code, theoretical and
operational notes, or a free memo), its author and dates, and links to more codes, codings, documents (or a
text position in one) and relationships. Coders change only their own memos (owners any). Reads go through
the visibility rule: a memo on a blinded hold-out document or on a coding the coder may not see is not shown,
and neither is a link to one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from gtcode.domain.levels import Level, parse_number
from gtcode.domain.records import MEMO_TYPES, MemoInfo, MemoLinkInfo
from gtcode.services.blinding import hidden_document_ids, visible_coding, visible_codings
from gtcode.services.changes import ChangeRecorder, in_chunks
from gtcode.services.errors import GtcodeError, NotFound, run, where
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, check_memo_change, use_case
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, MemoLinkRow, MemoRow, RelationshipRow, utcnow

KINDS = ("project", "document", "coding", "code", "relationship", "storyline")
LINK_KINDS = ("code", "coding", "document", "relationship")
_POSITION = re.compile(r"^(?:doc|document):(?P<doc>[^@]+)@(?P<start>\d+)-(?P<end>\d+)$")


def default_type(kind: str) -> str:
    """The type a memo on a target gets unless told: a code note on a code, a theoretical note on the story line
    or a relationship, else a free memo."""
    return {"code": "code", "storyline": "theoretical", "relationship": "theoretical"}.get(kind, "free")


def check_type(memo_type: str) -> str:
    value = memo_type.strip().lower()
    if value not in MEMO_TYPES:
        raise GtcodeError(f"unknown memo type {memo_type!r}: use one of {', '.join(MEMO_TYPES)}")
    return value


def set_memo_in(session: Session, kind: str, target_id: int | None, text: str, coder: str) -> MemoRow:
    """Write the one memo of a target that has one (the story line, a coding's decision, an imported note),
    inside a unit of work: the first memo there is rewritten, or a new one made."""
    memo = session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id == target_id)
                        .order_by(MemoRow.id)).first()
    if memo is None:
        memo = MemoRow(target_kind=kind, target_id=target_id, text=text, coder=coder, type=default_type(kind))
    else:
        memo.text, memo.coder, memo.updated_at = text, coder, utcnow()
    session.add(memo)
    session.flush()
    return memo


def memo_texts(session: Session, kind: str, target_id: int | None = None) -> dict[int | None, str]:
    """The memos on each target of a kind as one text (oldest first, blank-line separated): what a model or
    codebook file carries as a code's or relationship's memo."""
    query = select(MemoRow).where(MemoRow.target_kind == kind).order_by(MemoRow.id)
    if target_id is not None:
        query = query.where(MemoRow.target_id == target_id)
    texts: dict[int | None, list[str]] = {}
    for memo in session.exec(query):
        texts.setdefault(memo.target_id, []).append(memo.text)
    return {key: "\n\n".join(parts) for key, parts in texts.items()}


def drop_memos(session: Session, recorder: ChangeRecorder, memos: Iterable[MemoRow]) -> None:
    """Delete memos with their links, recorded so undo brings both back: the one way a memo goes."""
    memos = list(memos)
    recorder.delete_where(MemoLinkRow, "memo_id", [memo.id for memo in memos])
    recorder.delete(memos)


def carry_memos(session: Session, recorder: ChangeRecorder, kind: str, old: Iterable[int], new: int | None) -> None:
    """What is written about targets of ``kind`` that go: the memos on them and the links to them move to ``new``
    (a merge; a link its memo has to ``new`` already is dropped), or go with them when ``new`` is None (a memo
    linked to them stays, about the rest). Recorded, so undo brings every part back."""
    def links_to(ids) -> list[MemoLinkRow]:
        return list(session.exec(select(MemoLinkRow).where(MemoLinkRow.target_kind == kind,
                                                           MemoLinkRow.target_id.in_(ids))).all())

    had = set() if new is None else {(link.memo_id, link.start, link.end) for link in links_to([new])}
    for ids in in_chunks(list(old)):
        memos = session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id.in_(ids))).all()
        if new is None:
            drop_memos(session, recorder, memos)  # first: their own links go with them
            recorder.delete(links_to(ids))
            continue
        for memo in memos:
            recorder.touch(memo)
            memo.target_id = new
            session.add(memo)
        for link in links_to(ids):
            recorder.touch(link)
            if (link.memo_id, link.start, link.end) in had:
                session.delete(link)
            else:
                had.add((link.memo_id, link.start, link.end))
                link.target_id = new
                session.add(link)
    session.flush()


@dataclass(frozen=True)
class _Target:
    kind: str
    target_id: int | None
    label: str
    ref: str
    start: int | None = None
    end: int | None = None
    document_id: int | None = None


def _resolve(session: Session, project: Project, target: str, positions: bool = False) -> _Target:
    """A target from ``project``, ``storyline``, ``doc:3`` (``doc:3@10-24`` with ``positions``), ``coding:12``,
    ``R2`` or a code reference/label."""
    from gtcode.services.codes import resolve_code
    from gtcode.services.documents import resolve_document

    text = target.strip()
    kind, sep, rest = text.partition(":")
    if text in ("project", "storyline"):
        return _Target(text, None, text, text)
    if sep and kind in ("doc", "document") and (found := _POSITION.match(text)):
        doc = resolve_document(session, found["doc"])
        start, end = int(found["start"]), int(found["end"])
        if not positions:
            raise GtcodeError(f"{text!r}: a memo's target is the document doc:{doc.id}; link the text position "
                              f"with the memo's links: {run('memo.link', 'MEMO', text)}")
        if not 0 <= start < end <= len(doc.text):
            raise GtcodeError(f"text position {start}-{end} is outside document {doc.id} (0-{len(doc.text)}): "
                              "give start < end within the text")
        return _Target("document", doc.id, f"{doc.title} {start}-{end}", f"doc:{doc.id}@{start}-{end}", start, end,
                       doc.id)
    if sep and kind in ("doc", "document"):
        doc = resolve_document(session, rest)
        return _Target("document", doc.id, doc.title, f"doc:{doc.id}", document_id=doc.id)
    if sep and kind == "coding":
        coding = visible_coding(session, project.coder, rest)
        return _Target("coding", coding.id, f"coding {coding.id}", f"coding:{coding.id}", document_id=coding.document_id)
    if text[:1] == "R" and text[1:].isdigit():
        number = parse_number(text[1:])
        rel = None if number is None else \
            session.exec(select(RelationshipRow).where(RelationshipRow.number == number)).first()
        if rel is None:
            raise NotFound(f"no relationship {text}: list them {where('relations')}")
        return _Target("relationship", rel.id, text, text)
    code = resolve_code(session, project.prefixes, text)
    ref = project.prefixes.ref(Level(code.level), code.number)
    return _Target("code", code.id, f"{ref} {code.label}", ref)


def resolve_target(session: Session, project: Project, target: str) -> tuple[str, int | None, str]:
    """A memo target as (kind, id, label)."""
    found = _resolve(session, project, target)
    return found.kind, found.target_id, found.label


class _Seen:
    """What the acting coder may see of memo targets now (the visibility rule, asked once per read)."""

    def __init__(self, session: Session, project: Project, memos: Iterable[MemoRow], links: Iterable[MemoLinkRow]):
        self.hidden = hidden_document_ids(session)
        on_codings = {m.target_id for m in memos if m.target_kind == "coding"} | \
                     {link.target_id for link in links if link.target_kind == "coding"}
        self.codings = set(session.exec(visible_codings(session, project.coder, CodingRow.id)
                                        .where(CodingRow.id.in_(on_codings))).all()) if on_codings else set()

    def sees(self, kind: str, target_id: int | None) -> bool:
        if kind == "document":
            return target_id not in self.hidden
        if kind == "coding":
            return target_id in self.codings
        return True


def _label(session: Session, project: Project, kind: str, target_id: int | None) -> tuple[str, str, int | None] | None:
    """(label, ref, document id) of a target that still exists, or None."""
    if kind in ("project", "storyline"):
        return kind, kind, None
    model = {"document": DocumentRow, "coding": CodingRow, "code": CodeRow, "relationship": RelationshipRow}.get(kind)
    row = session.get(model, target_id) if model is not None and target_id is not None else None
    if row is None:
        return None
    if isinstance(row, DocumentRow):
        return row.title, f"doc:{row.id}", row.id
    if isinstance(row, CodeRow):
        ref = project.prefixes.ref(Level(row.level), row.number)
        return f"{ref} {row.label}", ref, None
    if isinstance(row, RelationshipRow):
        return f"R{row.number}", f"R{row.number}", None
    return f"coding {row.id}", f"coding:{row.id}", row.document_id


def _links(session: Session, memo_ids: list[int]) -> dict[int, list[MemoLinkRow]]:
    found: dict[int, list[MemoLinkRow]] = {}
    if memo_ids:
        for link in session.exec(select(MemoLinkRow).where(MemoLinkRow.memo_id.in_(memo_ids)).order_by(MemoLinkRow.id)):
            found.setdefault(link.memo_id, []).append(link)
    return found


def _info(session: Session, project: Project, memo: MemoRow, links: list[MemoLinkRow], seen: _Seen) -> MemoInfo | None:
    """A memo's record, or None when its target is gone or unseen; links to what is unseen are left out."""
    if not seen.sees(memo.target_kind, memo.target_id):
        return None
    target = _label(session, project, memo.target_kind, memo.target_id)
    if target is None:
        return None
    shown = []
    for link in links:
        named = _label(session, project, link.target_kind, link.target_id) if seen.sees(link.target_kind, link.target_id) else None
        if named is None:
            continue
        label, ref, document_id = named
        if link.start is not None:
            label, ref = f"{label} {link.start}-{link.end}", f"{ref}@{link.start}-{link.end}"
        shown.append(MemoLinkInfo(link.target_kind, link.target_id, label, ref, link.start, link.end, document_id))
    return MemoInfo(memo.id, memo.target_kind, memo.target_id, target[0], memo.text, memo.coder, memo.updated_at,
                    title=memo.title, type=memo.type, created_at=memo.created_at, links=tuple(shown),
                    target_ref=target[1], document_id=target[2])


def _memo_row(session: Session, project: Project, memo_id: int) -> MemoRow:
    """A memo the acting coder may see, by id."""
    memo = session.get(MemoRow, memo_id)
    if memo is None or _info(session, project, memo, [], _Seen(session, project, [memo], [])) is None:
        raise NotFound(f"no memo {memo_id}: list them {where('memo.list')}")
    return memo


def _add_links(session: Session, project: Project, memo: MemoRow, refs: Iterable[str],
               recorder: ChangeRecorder) -> None:
    have = {(link.target_kind, link.target_id, link.start, link.end)
            for link in session.exec(select(MemoLinkRow).where(MemoLinkRow.memo_id == memo.id))}
    for ref in refs:
        target = _resolve(session, project, ref, positions=True)
        if target.kind not in LINK_KINDS:
            raise GtcodeError(f"a memo links codes, codings, documents and relationships, not {ref!r}")
        key = (target.kind, target.target_id, target.start, target.end)
        if key in have:
            continue
        have.add(key)
        link = MemoLinkRow(memo_id=memo.id, target_kind=target.kind, target_id=target.target_id,
                           start=target.start, end=target.end)
        session.add(link)
        recorder.created(link)


def _text(text: str) -> str:
    if not text.strip():
        raise GtcodeError("a memo cannot be empty: write what you noticed")
    return text


@use_case(WRITER, "write memos")
def add_memo(project: Project, target: str, text: str, title: str = "", memo_type: str | None = None,
             links: Iterable[str] = ()) -> MemoInfo:
    """A new memo on a target (`project`, `storyline`, `doc:ID`, `coding:ID`, a code, `R1`), with links."""
    text = _text(text)
    with project.write() as session:
        target_ = _resolve(session, project, target)
        kind = check_type(memo_type) if memo_type else default_type(target_.kind)
        recorder = ChangeRecorder(session, f"memo on {target_.label}", project.coder)
        memo = MemoRow(target_kind=target_.kind, target_id=target_.target_id, text=text, coder=project.coder,
                       title=title.strip(), type=kind)
        session.add(memo)
        recorder.created(memo)
        _add_links(session, project, memo, links, recorder)
        recorder.save()
        return _read_back(session, project, memo)


def _read_back(session: Session, project: Project, memo: MemoRow) -> MemoInfo:
    session.flush()
    return _info(session, project, memo, _links(session, [memo.id]).get(memo.id, []),
                 _Seen(session, project, [memo], _links(session, [memo.id]).get(memo.id, [])))


@use_case(WRITER, "write memos")
def edit_memo(project: Project, memo_id: int, text: str | None = None, title: str | None = None,
              memo_type: str | None = None) -> MemoInfo:
    """Change a memo's text, title or type (a coder only their own)."""
    with project.write() as session:
        memo = _memo_row(session, project, memo_id)
        check_memo_change(session, memo)
        recorder = ChangeRecorder(session, f"memo {memo.id} edited", project.coder)
        recorder.touch(memo)
        if text is not None:
            memo.text = _text(text)
        if title is not None:
            memo.title = title.strip()
        if memo_type is not None:
            memo.type = check_type(memo_type)
        memo.updated_at = utcnow()
        session.add(memo)
        recorder.save()
        return _read_back(session, project, memo)


@use_case(WRITER, "write memos")
def link_memo(project: Project, memo_id: int, targets: Iterable[str], remove: bool = False) -> MemoInfo:
    """Link a memo to codes, codings, documents, text positions (`doc:3@10-24`) or relationships, or unlink."""
    targets = list(targets)
    with project.write() as session:
        resolved = [_resolve(session, project, t, positions=True) for t in targets]  # a bad target names itself first
        memo = _memo_row(session, project, memo_id)
        check_memo_change(session, memo)
        recorder = ChangeRecorder(session, f"links of memo {memo.id}", project.coder)
        if remove:
            for target in resolved:
                for link in session.exec(select(MemoLinkRow).where(
                        MemoLinkRow.memo_id == memo.id, MemoLinkRow.target_kind == target.kind,
                        MemoLinkRow.target_id == target.target_id, MemoLinkRow.start == target.start
                        if target.start is not None else MemoLinkRow.start.is_(None))).all():
                    recorder.touch(link)
                    session.delete(link)
        else:
            _add_links(session, project, memo, targets, recorder)
        recorder.touch(memo)
        memo.updated_at = utcnow()
        session.add(memo)
        recorder.save()
        return _read_back(session, project, memo)


@use_case(WRITER, "write memos")
def delete_memo(project: Project, memo_id: int) -> MemoInfo:
    """Remove a memo and its links (undoable)."""
    with project.write() as session:
        memo = _memo_row(session, project, memo_id)
        check_memo_change(session, memo)
        info = _read_back(session, project, memo)
        recorder = ChangeRecorder(session, f"memo {memo.id} deleted", project.coder)
        drop_memos(session, recorder, [memo])
        recorder.save()
        return info


@use_case(WRITER, "write memos")
def write_memo(project: Project, target: str, text: str) -> MemoInfo:
    """Write the acting coder's memo on a target: their newest one there is rewritten, else a new one is made
    (other coders' memos on the target are left as they are)."""
    text = _text(text)
    with project.write() as session:
        target_ = _resolve(session, project, target)
        memo = _own_memo(session, project, target_.kind, target_.target_id)
        if memo is None:
            memo = MemoRow(target_kind=target_.kind, target_id=target_.target_id, text=text, coder=project.coder,
                           type=default_type(target_.kind))
            recorder = ChangeRecorder(session, f"memo on {target_.label}", project.coder)
            session.add(memo)
            recorder.created(memo)
        else:
            recorder = ChangeRecorder(session, f"memo on {target_.label}", project.coder)
            recorder.touch(memo)
            memo.text, memo.updated_at = text, utcnow()
            session.add(memo)
        recorder.save()
        return _read_back(session, project, memo)


def _own_memo(session: Session, project: Project, kind: str, target_id: int | None) -> MemoRow | None:
    return session.exec(select(MemoRow).where(MemoRow.target_kind == kind, MemoRow.target_id == target_id,
                                              MemoRow.coder == project.coder).order_by(MemoRow.id.desc())).first()


def get_memo(project: Project, memo_id: int) -> MemoInfo:
    """One memo the coder may see, with its links."""
    with project.read() as session:
        return _read_back(session, project, _memo_row(session, project, memo_id))


def list_memos(project: Project, memo_type: str | None = None, target: str | None = None,
               author: str | None = None, contains: str | None = None,
               connotations: bool = True) -> list[MemoInfo]:
    """Every memo the coder may see, newest first, with the relationships' connotations (Table 5) among them;
    filtered by type, by a target (the memo's own or a linked one), by author and by text (title or body)."""
    with project.read() as session:
        wanted = None
        if target:
            found = _resolve(session, project, target)
            wanted = (found.kind, found.target_id)
        memos = list(session.exec(select(MemoRow).order_by(MemoRow.updated_at.desc(), MemoRow.id.desc())).all())
        links = _links(session, [m.id for m in memos])
        seen = _Seen(session, project, memos, [link for group in links.values() for link in group])
        result = [info for memo in memos
                  if (info := _info(session, project, memo, links.get(memo.id, []), seen)) is not None]
        if connotations:
            result += _connotations(session)
        return [m for m in result if _matches(m, memo_type, wanted, author, contains)]


def _connotations(session: Session) -> list[MemoInfo]:
    """Relationships' memos (their connotation, Table 5), kept on the relationship row."""
    rows = session.exec(select(RelationshipRow).where(RelationshipRow.memo != "").order_by(RelationshipRow.number))
    return [MemoInfo(None, "relationship", row.id, f"R{row.number}", row.memo, "", row.created_at,
                     title="connotation", type="theoretical", created_at=row.created_at, target_ref=f"R{row.number}")
            for row in rows]


def _matches(memo: MemoInfo, memo_type: str | None, wanted: tuple | None, author: str | None,
             contains: str | None) -> bool:
    if memo_type and memo.type != check_type(memo_type):
        return False
    if author and memo.coder != author:
        return False
    if wanted and (memo.target_kind, memo.target_id) != wanted and \
            not any((link.kind, link.target_id) == wanted for link in memo.links):
        return False
    if contains:
        needle = contains.casefold()
        return needle in memo.text.casefold() or needle in memo.title.casefold()
    return True


def memo_of(project: Project, target: str) -> MemoInfo | None:
    """The acting coder's memo on a target (what `write_memo` rewrites), if any."""
    with project.read() as session:
        found = _resolve(session, project, target)
        memo = _own_memo(session, project, found.kind, found.target_id)
        return _read_back(session, project, memo) if memo is not None else None


def export_memos(project: Project, path, fmt: str | None = None, notes: list[str] | None = None,
                 memo_type: str | None = None):
    """Write the memos the coder may see (of one type, if given) as Markdown or DOCX; returns the path."""
    from gtcode.exchange.memo_files import write_memos

    return write_memos(list_memos(project, memo_type=memo_type), project.info().name, path, fmt, notes)
