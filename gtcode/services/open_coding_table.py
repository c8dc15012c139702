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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Row

from gtcode.domain.levels import Level
from gtcode.services.batch import collected_afterwards
from gtcode.services.coded_units import CodedCorpus, read_corpus
from gtcode.services.project import Project

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("Selected source materials", "Conceptualization", "Normalization", "Categorization")


@dataclass(frozen=True)
class OpenCodingRow:
    document: str
    start: int
    end: int
    excerpt: str
    conceptualization: tuple[str, ...]
    normalization: tuple[str, ...]
    categorization: tuple[str, ...]


def open_coding_rows(project: Project) -> list[OpenCodingRow]:
    """Table 2's rows for every coded excerpt of the visible documents, in document and text order.

    Codings are plain tuples ``(start, end, code_id)``; the three code columns of a row depend only on its set
    of phenomena, so they are made once per distinct set (most sets recur across a corpus)."""
    with collected_afterwards():
        return _rows(project)


def _rows(project: Project) -> list[OpenCodingRow]:
    with project.read() as session:
        corpus = read_corpus(session, project.prefixes, project.coder, texts=True)
    phenomena = {code.id for code in corpus.codes.values() if code.level == Level.PHENOMENON.value}
    columns: dict[frozenset[int], tuple[tuple[str, ...], ...]] = {}
    rows = []
    by_document = corpus.by_document()
    for document in corpus.documents:
        codings = [(c.start, c.end, c.code_id) for c in by_document.get(document.id, ()) if c.code_id in phenomena]
        if not codings:
            continue
        text = document.text
        for start, end, members in _excerpts(corpus, document.id, codings):
            codes = frozenset(code_id for _s, _e, code_id in members)
            found = columns.get(codes)
            if found is None:
                found = columns[codes] = _columns(corpus, codes)
            rows.append(OpenCodingRow(document.title, start, end, _marked(text, start, end, members, corpus), *found))
    return rows


def _excerpts(corpus: CodedCorpus, document_id: int, codings: list[tuple[int, int, int]]
              ) -> list[tuple[int, int, list[tuple[int, int, int]]]]:
    """Sentence spans around a document's codings, merged where they overlap."""
    spans = []
    for coding in codings:
        start, end = coding[0], coding[1]
        units = corpus.units_of(document_id, start, end)
        spans.append((min(units[0][0], start), max(units[-1][1], end), coding))
    spans.sort(key=lambda item: (item[0], item[1]))
    merged: list[tuple[int, int, list[tuple[int, int, int]]]] = []
    for start, end, coding in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[2].append(coding)
            if end > last[1]:
                merged[-1] = (last[0], end, last[2])
        else:
            merged.append((start, end, [coding]))
    return merged


def _numbered(codes, corpus: CodedCorpus) -> list[Row]:
    return sorted((corpus.codes[i] for i in codes), key=lambda c: c.number)


def _marked(text: str, start: int, end: int, codings: list[tuple[int, int, int]], corpus: CodedCorpus) -> str:
    ends: dict[int, set[int]] = {}
    for coding_start, stop, code_id in codings:
        while stop > coding_start and text[stop - 1].isspace():
            stop -= 1
        ends.setdefault(stop, set()).add(code_id)
    pieces, cursor = [], start
    for stop in sorted(ends):
        refs = ", ".join(corpus.ref(c) for c in _numbered(ends[stop], corpus))
        pieces += [text[cursor:stop], f" ({refs})"]
        cursor = stop
    pieces.append(text[cursor:end])
    return "".join(pieces).strip()


def _columns(corpus: CodedCorpus, codes: frozenset[int]) -> tuple[tuple[str, ...], ...]:
    """Conceptualization, normalization and categorization of a row whose phenomena are ``codes``."""
    phenomena = _numbered(codes, corpus)
    concepts: dict[int, set[int]] = {}
    for code in phenomena:
        if code.parent_id:
            concepts.setdefault(code.parent_id, set()).add(code.id)
    categories: dict[int, set[int]] = {}
    for concept_id in concepts:
        parent = corpus.codes[concept_id].parent_id
        if parent:
            categories.setdefault(parent, set()).add(concept_id)

    def lines(groups: dict[int, set[int]]) -> tuple[str, ...]:
        return tuple(f"{corpus.ref(code)}: {code.label} ({', '.join(corpus.ref(c) for c in _numbered(groups[code.id], corpus))})"
                     for code in _numbered(set(groups), corpus))

    return tuple(f"{corpus.ref(code)}: {code.label}" for code in phenomena), lines(concepts), lines(categories)


def open_coding_frame(rows: list[OpenCodingRow]) -> pd.DataFrame:
    """The rows laid out as Table 2 (one line per code within a cell)."""
    import pandas as pd

    data = [(r.excerpt, "\n".join(r.conceptualization), "\n".join(r.normalization), "\n".join(r.categorization))
            for r in rows]
    return pd.DataFrame(data, columns=list(COLUMNS))
