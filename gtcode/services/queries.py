"""Coding queries, matrix coding and word frequencies over what the acting coder may see.

Every function reads codings through ``blinding.visible_codings`` and documents through
``search.searchable_documents``, so a blinded hold-out document is never queried, counted or shown.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from gtcode.domain.coding_query import Span, evaluate, parse
from gtcode.domain.levels import Level
from gtcode.domain.search import NO_FILTERS, Filters, Quotation
from gtcode.services.blinding import visible_codings
from gtcode.services.cases import document_cases
from gtcode.services.coding import descendants
from gtcode.services.codes import resolve_code
from gtcode.services.documents import attribute_values, document_titles
from gtcode.services.errors import GtcodeError, run, where
from gtcode.services.project import Project
from gtcode.services.search import searchable_documents
from gtcode.store.tables import AttributeRow, CodeRow, CodingRow, DocumentRow, SegmentRow


class _Coding(NamedTuple):
    code_id: int
    document_id: int
    start: int
    end: int


def _codings(session: Session, project: Project, filters: Filters, code_ids=None) -> list[_Coding]:
    """(code, document, start, end) of the visible codings in the filtered documents."""
    query = visible_codings(session, project.coder, CodingRow.code_id, CodingRow.document_id, CodingRow.start,
                            CodingRow.end).where(CodingRow.document_id.in_(searchable_documents(session, filters)))
    if code_ids is not None:
        query = query.where(CodingRow.code_id.in_(code_ids))
    if filters.coder:
        query = query.where(CodingRow.coder == filters.coder)
    # plain tuples through Core: the ORM's row loading and Row attribute access took most of a matrix's time
    return list(map(_Coding._make, session.connection().execute(query)))


def _sentence_starts(session: Session, documents: set[int]) -> dict[int, list[int]]:
    return _sentence_places(session, documents)[0]


def _sentence_places(session: Session, documents: set[int]):
    """Per document its sentences' starts in order, and beside them each sentence's (page, time)."""
    starts: dict[int, list[int]] = defaultdict(list)
    places: dict[int, list[tuple[int | None, str | None]]] = defaultdict(list)
    for document_id, start, page, time in session.execute(
            select(SegmentRow.document_id, SegmentRow.start, SegmentRow.page, SegmentRow.time)
            .where(SegmentRow.document_id.in_(documents)).order_by(SegmentRow.document_id, SegmentRow.start)):
        starts[document_id].append(start)
        places[document_id].append((page, time))
    return starts, places


def _sentence(starts: dict[int, list[int]], document_id: int, offset: int) -> int:
    return max(bisect_right(starts.get(document_id, []), offset) - 1, 0)


def coding_query(project: Project, expression: str, filters: Filters = NO_FILTERS) -> list[Quotation]:
    """The quotations a coding query yields (``gtcode.domain.coding_query``), in text order."""
    node = parse(expression)
    with project.read() as session:
        cache: dict[str, list[Span]] = {}
        rows_of: dict[str, list] = {}
        for ref in _refs(node):
            code = resolve_code(session, project.prefixes, ref)
            rows_of[ref] = _codings(session, project, filters, descendants(session, code.id))
        documents = {row.document_id for rows in rows_of.values() for row in rows}
        starts = _sentence_starts(session, documents)
        for ref, rows in rows_of.items():
            cache[ref] = [(r.document_id, r.start, r.end, _sentence(starts, r.document_id, r.start),
                           _sentence(starts, r.document_id, max(r.end - 1, r.start))) for r in rows]
        return _quotations(session, [(d, start, end) for d, start, end, _f, _l in evaluate(node, cache.__getitem__)])


def _quotations(session: Session, spans: list[tuple[int, int, int]]) -> list[Quotation]:
    """Spans ``(document, start, end)`` as quotations with their text, title and first sentence."""
    ids = {d for d, _s, _e in spans}
    titles = document_titles(session, ids)
    texts = dict(session.execute(select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(ids))).all()) \
        if ids else {}
    starts, places = _sentence_places(session, ids)
    quotations = []
    for d, s, e in spans:
        sentence = _sentence(starts, d, s)
        page, time = places[d][sentence] if sentence < len(places.get(d, ())) else (None, None)
        quotations.append(Quotation(d, titles[d], s, e, texts[d][s:e], sentence, page, time))
    return quotations


def _refs(node) -> list[str]:
    from gtcode.domain.coding_query import refs

    return list(dict.fromkeys(refs(node)))


COUNTS = ("quotations", "documents", "cases", "words")
COLUMNS_HELP = "attribute:NAME, cases, documents or codes"


@dataclass(frozen=True)
class Matrix:
    """Matrix coding: a row per code (with the codes under it), a column per value, a count in each cell;
    ``cases`` cells count distinct cases (a document in none is a case of its own, ``cases.document_cases``),
    ``words`` cells are the percentage of the column's words that the row's codings cover."""

    rows: list[str]
    columns: list[str]
    cells: list[list[float]]
    count: str
    row_refs: list[str]


def _level(level: str) -> Level:
    try:
        return Level(level)
    except ValueError:
        raise GtcodeError(f"level {level!r}: use one of {'|'.join(lv.value for lv in Level)}") from None


def matrix(project: Project, columns: str = "documents", count: str = "quotations", level: str = "phenomenon",
           filters: Filters = NO_FILTERS) -> Matrix:
    """Codes of ``level`` (rows) against attribute values, cases, documents or the same codes (columns)."""
    if count not in COUNTS:
        raise GtcodeError(f"count {count!r}: use one of {'|'.join(COUNTS)}")
    row_level = _level(level)
    if count == "words" and columns == "codes":
        raise GtcodeError("--count words is the share of a column's words: use it with documents or attribute columns")
    with project.read() as session:
        codes = session.execute(select(CodeRow.id, CodeRow.number, CodeRow.label)
                                .where(CodeRow.level == row_level.value).order_by(CodeRow.number)).all()
        refs = [project.prefixes.ref(row_level, code.number) for code in codes]
        labels = [f"{ref} {code.label}" for ref, code in zip(refs, codes)]
        placed = {} if columns == "codes" else _document_columns(session, columns, filters)
        names = sorted(set(placed.values()), key=_natural)
        if columns != "codes" and count != "words":  # counted by the database, placed in columns here
            cells = _counted_cells(session, project, filters, row_level, placed, count)
            return Matrix(labels, names, [[cells.get((code.id, name), 0) for name in names] for code in codes],
                          count, refs)
        owner = _owners(session, {code.id for code in codes})
        codings = [row for row in _codings(session, project, filters) if row.code_id in owner]
        values: dict[tuple[int, str], list] = defaultdict(list)
        if columns == "codes":
            column_of, names = _code_columns(session, project, codings, owner)
            for row in codings:
                for name in column_of(row):
                    values[(owner[row.code_id], name)].append(row)
        else:  # words: the share of each column's words the row's codings cover
            for row in codings:
                if (name := placed.get(row.document_id)) is not None:
                    values[(owner[row.code_id], name)].append(row)
        totals = _words_in(session, filters, column_of_document=placed) if count == "words" else {}
        case_of = document_cases(session, {row.document_id for row in codings}) if count == "cases" else {}
        cells = [[_cell(values.get((code.id, name), []), count, session, totals.get(name, 0), case_of)
                  for name in names] for code in codes]
        return Matrix(labels, names, cells, count, refs)


def _counted_cells(session: Session, project: Project, filters: Filters, level: Level, placed: dict[int, str],
                   count: str) -> dict[tuple[int, str], int]:
    """Quotation, document or case counts of each (row code, column) cell, from one aggregate over the visible
    codings (``blinding.visible_codings``, in the searchable documents): each row code's distinct quotations per
    document, the row code found for every code under it by a recursive query of the code tree (the nearest
    code of the row level above it, as :func:`_owners` finds it); a quotation lies in one document, so a
    column's count is the sum of its documents' (quotations), how many of them have any (documents), or how
    many distinct cases they fall in (cases; a document in none is a case of its own)."""
    from sqlalchemy import BigInteger, cast, func

    code = CodeRow.__table__
    tree = select(code.c.id.label("code_id"), code.c.id.label("row_id")).where(code.c.level == level.value) \
        .cte("row_of", recursive=True)
    tree = tree.union(select(code.c.id, tree.c.row_id).join(tree, code.c.parent_id == tree.c.code_id)
                      .where(code.c.level != level.value))
    visible = visible_codings(session, project.coder, CodingRow.code_id, CodingRow.document_id, CodingRow.start,
                              CodingRow.end).where(CodingRow.document_id.in_(searchable_documents(session, filters)))
    if filters.coder:
        visible = visible.where(CodingRow.coder == filters.coder)
    visible = visible.subquery()
    span = cast(visible.c.start, BigInteger) * 4294967296 + visible.c.end  # one number per [start, end)
    per_document = select(tree.c.row_id, visible.c.document_id, func.count(span.distinct())) \
        .join(tree, tree.c.code_id == visible.c.code_id).group_by(tree.c.row_id, visible.c.document_id)
    case_of = document_cases(session, set(placed)) if count == "cases" else {}
    cells: dict[tuple[int, str], int] = defaultdict(int)
    cases: dict[tuple[int, str], set] = defaultdict(set)
    for row_id, document_id, quoted in session.connection().execute(per_document).all():
        name = placed.get(document_id)
        if name is None:
            continue
        if count == "cases":
            cases[(row_id, name)].add(case_of.get(document_id, f"\0document {document_id}"))
        else:
            cells[(row_id, name)] += quoted if count == "quotations" else 1
    return {key: len(found) for key, found in cases.items()} if count == "cases" else cells


def _owners(session: Session, rows: set[int]) -> dict[int, int]:
    """Each code at or under one of the ``rows`` codes, mapped to that row code (one read of the code tree)."""
    parent = dict(session.execute(select(CodeRow.id, CodeRow.parent_id)).all())
    owner: dict[int, int] = {}
    for code_id in parent:
        seen, at = [], code_id
        while at is not None and at not in rows and at not in owner and len(seen) <= len(parent):
            seen.append(at)
            at = parent.get(at)
        found = at if at in rows else owner.get(at)
        if found is not None:
            owner.update(dict.fromkeys(seen, found))
            owner[at] = found
    return owner


def _code_columns(session: Session, project: Project, codings, owner):
    """How a coding is placed in code columns (the row codes it overlaps), and the columns' names in order."""
    by_document: dict[int, list] = defaultdict(list)
    for row in codings:
        by_document[row.document_id].append(row)
    refs = {code_id: project.prefixes.ref(Level(level), number) + " " + label for code_id, level, number, label in
            session.execute(select(CodeRow.id, CodeRow.level, CodeRow.number, CodeRow.label)
                            .where(CodeRow.id.in_(set(owner.values()))).order_by(CodeRow.number))}

    def meets(row) -> list[str]:
        return sorted({refs[owner[other.code_id]] for other in by_document[row.document_id]
                       if other.start < row.end and other.end > row.start}, key=list(refs.values()).index)

    return meets, list(refs.values())


