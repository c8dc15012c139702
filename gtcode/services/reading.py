"""What a reader needs in one go: a document's text, sentences and codings, the document table, and label
suggestions for a selected span (in-vivo words and the most similar existing phenomena)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from gtcode.domain.levels import Level
from gtcode.domain.records import CodingInfo, DocumentInfo, SegmentInfo
from gtcode.services.blinding import visible_codings
from gtcode.services.documents import document_info, list_documents, resolve_document, segment_infos
from gtcode.services.project import Project
from gtcode.store.tables import CodeRow, CodingRow, MemoRow
from gtcode.text.keywords import BagCache


@dataclass(frozen=True)
class ReaderView:
    """A document ready to read and code."""

    document: DocumentInfo
    text: str
    segments: list[SegmentInfo]
    codings: list[CodingInfo]


@dataclass(frozen=True)
class DocumentLine:
    """One row of the document table: the document, its codings, and whether it is locked (blinded hold-out)."""

    document: DocumentInfo
    codings: int
    locked: bool


def reader_view(project: Project, document_ref: str | int) -> ReaderView:
    """Text, sentences and codings (with their codes) of a visible document in one read."""
    with project.read() as session:
        row = resolve_document(session, document_ref)
        segments = segment_infos(session, row.id)
        codings = _codings_of(session, project, row)
        return ReaderView(document_info(session, row, len(segments)), row.text, segments, codings)


def reader_codings(project: Project, document_ref: str | int) -> list[CodingInfo]:
    """The codings of a visible document as :func:`reader_view` gives them (the reader's reload after a change):
    columns, not ORM rows, so a document with thousands of codings is read in one quick query."""
    with project.read() as session:
        return _codings_of(session, project, resolve_document(session, document_ref))


def _codings_of(session: Session, project: Project, row) -> list[CodingInfo]:
    """A document's codings that the coder sees, by start, with their codes and memos."""
    prefixes = project.prefixes
    pairs = session.execute(
        visible_codings(session, project.coder, CodingRow.id, CodingRow.start, CodingRow.end, CodingRow.quote,
                        CodingRow.coder, CodingRow.created_at, CodingRow.version, CodeRow.id, CodeRow.level,
                        CodeRow.number, CodeRow.label)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .where(CodingRow.document_id == row.id).order_by(CodingRow.start, CodingRow.end)
    ).all()
    memos = dict(session.execute(
        select(MemoRow.target_id, MemoRow.text).where(MemoRow.target_kind == "coding", MemoRow.target_id.in_(
            select(CodingRow.id).where(CodingRow.document_id == row.id)))).all())
    refs: dict[int, str] = {}
    return [
        CodingInfo(
            id=coding_id, document_id=row.id, document_title=row.title, code_id=code_id,
            code_ref=refs.get(code_id) or refs.setdefault(code_id, prefixes.ref(Level(level), number)),
            code_label=label, start=start, end=end, quote=quote, coder=coder, created_at=created_at,
            memo=memos.get(coding_id, ""), version=version,
        )
        for coding_id, start, end, quote, coder, created_at, version, code_id, level, number, label in pairs
    ]


def document_lines(project: Project, after: int = 0, limit: int | None = None,
                   through: int | None = None) -> list[DocumentLine]:
    """Every document with the number of codings the coder sees; hold-out documents are locked while blinded.
    ``after``, ``limit`` and ``through`` ask for a page, as :func:`~gtcode.services.documents.list_documents`
    does: then only that page's codings are counted."""
    documents = list_documents(project, after, limit, through)
    paged = limit is not None or through is not None
    if paged and not documents:
        return []
    with project.read() as session:
        query = visible_codings(session, project.coder, CodingRow.document_id, func.count())
        if paged:
            query = query.where(CodingRow.document_id.in_([d.id for d in documents]))
        counts = dict(session.exec(query.group_by(CodingRow.document_id)).all())
    return [DocumentLine(d, counts.get(d.id, 0), d.blinded) for d in documents]


def check_readable(project: Project, document_ref: str | int) -> int:
    """The id of a document the coder may open; the service's error otherwise."""
    with project.read() as session:
        return resolve_document(session, document_ref).id


def phenomenon_labels(project: Project) -> list[str]:
    """Labels of every phenomenon, by number (for completion)."""
    with project.read() as session:
        return list(session.exec(
            select(CodeRow.label).where(CodeRow.level == Level.PHENOMENON.value).order_by(CodeRow.number)).all())


SAMPLE_QUOTES = 3  # quotations per phenomenon that a suggestion compares a span with (the newest ones)
_BAG_CACHES: dict[str, BagCache] = {}  # per project database: tokenised candidates of the last suggestion


def suggest_for_span(project: Project, span_text: str, lang: str, k: int = 5) -> list[tuple[str, str]]:
    """Labels for a span as ``(label, why)``: existing phenomena most similar to it (by label and its
    ``SAMPLE_QUOTES`` newest visible quotations), then in-vivo words from the span itself; no label twice.

    The cost does not grow with the number of codings: each phenomenon is a bounded text, and candidates
    are tokenised again only when their text changed since the last suggestion in this project."""
    from gtcode.text.keywords import rank_bags, suggest_labels

    labels, bags = _phenomenon_bags(project, lang)
    suggestions: list[tuple[str, str]] = []
    seen: set[str] = set()
    similar = rank_bags(span_text, bags, lang, k=k)
    for code_id, _score in similar:
        suggestions.append((labels[code_id], "similar code"))
        seen.add(labels[code_id].lower())
    for word in suggest_labels(span_text, lang, k=k):
        if word.lower() not in seen:
            seen.add(word.lower())
            suggestions.append((word, "in vivo"))
    return suggestions


def prepare_suggestions(project: Project, lang: str) -> None:
    """Tokenise the phenomena for suggestions in ``lang`` before the first one is asked for (the Open coding screen does when
    text is first selected in a document of a language): that prompt then waits only for what is left."""
    from gtcode.text.keywords import prepare_labels

    prepare_labels(lang)
    _phenomenon_bags(project, lang)


def _phenomenon_bags(project: Project, lang: str) -> tuple[dict[int, str], dict[int, Counter]]:
    """Each phenomenon's label and the word bag, in ``lang``, of its label and sampled quotations."""
    with project.read() as session:
        codes = session.exec(select(CodeRow.id, CodeRow.label).where(CodeRow.level == Level.PHENOMENON.value)
                            .order_by(CodeRow.id)).all()
        texts = phenomenon_texts(session, project.coder)
    cache = _BAG_CACHES.setdefault(project.url, BagCache())
    return dict(codes), cache.bags({code_id: " ".join(texts.get(code_id, [label])) for code_id, label in codes}, lang)


def phenomenon_texts(session: Session, coder: str) -> dict[int, list[str]]:
    """Each coded phenomenon's label and its ``SAMPLE_QUOTES`` newest quotations that ``coder`` sees. Each
    phenomenon's sample is found from its newest codings by index (a correlated subquery per code), so the
    cost follows the codebook, not the codings."""
    sample = aliased(CodingRow)
    newest = (visible_codings(session, coder, CodingRow.id).where(CodingRow.code_id == CodeRow.id)
              .order_by(CodingRow.id.desc()).limit(SAMPLE_QUOTES).correlate(CodeRow))
    texts: dict[int, list[str]] = {}
    for code_id, label, quote in session.execute(
            select(CodeRow.id, CodeRow.label, sample.quote).join(sample, sample.id.in_(newest))
            .where(CodeRow.level == Level.PHENOMENON.value).order_by(CodeRow.id, sample.id.desc())):
        texts.setdefault(code_id, [label]).append(quote)
    return texts
