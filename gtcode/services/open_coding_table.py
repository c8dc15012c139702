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

import json
import os
from bisect import bisect_left, bisect_right
from itertools import chain, groupby
from operator import itemgetter, le
from pathlib import Path
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from gtcode.domain.levels import Level, Prefixes
from gtcode.exchange.tables import csv_cell, csv_line, write_pieces, write_table
from gtcode.services.batch import collected_afterwards, driver_rows
from gtcode.services.blinding import visible_codings
from gtcode.services.coded_units import CODE_COLUMNS
from gtcode.services.project import Project
from gtcode.store.tables import CodingRow, DocumentRow, SegmentRow
from gtcode.text.files import atomic_text

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
    """``open_coding_rows`` one at a time, made of ``BATCH`` documents at a time (``_batches``)."""
    for table, documents, codings, segments in _batches(project):
        cells = table.cells
        for title, excerpts, texts, phenomena in _marked(table, documents, codings, segments):
            for (start, end, _members), excerpt, codes in zip(excerpts, texts, phenomena):
                yield OpenCodingRow(title, start, end, excerpt, *cells(codes))


def _batches(project: Project) -> Iterator[tuple[_Codes, dict, list, dict]]:
    """The codes, and what ``_read`` reads of ``BATCH`` documents at a time, all read in one transaction."""
    with project.read() as session:
        read = session.connection().execute
        codes = read(select(*CODE_COLUMNS)).all()
        table = _Codes(codes, project.prefixes)
        phenomena = {code.id for code in codes if code.level == Level.PHENOMENON.value}
        ids = read(select(DocumentRow.id).order_by(DocumentRow.id)).scalars().all()
        for first in range(0, len(ids), BATCH):
            yield (table, *_read(session, project.coder, phenomena, ids[first], ids[min(first + BATCH, len(ids)) - 1]))


def _csv_text(project: Project, counts: list[int]) -> Iterator[str]:
    """Table 2 as CSV text (``write_open_coding``'s bytes), a batch of documents at a time, each batch's number of
    rows added to ``counts``. A line is its excerpt's cell and its code cells (``_Codes.tails``), joined once."""
    yield csv_line(COLUMNS)
    for table, documents, codings, segments in _batches(project):
        tails, pieces, rows = table.tails.__getitem__, [], 0
        for _title, _excerpts, texts, phenomena in _marked(table, documents, codings, segments):
            pieces += chain.from_iterable(zip(map(csv_cell, texts), map(tails, phenomena)))
            rows += len(texts)
        counts.append(rows)
        yield "".join(pieces)


def _marked(table: _Codes, documents: dict, codings: list, segments: dict
            ) -> Iterator[tuple[str, list[tuple[int, int, list]], list[str], list[int | tuple[int, ...]]]]:
    """Per document of ``codings`` (grouped by document), in id order: its title, its excerpts in text order
    (``_excerpts``), their texts with each coding's markers right after the coding's span (trailing blanks left
    out of the span), and their phenomena: the one's id, or several in number order (what the code cells are
    made of)."""
    ref, number = table.ref, table.number
    for document_id, of_document in groupby(codings, key=itemgetter(0)):
        title, text, characters = documents[document_id]
        excerpts = _excerpts(list(of_document), segments.get(document_id), characters)
        texts: list[str] = []
        phenomena: list[int | tuple[int, ...]] = []
        for start, end, members in excerpts:
            if len(members) == 1:  # most excerpts: one coding
                _document, coding_start, stop, code_id = members[0]
                while stop > coding_start and text[stop - 1].isspace():
                    stop -= 1
                texts.append(f"{text[start:stop]} ({ref[code_id]}){text[stop:end]}".strip())
                phenomena.append(code_id)
                continue
            ends: dict[int, list[int]] = {}  # the codes of the codings ending at each place
            for _document, coding_start, stop, code_id in members:
                while stop > coding_start and text[stop - 1].isspace():
                    stop -= 1
                found = ends.get(stop)
                if found is None:
                    ends[stop] = [code_id]
                elif code_id not in found:
                    found.append(code_id)
            pieces, cursor = [], start
            for stop in sorted(ends):
                codes = ends[stop]
                pieces += (text[cursor:stop], f" ({ref[codes[0]]})" if len(codes) == 1 else
                           f" ({', '.join([ref[code] for code in sorted(codes, key=number)])})")
                cursor = stop
            pieces.append(text[cursor:end])
            texts.append("".join(pieces).strip())
            phenomena.append(tuple(sorted({coding[3] for coding in members}, key=number)))
        yield title, excerpts, texts, phenomena


