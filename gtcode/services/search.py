"""Full-text search with keyword in context, and coding its hits (auto-coding), over the visible corpus.

The index (an entry per sentence, see ``gtcode.text.tokens``) is written with the sentences in the import's
transaction (:func:`index_sentences`), so a rejected import leaves no index entries: on SQLite the FTS5 table
``search_fts`` given each sentence's text, on PostgreSQL a ``search_index`` row of its terms. A search asks the
index for candidate sentences (SQLite FTS5 ``MATCH`` of the forms holding the terms; PostgreSQL a GIN-indexed
tsvector ``@@``), then matches the query on each candidate's tokens (``gtcode.text.query.matches``), so both back
ends find exactly the same hits. ``--regex`` reads the documents' text instead of the index.

Hold-out documents are never searched while blinded: every search starts from :func:`searchable_documents`, which
leaves them out (``blinding.hidden_document_ids``), and coding filters read codings only through
``blinding.visible_codings``.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import Integer, select, text
from sqlmodel import Session

from gtcode.domain.levels import Level
from gtcode.domain.search import NO_FILTERS, UNITS, Filters, Hit
from gtcode.services.batch import collected_afterwards
from gtcode.services.blinding import current_phase, hidden_document_ids, visible_codings
from gtcode.services.changes import ChangeRecorder, insert_codings
from gtcode.services.coding import descendants, phenomenon
from gtcode.services.codes import resolve_code
from gtcode.services.documents import resolve_document
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project, note_written
from gtcode.services.roles import WRITER, use_case
from gtcode.store.pg_bulk import copy_rows
from gtcode.store.tables import AttributeRow, CodingRow, DocumentRow, SearchIndexRow, SegmentRow

CONTEXT = 40  # characters of context each side of a keyword
_SEGMENT, _DOCUMENT, _INDEX = SegmentRow.__table__, DocumentRow.__table__, SearchIndexRow.__table__


def index_sentences(session: Session, sentences: list[tuple[DocumentRow, list[int], list[tuple[int, int]]]]) -> None:
    """Write the index entries of documents' sentences (for each document its row, its sentences' segment ids
    and their spans) in the session's transaction, in one statement.

    SQLite: each sentence's text as ``tokens.index_contents`` gives it, straight into the FTS5 table (its
    tokenizer splits it; no terms built in Python, no second copy). PostgreSQL: a ``search_index`` row of
    each sentence's distinct terms, in one COPY (``store.pg_bulk.copy_rows``) whose rows are made as it
    sends them, so the server stores the first documents' while the next ones' terms are found."""
    from gtcode.text.tokens import index_contents, index_terms_in

    if not any(spans for _document, _ids, spans in sentences):
        return
    if session.get_bind().dialect.name == "sqlite":  # to the driver: no statement compiled per document
        session.connection().exec_driver_sql(_SQLITE_INDEX_ROWS, [
            entry for document, ids, spans in sentences for entry in zip(ids, index_contents(document.text, spans))])
    else:
        copy_rows(session.connection(), _INDEX, _INDEX_COLUMNS, (
            (id_, document.id, terms) for document, ids, spans in sentences
            for id_, terms in zip(ids, index_terms_in(document.text, spans)) if terms))
    note_written(session, _INDEX.name)


_INDEX_COLUMNS = ("segment_id", "document_id", "terms")
_SQLITE_INDEX_ROWS = "INSERT INTO search_fts (rowid, terms) VALUES (?, ?)"


def search(project: Project, query: str, filters: Filters = NO_FILTERS, regex: bool = False,
           context: int = CONTEXT, limit: int | None = None) -> list[Hit]:
    """The hits of ``query`` (the search language of ``gtcode.text.query``, or a regular expression) in the
    documents the acting coder may see, in text order, each with ``context`` characters either side."""
    with project.read() as session:
        return find_hits(session, project, query, filters, regex, context, limit)


def find_hits(session: Session, project: Project, query: str, filters: Filters, regex: bool = False,
              context: int = CONTEXT, limit: int | None = None) -> list[Hit]:
    """:func:`search` inside an open session (auto-coding searches in its own write transaction). The cyclic
    collector waits: tens of thousands of hits are tuples that form no cycles, and its passes over the heap
    grew faster than the hits (a tenth of a search at 1,000 hits with jieba's dictionary loaded)."""
    with collected_afterwards():
        found = _regex_hits(session, query, filters, project.limits.regex_seconds, context) if regex \
            else _query_hits(session, query, filters, context)
        found = _by_coding(session, project, found, filters)
        found.sort(key=_POSITION)
        if limit is not None:
            del found[limit:]
        return _as_hits(found, context)


# A hit before it is a Hit, as a plain tuple (no object per hit until the hits kept are known): (document id,
# start, end, document title, sentence, speaker, role, page, time, window, window start), ``window`` the text
# from ``window start`` on, holding the hit and its context. Only searchable documents' rows are read (never a
# blinded hold-out's), so the title read with them is the one a coder may see.
_Found = tuple
_POSITION = itemgetter(0, 1, 2)


def searchable_documents(session: Session, filters: Filters):
    """The ids of the documents a search looks at, as a subquery: never a blinded hold-out document."""
    ids = select(_DOCUMENT.c.id)
    hidden = hidden_document_ids(session)
    if hidden:
        ids = ids.where(_DOCUMENT.c.id.not_in(hidden))
    if filters.documents:
        ids = ids.where(_DOCUMENT.c.id.in_({resolve_document(session, ref).id for ref in filters.documents}))
    if filters.kinds:
        ids = ids.where(_DOCUMENT.c.kind.in_(filters.kinds))
    for name, value in filters.attributes:
        ids = ids.where(_DOCUMENT.c.id.in_(select(AttributeRow.document_id).where(
            AttributeRow.name == name, AttributeRow.value == value)))
    if filters.cases:
        from gtcode.services.cases import documents_in_cases

        ids = ids.where(_DOCUMENT.c.id.in_(documents_in_cases(session, filters.cases)))
    return ids


def _match_text(session: Session, condition) -> str:
    """The index condition as FTS5 MATCH text (SQLite: each term as any of the forms holding it, see
    :func:`_forms`) or tsquery text (PostgreSQL)."""
    if session.get_bind().dialect.name != "sqlite":
        return _tsquery(condition)
    forms = _forms(session, _terms(condition))

    def match(condition) -> str:
        kind, value = condition
        if kind == "term":
            return "(" + " OR ".join('"' + form.replace('"', '""') + '"' for form in forms[value]) + ")"
        return "(" + {"all": " AND ", "any": " OR "}[kind].join(map(match, value)) + ")"

    return match(condition)


def _tsquery(condition) -> str:
    kind, value = condition
    if kind == "term":
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
    return "(" + {"all": " & ", "any": " | "}[kind].join(map(_tsquery, value)) + ")"


def _terms(condition) -> set[str]:
    kind, value = condition
    return {value} if kind == "term" else set().union(*map(_terms, value))


def _forms(session: Session, terms: set[str]) -> dict[str, list[str]]:
    """The tokens of SQLite's FTS5 index that stand for each of ``terms``: the term itself (as a text that held
    a character the tokenizer might read otherwise is indexed, ``tokens.index_contents``) and every form in the
    index whose term it is. A term keeps its form's first letter (a Snowball stem, a Chinese character, a
    number), so only the index's tokens that begin with it are read (``search_fts_vocab``) and stemmed."""
    from gtcode.text.tokens import is_han, stem_of

    forms = {term: {term} for term in terms}
    for initial in {term[0] for term in terms if not is_han(term[0])}:  # a Chinese character is its one form
        after = ord(initial) + 1 if ord(initial) + 1 != 0xD800 else 0xE000  # the next character (no surrogate)
        for (token,) in session.connection().exec_driver_sql(_TOKENS_FROM, (initial, chr(min(after, 0x10FFFF)))):
            term = stem_of(token)
            if term in forms and token[0] == initial:
                forms[term].add(token)
    return {term: sorted(found) for term, found in forms.items()}


_TOKENS_FROM = "SELECT term FROM search_fts_vocab WHERE term >= ? AND term <= ?"


def _candidates(session: Session, condition):
    """Segment ids whose index entries meet ``condition`` (from ``gtcode.text.query.required``). SQLite's FTS5
    table keeps a deleted sentence's entry (its rowid is never another sentence's, and undo brings the sentence
    back with it), so only the ids of sentences still stored count: every caller takes them with the segment
    table's rows."""
    match = _match_text(session, condition)
    if session.get_bind().dialect.name == "sqlite":
        return text("SELECT rowid FROM search_fts WHERE search_fts MATCH :match").bindparams(match=match) \
            .columns(rowid=Integer)
    return select(_INDEX.c.segment_id).where(
        text("array_to_tsvector(string_to_array(search_index.terms, ' ')) @@ CAST(:match AS tsquery)")
        .bindparams(match=match))


def _query_hits(session: Session, query: str, filters: Filters, width: int) -> list[_Found]:
    """Hits of a query: candidate sentences from the index (their places in one query), the text of each
    document holding one read once (not a ``substr`` of it per candidate, which made the database load the
    whole text again for every sentence), each candidate cut out with ``width`` characters around it and
    matched on its tokens."""
    from gtcode.text.query import initials, matches, parse, quick_finder, required
    from gtcode.text.tokens import words

    node = parse(query)
    stems = initials(node)
    quick = quick_finder(node)  # a plain query (words joined by OR): no tokenising
    where = [_SEGMENT.c.id.in_(_candidates(session, required(node)))]
    documents = searchable_documents(session, filters)
    if documents.whereclause is not None:  # not every document (a blinded hold-out, filters)
        where.append(_SEGMENT.c.document_id.in_(documents))
    if filters.role:
        where.append(_SEGMENT.c.role == filters.role)
    by_document: dict[int, list] = {}
    for row in session.connection().execute(select(
            _SEGMENT.c.document_id, _SEGMENT.c.idx, _SEGMENT.c.speaker, _SEGMENT.c.role, _SEGMENT.c.start,
            _SEGMENT.c.end, _SEGMENT.c.page, _SEGMENT.c.time).where(*where)).all():
        by_document.setdefault(row[0], []).append(row)
    rows = []  # (document, title, sentence, speaker, role, start, end, page, time, window start, window)
    add = rows.append
    ids = sorted(by_document)
    for at in range(0, len(ids), _DOCUMENTS_AT_ONCE):  # only searchable documents: their titles may be shown
        for document_id, title, body in session.connection().execute(
                select(_DOCUMENT.c.id, _DOCUMENT.c.title, _DOCUMENT.c.text)
                .where(_DOCUMENT.c.id.in_(ids[at:at + _DOCUMENTS_AT_ONCE]))):
            for _id, index, speaker, role, first, last, page, time_ in by_document[document_id]:
                window_start = first - width if first > width else 0
                add((document_id, title, index, speaker, role, first, last, page, time_, window_start,
                     body[window_start:last + width]))
    texts = [window[first - at:last - at] for *_row, first, last, _page, _time, at, window in rows]
    firsts = [row[5] for row in rows]
    spans = quick(texts, firsts) if quick is not None else None  # all in one pass
    if spans is None:  # another query, or a text the quick pass leaves (İ, Σ): sentence by sentence
        spans = []
        for at, (text_, first) in enumerate(zip(texts, firsts)):
            alone = quick([text_], [first]) if quick is not None else None
            if alone is None:
                sentence = words(text_, first, stems)
                hits = matches(node, sentence) or ()
                tokens = sentence.spans() if hits else []
                alone = [(0, tokens[low][0], tokens[high - 1][1]) for low, high in sorted(set(hits))]
            spans += [(at, hit_start, hit_end) for _one, hit_start, hit_end in alone]
    found = []
    add = found.append
    for at, hit_start, hit_end in spans:
        document_id, title, index, speaker, role, _first, _last, page, time_, window_start, window = rows[at]
        add((document_id, hit_start, hit_end, title, index, speaker, role, page, time_, window, window_start))
    return found


_DOCUMENTS_AT_ONCE = 500  # texts read per query: bounded parameters, and memory when every document has hits


def _regex_hits(session: Session, pattern: str, filters: Filters, seconds: float, width: int) -> list[_Found]:
    """Matches of a regular expression (the ``regex`` module, as ``re`` reads it) in the searchable documents,
    within ``seconds`` for the whole search: a pattern that backtracks without end is stopped and refused."""
    import regex

    try:
        compiled = regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as error:
        raise GtcodeError(f"--regex {pattern!r} is not a regular expression ({error}): check it, or search "
                          "without --regex") from None
    found = []
    deadline = time.monotonic() + seconds
    documents = session.execute(select(_DOCUMENT.c.id, _DOCUMENT.c.title, _DOCUMENT.c.text)
                                .where(_DOCUMENT.c.id.in_(searchable_documents(session, filters))).order_by(_DOCUMENT.c.id))
    for document_id, title, body in documents:
        try:
            spans = [(m.start(), m.end()) for m in compiled.finditer(body, timeout=max(deadline - time.monotonic(), 0))
                     if m.end() > m.start()]
        except TimeoutError:
            raise GtcodeError(f"--regex {pattern!r} took more than {seconds:g} s (a pattern with nested repeats such "
                              "as (a+)+ can take for ever): simplify it, or raise `regex_seconds` under [limits] in "
                              "gtcode.toml") from None
        if not spans:
            continue
        segments = session.execute(select(_SEGMENT.c.idx, _SEGMENT.c.start, _SEGMENT.c.speaker, _SEGMENT.c.role,
                                          _SEGMENT.c.page, _SEGMENT.c.time)
                                   .where(_SEGMENT.c.document_id == document_id).order_by(_SEGMENT.c.start)).all()
        starts = [s.start for s in segments]
        for start, end in spans:
            at = bisect_right(starts, start) - 1
            segment = segments[at] if at >= 0 else None
            role = segment.role if segment else None
            if filters.role and role != filters.role:
                continue
            found.append((document_id, start, end, title, segment.idx if segment else -1,
                          segment.speaker if segment else None, role, segment.page if segment else None,
                          segment.time if segment else None, body, 0))
    return found


def _by_coding(session: Session, project: Project, found: list[_Found], filters: Filters) -> list[_Found]:
    """The hits inside (or outside) the codings the filters name, as the acting coder may see them."""
    wanted = filters.by_coding
    if wanted is None or not found:
        return found
    codings = visible_codings(session, project.coder, CodingRow.document_id, CodingRow.start, CodingRow.end) \
        .where(CodingRow.document_id.in_({f[0] for f in found}))
    if filters.code:
        codings = codings.where(CodingRow.code_id.in_(descendants(session, resolve_code(
            session, project.prefixes, filters.code).id)))
    if filters.coder:
        codings = codings.where(CodingRow.coder == filters.coder)
    spans: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in session.execute(codings):
        spans.setdefault(document_id, []).append((start, end))
    for listed in spans.values():
        listed.sort()

    def coded(hit: _Found) -> bool:
        document_id, hit_start, hit_end = hit[:3]
        listed = spans.get(document_id, [])
        return any(end > hit_start for start, end in listed[:bisect_right(listed, (hit_end - 1, 1 << 62))])

    return [hit for hit in found if coded(hit) == wanted]


def _as_hits(found: list[_Found], width: int) -> list[Hit]:
    """The hits in order, numbered, with ``width`` characters of context each side (cut from each hit's window)
    and the words next to each keyword."""
    if not width:
        return [Hit(document_id, title, sentence, speaker, role, start, end, window[start - at:end - at], "", "",
                    "", "", number, page, time_)
                for number, (document_id, start, end, title, sentence, speaker, role, page, time_, window, at)
                in enumerate(found, 1)]
    from gtcode.text.tokens import first_form, last_form

    hits = []
    add = hits.append
    for number, (document_id, start, end, title, sentence, speaker, role, page, time_, window, window_start) \
            in enumerate(found, 1):
        at, stop = start - window_start, end - window_start
        left = window[max(at - width, 0):at].replace("\n", " ")
        right = window[stop:stop + width].replace("\n", " ")
        add(Hit(document_id, title, sentence, speaker, role, start, end, window[at:stop], left, right,
                last_form(left), first_form(right), number, page, time_))
    return hits


@dataclass(frozen=True)
class AutoCoding:
    """What coding a search's hits made (or, previewed, would make): codings new and already there."""

    query: str
    unit: str
    code_ref: str
    code_label: str
    hits: int
    made: int
    already: int


def _units(session: Session, hits: list[Hit], unit: str) -> list[tuple[int, int, int]]:
    """The spans ``(document, start, end)`` that coding ``hits`` as a hit, its sentence or its speaker turn
    codes, each once, in text order."""
    from gtcode.text.speakers import speaker_turns

    if unit not in UNITS:
        raise GtcodeError(f"unit {unit!r}: use one of {'|'.join(UNITS)}")
    if unit == "hit":
        return sorted({(h.document_id, h.start, h.end) for h in hits})
    ids = {h.document_id for h in hits}
    sentences: dict[int, list[tuple[int, int]]] = {}
    for document_id, start, end in session.execute(select(_SEGMENT.c.document_id, _SEGMENT.c.start, _SEGMENT.c.end)
                                                   .where(_SEGMENT.c.document_id.in_(ids))
                                                   .order_by(_SEGMENT.c.start)):
        sentences.setdefault(document_id, []).append((start, end))
    turns: dict[int, list[tuple[int, int]]] = {}
    if unit == "turn":
        for document_id, body, kind in session.execute(select(_DOCUMENT.c.id, _DOCUMENT.c.text, _DOCUMENT.c.kind)
                                                       .where(_DOCUMENT.c.id.in_(ids))):
            turns[document_id] = [(t.body_start, t.end) for t in speaker_turns(body, kind) if t.end > t.body_start]
    spans = set()
    for hit in hits:
        spans.add(_around(turns.get(hit.document_id, []), hit) or _around(sentences.get(hit.document_id, []), hit)
                  or (hit.document_id, hit.start, hit.end))
    return sorted(spans)


def _around(spans: list[tuple[int, int]], hit: Hit) -> tuple[int, int, int] | None:
    at = bisect_right(spans, (hit.start, 1 << 62)) - 1
    if at >= 0 and spans[at][0] <= hit.start < spans[at][1]:
        return hit.document_id, spans[at][0], max(spans[at][1], hit.end)
    return None


def _already(session: Session, code_id: int | None, coder: str, spans: list[tuple[int, int, int]]) -> set:
    if code_id is None or not spans:
        return set()
    rows = session.execute(select(CodingRow.document_id, CodingRow.start, CodingRow.end).where(
        CodingRow.code_id == code_id, CodingRow.coder == coder,
        CodingRow.document_id.in_({d for d, _s, _e in spans})))
    return set(rows.all()) & set(spans)


def _known_code(session: Session, project: Project, label: str):
    from gtcode.services.codes import find_label

    if project.prefixes.parse_ref(label) is not None:
        return resolve_code(session, project.prefixes, label)
    return find_label(session, Level.PHENOMENON, label.strip())


Selection = tuple[tuple[int, int, int], ...] | None  # hits chosen as (document, start, end); None: all


def _chosen(session: Session, project: Project, query: str, filters: Filters, regex: bool,
            selected: Selection) -> list[Hit]:
    hits = find_hits(session, project, query, filters, regex, context=0)
    if selected is None:
        return hits
    chosen = set(selected)
    return [h for h in hits if (h.document_id, h.start, h.end) in chosen]


def numbered_hits(project: Project, query: str, numbers: list[int], filters: Filters = NO_FILTERS,
                  regex: bool = False, limit: int | None = None) -> Selection:
    """The hits numbered ``numbers`` (as search listings number them) as a selection to code."""
    hits = search(project, query, filters, regex, context=0, limit=limit)
    wrong = [n for n in numbers if not 1 <= n <= len(hits)]
    if wrong:
        raise GtcodeError(f"--hits {wrong[0]}: the search finds {len(hits)} hits, numbered 1-{len(hits)} as "
                          f"`gtcode search` lists them" if hits else f"--hits: search {query!r} finds nothing")
    return tuple((hits[n - 1].document_id, hits[n - 1].start, hits[n - 1].end) for n in dict.fromkeys(numbers))


def preview_autocode(project: Project, query: str, label: str, unit: str = "hit", filters: Filters = NO_FILTERS,
                     regex: bool = False, selected: Selection = None) -> AutoCoding:
    """How many codings coding every hit of ``query`` (or the ``selected`` ones) as ``label`` would make, and
    how many are there already."""
    with project.read() as session:
        hits = _chosen(session, project, query, filters, regex, selected)
        spans = _units(session, hits, unit)
        code = _known_code(session, project, label)
        already = _already(session, code.id if code else None, project.coder, spans)
        ref = project.prefixes.ref(Level(code.level), code.number) if code else "(new)"
        return AutoCoding(query, unit, ref, code.label if code else label.strip(), len(hits),
                          len(spans) - len(already), len(already))


@use_case(WRITER, "code text")
def autocode(project: Project, query: str, label: str, unit: str = "hit", filters: Filters = NO_FILTERS,
             regex: bool = False, selected: Selection = None) -> AutoCoding:
    """Code every hit of ``query``, or the ``selected`` ones (the hit, its sentence or its speaker turn), with
    the phenomenon ``label``, in one transaction that is one undo step; spans the coder coded with it already
    are left as they are. Hits are searched again inside the transaction: what is coded is what is there."""
    if not label or not label.strip():
        raise GtcodeError("a phenomenon label cannot be empty: give --code-as LABEL")
    with project.write() as session:
        hits = _chosen(session, project, query, filters, regex, selected)
        spans = _units(session, hits, unit)
        if not spans:
            raise GtcodeError(f"search {query!r} found nothing to code: nothing was changed")
        coder = project.coder
        recorder = ChangeRecorder(session, f"code {len(spans)} {unit}s of search {query} as {label.strip()}", coder)
        code = phenomenon(session, project, recorder, label)
        already = _already(session, code.id, coder, spans)
        texts = dict(session.execute(select(_DOCUMENT.c.id, _DOCUMENT.c.text)
                                     .where(_DOCUMENT.c.id.in_({d for d, _s, _e in spans}))).all())
        phase = current_phase(session)
        rows = insert_codings(session, recorder, [  # one executemany, not an ORM object per coding
            dict(document_id=d, code_id=code.id, start=s, end=e, quote=texts[d][s:e], coder=coder, phase=phase)
            for d, s, e in spans if (d, s, e) not in already])
        if rows:
            recorder.save()
        ref = project.prefixes.ref(Level(code.level), code.number)
        return AutoCoding(query, unit, ref, code.label, len(hits), len(rows), len(already))


def hits_table(hits: list[Hit]):
    """Hits as a DataFrame for CSV/XLSX: document, sentence, speaker, PDF page, turn time, position, left,
    keyword, right."""
    import pandas as pd

    columns = ["hit", "document_id", "document", "sentence", "speaker", "page", "time", "start", "end", "left",
               "keyword", "right"]
    return pd.DataFrame([(h.number, h.document_id, h.document_title, h.sentence, h.speaker or "", h.page, h.time or "",
                          h.start, h.end, h.left, h.keyword, h.right) for h in hits],
                        columns=columns).astype({"page": "Int64"})  # a page or none (not 3.0)

