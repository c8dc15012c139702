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
    """Table 2's rows for every coded excerpt of the visible documents, in document and text order."""
    with project.read() as session:
        corpus = read_corpus(session, project.prefixes, project.coder, texts=True)
    rows = []
    by_document = corpus.by_document()
    for document in corpus.documents:
        codings = [c for c in by_document.get(document.id, ()) if corpus.codes[c.code_id].level == Level.PHENOMENON.value]
        for start, end, members in _excerpts(corpus, codings):
            rows.append(_row(corpus, document.title, document.text, start, end, members))
    return rows


def _excerpts(corpus: CodedCorpus, codings: list[Row]) -> list[tuple[int, int, list[Row]]]:
    """Sentence spans around codings, merged where they overlap."""
    spans = []
    for coding in codings:
        units = corpus.units(coding)
        spans.append((min(units[0][0], coding.start), max(units[-1][1], coding.end), coding))
    merged: list[tuple[int, int, list[Row]]] = []
    for start, end, coding in sorted(spans, key=lambda item: (item[0], item[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + [coding])
        else:
            merged.append((start, end, [coding]))
    return merged


def _numbered(codes: set[int], corpus: CodedCorpus) -> list[Row]:
    return sorted((corpus.codes[i] for i in codes), key=lambda c: c.number)


def _marked(text: str, start: int, end: int, codings: list[Row], corpus: CodedCorpus) -> str:
    ends: dict[int, set[int]] = {}
    for coding in codings:
        stop = coding.end
        while stop > coding.start and text[stop - 1].isspace():
            stop -= 1
        ends.setdefault(stop, set()).add(coding.code_id)
    pieces, cursor = [], start
    for stop in sorted(ends):
        refs = ", ".join(corpus.ref(c) for c in _numbered(ends[stop], corpus))
        pieces += [text[cursor:stop], f" ({refs})"]
        cursor = stop
    pieces.append(text[cursor:end])
    return "".join(pieces).strip()


def _row(corpus: CodedCorpus, title: str, text: str, start: int, end: int, codings: list[Row]) -> OpenCodingRow:
    phenomena = _numbered({c.code_id for c in codings}, corpus)
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

    return OpenCodingRow(title, start, end, _marked(text, start, end, codings, corpus),
                         tuple(f"{corpus.ref(code)}: {code.label}" for code in phenomena),
                         lines(concepts), lines(categories))


def open_coding_frame(rows: list[OpenCodingRow]) -> pd.DataFrame:
    """The rows laid out as Table 2 (one line per code within a cell)."""
    import pandas as pd

    data = [(r.excerpt, "\n".join(r.conceptualization), "\n".join(r.normalization), "\n".join(r.categorization))
            for r in rows]
    return pd.DataFrame(data, columns=list(COLUMNS))