def _read(session, coder: str, phenomena: set[int], low: int, high: int) -> tuple[dict, list, dict]:
    """The phenomenon codings ``coder`` sees (``visible_codings``) on documents ``low`` to ``high`` (ids) as
    ``(document_id, start, end, code_id)`` grouped by document in id order (SQLite reads them so from an index; a
    document's excerpts are put in text order by ``_excerpts``), the title, text and length of their documents and
    their sentences' starts and ends: each table read once per batch, as columns (the driver's tuples for the
    large ones)."""
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
    segments = {}
    for document_id, of_document in groupby(spans, key=itemgetter(0)):
        _ids, starts, ends = zip(*of_document)
        segments[document_id] = (starts, ends)
    return documents, codings, segments


def _excerpts(codings: list[tuple[int, int, int, int]], segments: tuple[Sequence[int], Sequence[int]] | None,
              characters: int) -> list[tuple[int, int, list[tuple[int, int, int, int]]]]:
    """Sentence spans around a document's codings (the sentences each overlaps, as ``CodedCorpus.units_of`` finds
    them, from the sentences' starts and ends; the whole text when unsegmented), merged where they overlap, each
    with its codings."""
    if not segments:
        spans = [(0 if 0 < coding[1] else coding[1], characters if characters > coding[2] else coding[2], coding)
                 for coding in codings]
    else:
        starts, ends = segments
        spans = (_sentences if _ascending(starts) and _ascending(ends) else _sentences_walked)(starts, ends, codings)
    spans.sort(key=itemgetter(0, 1))
    merged: list[tuple[int, int, list[tuple[int, int, int, int]]]] = []
    append = merged.append
    members, last_start, last_end = None, 0, 0
    for start, end, coding in spans:
        if members is not None and start < last_end:
            members.append(coding)
            if end > last_end:
                last_end = end
            continue
        if members is not None:
            append((last_start, last_end, members))
        last_start, last_end, members = start, end, [coding]
    if members is not None:
        append((last_start, last_end, members))
    return merged


def _ascending(values: Sequence[int]) -> bool:
    return all(map(le, values, values[1:]))


def _sentences(starts: Sequence[int], ends: Sequence[int], codings: list[tuple[int, int, int, int]]
               ) -> list[tuple[int, int, tuple[int, int, int, int]]]:
    """Each coding's span widened to the sentences it overlaps, from the first to the last (``_sentences_walked``'s
    answer, found by bisection: the sentences' starts and ends both ascend, so those a span overlaps are one run)."""
    spans = []
    append = spans.append
    for coding in codings:
        start, end = coding[1], coding[2]
        first = bisect_right(starts, start) - 1
        if first < 0:
            first = 0
        low = bisect_right(ends, start)  # the first sentence ending after the start
        if low < first:
            low = first
        high = bisect_left(starts, end, first)  # the first sentence from ``first`` on starting at or after the end
        if low < high:
            low, high = starts[low], ends[high - 1]
        else:
            low, high = starts[first], ends[first]
        append((low if low < start else start, high if high > end else end, coding))
    return spans


def _sentences_walked(starts: Sequence[int], ends: Sequence[int], codings: list[tuple[int, int, int, int]]
                      ) -> list[tuple[int, int, tuple[int, int, int, int]]]:
    """Each coding's span widened to the sentences it overlaps, from the first to the last, walking on from the
    last one starting at or before its start (that one when it overlaps none)."""
    spans = []
    for coding in codings:
        start, end = coding[1], coding[2]
        first = max(bisect_right(starts, start) - 1, 0)
        low = high = None
        for index in range(first, len(starts)):
            if starts[index] >= end:
                break
            if ends[index] > start:
                if low is None:
                    low = starts[index]
                high = ends[index]
        if low is None:
            low, high = starts[first], ends[first]
        spans.append((min(low, start), max(high, end), coding))
    return spans


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


class _Tails(dict):
    """A CSV line's three code cells for the phenomena of a row (``_Codes.cells``) with the commas before them and
    the line's end, by the phenomena: kept for one phenomenon (they recur); a set of several seldom recurs, so it
    is laid out anew each time (looked up as a dictionary's items so that a batch's lines are made without a
    Python call for each)."""

    def __init__(self, codes: _Codes):
        super().__init__()
        self._codes = codes

    def __missing__(self, phenomena: int | tuple[int, ...]) -> str:
        if phenomena.__class__ is not int:
            return _csv_tail(self._codes._laid_out(phenomena))
        found = self[phenomena] = _csv_tail(self._codes.cells(phenomena))
        return found