def _natural(value: str):
    return (0, float(value), value) if value.replace(".", "", 1).lstrip("-").isdigit() else (1, 0.0, value)


def _document_columns(session: Session, columns: str, filters: Filters) -> dict[int, str]:
    """Each searchable document's column: its title, its case or its value of an attribute."""
    ids = set(session.execute(searchable_documents(session, filters)).scalars())
    if columns == "documents":
        return {d: f"{d} {title}" for d, title in document_titles(session, ids).items()}
    if columns == "cases":
        found = document_cases(session, ids)
        if not found:
            raise GtcodeError(f"no document is in a case: make one, {run('case.set')}")
        return found
    if columns == "codes":
        return {}
    kind, _sep, name = columns.partition(":")
    if kind != "attribute" or not name:
        raise GtcodeError(f"columns {columns!r}: use {COLUMNS_HELP}")
    found = {row.document_id: str(attribute_values(row)) for row in session.execute(
        select(AttributeRow.document_id, AttributeRow.type, AttributeRow.value)
        .where(AttributeRow.name == name, AttributeRow.document_id.in_(ids)))}
    if not found:
        raise GtcodeError(f"no document has the attribute {name!r}: list them {where('attributes')}")
    return found


def _words_in(session: Session, filters: Filters, column_of_document: dict[int, str]) -> dict[str, int]:
    from gtcode.text.tokens import tokens

    totals: Counter = Counter()
    for document_id, body in session.execute(select(DocumentRow.id, DocumentRow.text)
                                             .where(DocumentRow.id.in_(set(column_of_document)))):
        totals[column_of_document[document_id]] += len(tokens(body))
    return totals


