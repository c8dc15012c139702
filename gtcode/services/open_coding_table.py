"""The paper's Table 2: source excerpts with phenomenon markers, and their concepts and categories.

One row per coded excerpt: the sentence units a document's phenomenon codings touch, joined
where codings overlap or span sentences. The excerpt carries each coding's markers right after
its span (``information-driven (a1)``; codings ending together share ``(a2, a3, a4)``). The
columns list, one line each, the row's phenomena (``a1: Information driven``), their concepts
with the row's phenomena under each (``aa2: Data sharing (a2, a3, a4, a7)``) and the concepts'
categories likewise (``A1: Information sharing (aa1, aa2)``). Hold-out documents are left out
while blinded.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from itertools import count, groupby
from operator import itemgetter
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from gtcode.domain.levels import Level, Prefixes
from gtcode.services.batch import collected_afterwards, driver_rows
from gtcode.services.blinding import visible_codings
from gtcode.services.coded_units import CODE_COLUMNS
from gtcode.services.project import Project
from gtcode.store.tables import CodingRow, DocumentRow, SegmentRow

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Row

COLUMNS = ("Selected source materials", "Conceptualization", "Normalization", "Categorization")


class OpenCodingRow(NamedTuple):
    """One row of Table 2: an excerpt with its markers and its three code columns (a line per code)."""

    document: str
    start: int
    end: int
    excerpt: str
    conceptualization: tuple[str, ...]
    normalization: tuple[str, ...]
    categorization: tuple[str, ...]


def open_coding_rows(project: Project) -> list[OpenCodingRow]:
    """Table 2's rows for every coded excerpt of the visible documents, in document and text order.

    Codings are plain tuples ``(document_id, start, end, code_id)``; the three code columns of a row depend only on its set
    of phenomena, so they are made once per distinct set (most sets recur across a corpus)."""
    with collected_afterwards():
        return list(_rows(project))


#: Documents read (in id order) and laid out at a time: a bounded working set, so that each coding costs the same in a project
#: of 200,000 codings as in one of 20,000 (the whole of a large project's codings, texts and rows outgrow the
#: processor's caches).
BATCH = 100


def _rows(project: Project) -> Iterator[OpenCodingRow]:
    """``open_coding_rows`` one at a time, made of ``BATCH`` documents at a time, all read in one transaction."""
    with project.read() as session:
        read = session.connection().execute
        codes = read(select(*CODE_COLUMNS)).all()
        table = _Codes(codes, project.prefixes)
        phenomena = {code.id for code in codes if code.level == Level.PHENOMENON.value}
        ids = read(select(DocumentRow.id).order_by(DocumentRow.id)).scalars().all()
        for first in range(0, len(ids), BATCH):
            documents, codings, segments = _read(session, project.coder, phenomena, ids[first],
                                                 ids[min(first + BATCH, len(ids)) - 1])
            yield from _rows_of(table, documents, codings, segments)


def _rows_of(table: _Codes, documents: dict, codings: list, segments: dict) -> Iterator[OpenCodingRow]:
    """The rows of the excerpts of ``codings`` (grouped by document) in document and text order."""
    marked, columns, ref, one = table.marked, table.columns, table.ref, table.laid_out
    for document_id, of_document in groupby(codings, key=itemgetter(0)):
        title, text, characters = documents[document_id]
        for start, end, members in _excerpts(list(of_document), segments.get(document_id), characters):
            if len(members) == 1:  # most excerpts: one coding (what ``marked`` makes of one, inline)
                _document, coding_start, stop, code_id = members[0]
                while stop > coding_start and text[stop - 1].isspace():
                    stop -= 1
                yield OpenCodingRow(title, start, end, f"{text[start:stop]} ({ref[code_id]}){text[stop:end]}".strip(),
                                    *one(code_id))
            else:
                yield OpenCodingRow(title, start, end, marked(text, start, end, members), *columns(members))


def _read(session, coder: str, phenomena: set[int], low: int, high: int) -> tuple[dict, list, dict]:
    """The phenomenon codings ``coder`` sees (``visible_codings``) on documents ``low`` to ``high`` (ids) as
    ``(document_id, start, end, code_id)`` grouped by document in id order (SQLite reads them so from an index; a
    document's excerpts are put in text order by ``_excerpts``), the title, text and length of their documents and
    their sentence spans: each table read once per batch, as columns (the driver's tuples for the large ones)."""
    codings = [coding for coding in driver_rows(session, visible_codings(
        session, coder, CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.code_id)
        .where(CodingRow.document_id.between(low, high)).order_by(CodingRow.document_id)) if coding[3] in phenomena]
    coded = sorted({coding[0] for coding in codings})
    if not coded:
        return {}, [], {}
    documents = {d: (title, text, characters) for d, title, text, characters in session.connection().execute(
        select(DocumentRow.id, DocumentRow.title, DocumentRow.text, DocumentRow.characters)
        .where(DocumentRow.id.in_(coded)))}
    spans = driver_rows(session, select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
                        .where(SegmentRow.document_id.in_(coded)).order_by(SegmentRow.document_id, SegmentRow.idx))
    segments = {document_id: [(start, end) for _d, start, end in of_document]
                for document_id, of_document in groupby(spans, key=itemgetter(0))}
    return documents, codings, segments


def _excerpts(codings: list[tuple[int, int, int, int]], segments: list[tuple[int, int]] | None, characters: int
              ) -> list[tuple[int, int, list[tuple[int, int, int, int]]]]:
    """Sentence spans around a document's codings (the sentences each overlaps, as ``CodedCorpus.units_of`` finds
    them; the whole text when unsegmented), merged where they overlap."""
    if not segments:
        spans = [(0 if 0 < coding[1] else coding[1], characters if characters > coding[2] else coding[2], coding)
                 for coding in codings]
    else:
        starts, ends = [s for s, _ in segments], [e for _, e in segments]
        find = _sentences if _ascending(starts) and _ascending(ends) else _sentences_walked
        spans = []
        append = spans.append
        for coding in codings:
            start, end = coding[1], coding[2]
            low, high = find(segments, starts, ends, start, end)
            append((low if low < start else start, high if high > end else end, coding))
    spans.sort(key=itemgetter(0, 1))
    merged: list[tuple[int, int, list[tuple[int, int, int, int]]]] = []
    for start, end, coding in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[2].append(coding)
            if end > last[1]:
                merged[-1] = (last[0], end, last[2])
        else:
            merged.append((start, end, [coding]))
    return merged


def _ascending(values: list[int]) -> bool:
    return all(a <= b for a, b in zip(values, values[1:]))


def _sentences(segments: list[tuple[int, int]], starts: list[int], ends: list[int], start: int, end: int
               ) -> tuple[int, int]:
    """From the first to the last sentence ``[start, end)`` overlaps (``_sentences_walked``'s answer, found by
    bisection: the sentences' starts and ends both ascend, so those it overlaps are one run)."""
    first = bisect_right(starts, start) - 1
    if first < 0:
        first = 0
    low = bisect_right(ends, start)  # the first sentence ending after the start
    if low < first:
        low = first
    high = bisect_left(starts, end, first)  # the first sentence from ``first`` on starting at or after the end
    if low < high:
        return starts[low], ends[high - 1]
    return segments[first]


def _sentences_walked(segments: list[tuple[int, int]], starts: list[int], _ends: list[int], start: int, end: int
                      ) -> tuple[int, int]:
    """From the first to the last sentence ``[start, end)`` overlaps, walking on from the last one starting at or
    before its start (that one when it overlaps none)."""
    first = max(bisect_right(starts, start) - 1, 0)
    low = high = None
    for index in range(first, len(segments)):
        segment_start, segment_end = segments[index]
        if segment_start >= end:
            break
        if segment_end > start:
            if low is None:
                low = segment_start
            high = segment_end
    return segments[first] if low is None else (low, high)


def _by_parent(codes, parent: dict[int, int | None]) -> dict[int, list[int]]:
    """The codes under each of their parents, in the order given (codes without a parent left out)."""
    groups: dict[int, list[int]] = {}
    for code_id in codes:
        above = parent[code_id]
        if above:
            members = groups.get(above)
            if members is None:
                groups[above] = [code_id]
            else:
                members.append(code_id)
    return groups


class _Codes:
    """Each code's reference, ``ref: label`` line, number and parent, made once; and the cells made of them
    (the three code columns of a row depend only on its set of phenomena, so each distinct set is laid out once)."""

    def __init__(self, codes: list[Row], prefixes: Prefixes):
        self.ref = {code.id: prefixes.ref(Level(code.level), code.number) for code in codes}
        self.line = {code.id: f"{self.ref[code.id]}: {code.label}" for code in codes}
        self.number = {code.id: code.number for code in codes}.__getitem__
        self.parent = {code.id: code.parent_id for code in codes}
        self._columns: dict[int | frozenset[int], tuple[tuple[str, ...], ...]] = {}
        self._refs: dict[frozenset[int], str] = {}
        self.alone = {code.id: f"{self.line[code.parent_id]} ({self.ref[code.id]})"  # the parent's line, with it
                      for code in codes if code.parent_id}

    def refs(self, codes: set[int]) -> str:
        """``a2, a3, a4``: the codes' references in number order."""
        key = frozenset(codes)
        found = self._refs.get(key)
        if found is None:
            ref = self.ref
            found = self._refs[key] = ", ".join(ref[c] for c in sorted(codes, key=self.number))
        return found

    def marked(self, text: str, start: int, end: int, codings: list[tuple[int, int, int, int]]) -> str:
        """The excerpt with each coding's markers right after its span (trailing blanks left out of the span)."""
        ref = self.ref
        ends: dict[int, set[int]] = {}
        for _document, coding_start, stop, code_id in codings:
            while stop > coding_start and text[stop - 1].isspace():
                stop -= 1
            ends.setdefault(stop, set()).add(code_id)
        pieces, cursor = [], start
        for stop in sorted(ends):
            codes = ends[stop]
            pieces += [text[cursor:stop], f" ({ref[next(iter(codes))] if len(codes) == 1 else self.refs(codes)})"]
            cursor = stop
        pieces.append(text[cursor:end])
        return "".join(pieces).strip()

    def laid_out(self, code_id: int) -> tuple[tuple[str, ...], ...]:
        """The three cells of a row of one phenomenon (``columns`` of one coding)."""
        found = self._columns.get(code_id)
        if found is None:
            found = self._columns[code_id] = self._laid_out((code_id,))
        return found

    def columns(self, codings: list[tuple[int, int, int, int]]) -> tuple[tuple[str, ...], ...]:
        """Conceptualization, normalization and categorization of a row made of ``codings``."""
        if len(codings) == 1:
            return self.laid_out(codings[0][3])
        key = frozenset([coding[3] for coding in codings])
        found = self._columns.get(key)
        if found is None:
            found = self._columns[key] = self._laid_out(tuple(sorted(key, key=self.number)))
        return found

    def _laid_out(self, phenomena: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
        """The three cells of a set of phenomena in number order (each level's numbers are unique, and a code's
        parent is always of the next level, so members come out in number order as they are met)."""
        parent, line, alone = self.parent, self.line, self.alone
        if len(phenomena) == 1:  # a phenomenon alone: its concept's line with it, and the concept's category's
            code_id = phenomena[0]
            concept = parent[code_id]
            if not concept:
                return (line[code_id],), (), ()
            return (line[code_id],), (alone[code_id],), ((alone[concept],) if parent[concept] else ())
        concepts = _by_parent(phenomena, parent)
        order = sorted(concepts, key=self.number) if len(concepts) > 1 else list(concepts)
        categories = _by_parent(order, parent)
        return (tuple([line[code_id] for code_id in phenomena]), self._grouped(concepts, order),
                self._grouped(categories, sorted(categories, key=self.number) if len(categories) > 1 else categories))

    def _grouped(self, groups: dict[int, list[int]], order) -> tuple[str, ...]:
        """``aa2: Data sharing (a2, a3)`` for each group in ``order`` (number order): its line and the row's members
        under it."""
        alone, line, ref = self.alone, self.line, self.ref
        cells = []
        for code in order:
            members = groups[code]
            cells.append(alone[members[0]] if len(members) == 1 else
                         f"{line[code]} ({', '.join([ref[member] for member in members])})")
        return tuple(cells)


def open_coding_cells(rows: list[OpenCodingRow]) -> Iterator[tuple[str, str, str, str]]:
    """The rows as Table 2's four cells (one line per code within a cell)."""
    joined: dict[tuple[int, int, int], tuple[str, str, str]] = {}  # rows of one set of phenomena share them
    for row in rows:  # the rows hold every tuple for the whole loop, so no id is reused meanwhile
        key = (id(row.conceptualization), id(row.normalization), id(row.categorization))
        cells = joined.get(key)
        if cells is None:
            cells = joined[key] = (
                "\n".join(row.conceptualization), "\n".join(row.normalization), "\n".join(row.categorization))
        yield row.excerpt, *cells


def open_coding_frame(rows: list[OpenCodingRow]) -> pd.DataFrame:
    """The rows laid out as Table 2."""
    import pandas as pd

    return pd.DataFrame(list(open_coding_cells(rows)), columns=list(COLUMNS))


def _csv_pieces(rows: Iterable[OpenCodingRow]) -> Iterator[str]:
    """Table 2 as CSV text in pieces (pandas ``to_csv``'s bytes when joined): the three code cells of a set of
    phenomena are joined and quoted once, and each row is its quoted excerpt and that shared tail (not copied into
    a line of its own: most of the file is those tails)."""
    from gtcode.exchange.tables import csv_cell, csv_line

    # rows of one set of phenomena share its three tuples (``_Codes.columns``): found by the first one's id, and
    # the others checked to be the same objects (kept here, so no id is reused while its tail is)
    tails: dict[int, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    yield csv_line(COLUMNS)
    for _document, _start, _end, excerpt, phenomena, concepts, categories in rows:
        found = tails.get(id(phenomena))
        if found is None or found[1] is not phenomena or found[2] is not concepts or found[3] is not categories:
            found = tails[id(phenomena)] = (",".join(["", csv_cell("\n".join(phenomena)), csv_cell("\n".join(concepts)),
                                                      csv_cell("\n".join(categories))]) + os.linesep,
                                            phenomena, concepts, categories)
        yield csv_cell(excerpt)
        yield found[0]


def write_open_coding(rows: Iterable[OpenCodingRow], path: str | Path, fmt: str, notes: list[str] | None = None
                      ) -> Path:
    """Table 2 as md, csv or xlsx; CSV is written straight from the rows as they come (the same bytes as the table
    writer's)."""
    from gtcode.exchange.tables import write_pieces, write_table

    if fmt == "csv":
        with collected_afterwards():
            return write_pieces(_csv_pieces(rows), path)
    return write_table(open_coding_frame(list(rows)), path, fmt, caption="Open coding process table", notes=notes)


def export_open_coding(project: Project, path: str | Path, fmt: str, notes: list[str] | None = None) -> int:
    """Table 2 of what ``project.coder`` sees written to ``path`` as md, csv or xlsx; the number of rows. The CSV
    is written as its rows are made, so they are never all in memory together."""
    if fmt != "csv":
        rows = open_coding_rows(project)
        write_open_coding(rows, path, fmt, notes)
        return len(rows)
    tally = count()  # counts the rows as they pass: the next number is how many there were
    with collected_afterwards():
        write_open_coding((row for row, _ in zip(_rows(project), tally)), path, fmt)
    return next(tally)