class _Codes:
    """Each code's reference, ``ref: label`` line, number and parent, made once; and the cells made of them
    (the three code columns of a row depend only on its set of phenomena: each distinct set is laid out once for
    the rows, each phenomenon's once for the CSV's lines, ``tails``)."""

    def __init__(self, codes: list[Row], prefixes: Prefixes):
        prefix = prefixes.as_mapping()  # by level, as the rows hold it
        self.ref = {code.id: f"{prefix[code.level]}{code.number}" for code in codes}
        self.line = {code.id: f"{self.ref[code.id]}: {code.label}" for code in codes}
        numbers = {code.id: code.number for code in codes}
        self.number = numbers.__getitem__
        self.parent = {code.id: code.parent_id for code in codes}
        self.above = {code.id: numbers[code.parent_id] for code in codes if code.parent_id}.__getitem__  # its parent's number
        self._columns: dict[int | tuple[int, ...], tuple[tuple[str, ...], ...]] = {}
        self.tails = _Tails(self)
        self.alone = {code.id: f"{self.line[code.parent_id]} ({self.ref[code.id]})"  # the parent's line, with it
                      for code in codes if code.parent_id}

    def cells(self, phenomena: int | tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
        """Conceptualization, normalization and categorization of a row of ``phenomena`` (one id, or several in
        number order), made once for each."""
        found = self._columns.get(phenomena)
        if found is None:
            found = self._columns[phenomena] = self._laid_out((phenomena,) if phenomena.__class__ is int else phenomena)
        return found

    def _laid_out(self, phenomena: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
        """The three cells of a set of phenomena in number order (``_grouped_cells``, each level's numbers being
        unique, made straight for the sets most rows have: one phenomenon under each concept, one concept under
        each category)."""
        parent, line, alone = self.parent, self.line, self.alone
        if len(phenomena) == 1:  # a phenomenon alone: its concept's line with it, and the concept's category's
            code_id = phenomena[0]
            concept = parent[code_id]
            if not concept:
                return (line[code_id],), (), ()
            return (line[code_id],), (alone[code_id],), ((alone[concept],) if parent[concept] else ())
        concepts = [parent[code_id] for code_id in phenomena]
        if all(concepts) and len(set(concepts)) == len(concepts):
            categories = [parent[concept] for concept in concepts]
            if all(categories) and len(set(categories)) == len(categories):  # each alone under its parent
                above = self.above
                return (tuple(map(line.__getitem__, phenomena)), tuple(map(alone.__getitem__, sorted(phenomena, key=above))),
                        tuple(map(alone.__getitem__, sorted(concepts, key=above))))
        return self._grouped_cells(phenomena)

    def _grouped_cells(self, phenomena: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
        """The three cells of two or more phenomena in number order: the phenomena's lines, then each concept's
        (in number order) with the row's phenomena under it, then each category's likewise (a code's parent is
        always of the next level, so members come out in number order as they are met)."""
        parent, line = self.parent, self.line
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


def _csv_tail(cells: tuple[tuple[str, ...], ...]) -> str:
    """The code cells of a CSV line (one line per code in each) after its excerpt cell: a comma before each, the
    line's end after them (pandas ``to_csv``'s bytes)."""
    phenomena, concepts, categories = cells
    return f",{csv_cell(_LINE.join(phenomena))},{csv_cell(_LINE.join(concepts))},{csv_cell(_LINE.join(categories))}{os.linesep}"


_LINE = "\n"  # between the codes of a cell


def write_open_coding(rows: Iterable[OpenCodingRow], path: str | Path, fmt: str, notes: list[str] | None = None
                      ) -> Path:
    """Table 2 as md, csv or xlsx (the table writer's bytes)."""
    return write_table(open_coding_frame(list(rows)), path, fmt, caption="Open coding process table", notes=notes)


def export_open_coding(project: Project, path: str | Path, fmt: str, notes: list[str] | None = None) -> int:
    """Table 2 of what ``project.coder`` sees written to ``path`` as md, csv, xlsx or json (a record per row with
    its document and markers); the number of rows. The CSV is written a batch of documents at a time as its lines
    are made (``write_open_coding``'s bytes), so its rows are never all in memory together."""
    if fmt == "json":
        rows = open_coding_rows(project)
        atomic_text(path, json.dumps([row._asdict() for row in rows], ensure_ascii=False, indent=2) + "\n")
        return len(rows)
    if fmt != "csv":
        rows = open_coding_rows(project)
        write_open_coding(rows, path, fmt, notes)
        return len(rows)
    counts: list[int] = []
    with collected_afterwards():
        write_pieces(_csv_text(project, counts), path, joined=1)
    return sum(counts)