def _cell(rows, count: str, session: Session, words: int, case_of: dict[int, str]) -> float:
    if count == "quotations":
        return len({(r.document_id, r.start, r.end) for r in rows})
    if count == "documents":
        return len({r.document_id for r in rows})
    if count == "cases":
        return len({case_of.get(r.document_id, f"\0document {r.document_id}") for r in rows})
    if not words:
        return 0.0
    from gtcode.text.tokens import tokens

    covered = 0
    for document_id, spans in _merged(rows).items():
        body = session.execute(select(DocumentRow.text).where(DocumentRow.id == document_id)).scalar()
        covered += sum(len(tokens(body[start:end])) for start, end in spans)
    return round(100 * covered / words, 1)


def _merged(rows) -> dict[int, list[tuple[int, int]]]:
    """Each document's coded spans with overlaps joined (so no word counts twice)."""
    merged: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.document_id, r.start)):
        spans = merged[row.document_id]
        if spans and row.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], row.end))
        else:
            spans.append((row.start, row.end))
    return merged


def matrix_cell(project: Project, row_ref: str, column: str, columns: str = "documents",
                filters: Filters = NO_FILTERS) -> list[Quotation]:
    """The quotations behind one cell of a matrix: the row code's codings in that column (drill-down)."""
    with project.read() as session:
        code = resolve_code(session, project.prefixes, row_ref)
        ids = descendants(session, code.id)
        rows = _codings(session, project, filters, ids)
        if columns == "codes":
            other = next((c for c in _all_refs(session, project) if c[1] == column), None)
            if other is None:
                raise GtcodeError(f"no column {column!r}: name it as the matrix shows it")
            others = [r for r in _codings(session, project, filters, descendants(session, other[0]))]
            rows = [r for r in rows if any(o.document_id == r.document_id and o.start < r.end and o.end > r.start
                                           for o in others)]
        else:
            placed = _document_columns(session, columns, filters)
            rows = [r for r in rows if placed.get(r.document_id) == column]
        return _quotations(session, sorted({(r.document_id, r.start, r.end) for r in rows}))


def _all_refs(session: Session, project: Project) -> list[tuple[int, str]]:
    return [(code_id, project.prefixes.ref(Level(level), number) + " " + label) for code_id, level, number, label in
            session.execute(select(CodeRow.id, CodeRow.level, CodeRow.number, CodeRow.label))]


def matrix_table(result: Matrix):
    """A matrix as a DataFrame: a ``code`` column, then one column per matrix column."""
    import pandas as pd

    frame = pd.DataFrame(result.cells, columns=result.columns)
    frame.insert(0, "code", result.rows)
    return frame


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int
    documents: int


def word_frequencies(project: Project, filters: Filters = NO_FILTERS, top: int = 50) -> list[WordCount]:
    """The ``top`` most frequent words (jieba's words for Chinese, English words; without spaCy's stop words)
    in the sentences of the filtered documents (not speaker labels), or in the text coded with ``filters.code``
    (and the codes under it) or by ``filters.coder``."""
    from gtcode.text.tokens import frequency_words

    counts: Counter = Counter()
    documents: dict[str, set[int]] = defaultdict(set)
    with project.read() as session:
        ids = set(session.execute(searchable_documents(session, filters)).scalars())
        if filters.code or filters.coder:
            code_ids = descendants(session, resolve_code(session, project.prefixes, filters.code).id) \
                if filters.code else None
            spans = _merged(_codings(session, project, filters, code_ids))
        else:
            spans = None
        for document_id, body in session.execute(select(DocumentRow.id, DocumentRow.text)
                                                 .where(DocumentRow.id.in_(ids)).order_by(DocumentRow.id)):
            if spans is None:  # the sentences: speaker labels belong to none
                spans = {document_id: session.execute(select(SegmentRow.start, SegmentRow.end)
                                                      .where(SegmentRow.document_id == document_id)).all()}
                pieces = [body[s:e] for s, e in spans[document_id]]
                spans = None
            else:
                pieces = [body[s:e] for s, e in spans.get(document_id, [])]
            for piece in pieces:
                for word in frequency_words(piece):
                    counts[word] += 1
                    documents[word].add(document_id)
    return [WordCount(word, count, len(documents[word]))
            for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]
