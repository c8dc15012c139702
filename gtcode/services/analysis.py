"""Code-document and code co-occurrence matrices as pandas DataFrames.

Codings count at the level asked for: a phenomenon's coding counts for its concept, category
and main category. Co-occurrence counts the sentence units in which both codes occur (the
diagonal: units in which the code occurs). Hold-out documents are left out while blinded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gtcode.domain.levels import Level, parse_level
from gtcode.services.coded_units import CodedCorpus, read_corpus
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project

KINDS = ("code-doc", "cooccurrence")
LEVELS = (Level.PHENOMENON, Level.CONCEPT, Level.CATEGORY, Level.MAIN)


def _level(level: Level | str) -> Level:
    level = parse_level(level) if isinstance(level, str) else level
    if level not in LEVELS:
        raise GtcodeError(f"matrices count codings at phenomenon, concept, category or main level, not {level.value}")
    return level


def _rows(corpus: CodedCorpus, level: Level) -> tuple[list, dict[int, int]]:
    """The codes of ``level`` in number order, and each code id's row: that of its code at ``level``."""
    codes = corpus.ordered_codes(level)
    row = {code.id: n for n, code in enumerate(codes)}
    return codes, {code_id: row[up] for code_id, up in corpus.rolled_up(level).items()}


def _counted(cells: list[int], rows: int, columns: int) -> np.ndarray:
    """A ``rows`` x ``columns`` matrix counting each flat cell index ``row * columns + column`` in ``cells``."""
    return np.bincount(np.array(cells, dtype=np.int64), minlength=rows * columns).reshape(rows, columns)


def code_document_matrix(project: Project, level: Level | str = Level.PHENOMENON) -> pd.DataFrame:
    """Rows: codes of ``level`` (``ref label``); columns: document titles; cells: codings."""
    level = _level(level)
    with project.read() as session:
        corpus = read_corpus(session, project.prefixes, project.coder, segments=False)
    codes, row = _rows(corpus, level)
    column = {doc.id: n for n, doc in enumerate(corpus.documents)}
    width = len(column)
    cells = [row[code_id] * width + column[document_id] for document_id, code_id, _start, _end in corpus.codings
             if code_id in row]
    frame = pd.DataFrame(_counted(cells, len(codes), width), index=[corpus.name(c) for c in codes],
                         columns=[doc.title for doc in corpus.documents], dtype="int64")
    frame.index.name = level.value
    return frame


def cooccurrence_matrix(project: Project, level: Level | str = Level.PHENOMENON) -> pd.DataFrame:
    """Symmetric: the sentence units in which both codes of ``level`` occur."""
    level = _level(level)
    with project.read() as session:
        corpus = read_corpus(session, project.prefixes, project.coder)
    codes, row = _rows(corpus, level)
    units: dict[tuple[int, int, int], set[int]] = {}
    units_of = corpus.units_of
    for document_id, code_id, start, end in corpus.codings:
        code = row.get(code_id)
        if code is None:
            continue
        for unit_start, unit_end in units_of(document_id, start, end):
            key = (document_id, unit_start, unit_end)
            present = units.get(key)
            if present is None:
                units[key] = {code}
            else:
                present.add(code)
    size = len(codes)
    cells = []
    for present in units.values():
        if len(present) == 1:  # most units: one code, on the diagonal
            code = next(iter(present))
            cells.append(code * size + code)
        else:
            cells += [a * size + b for a in present for b in present]
    names = [corpus.name(c) for c in codes]
    frame = pd.DataFrame(_counted(cells, size, size), index=names, columns=names, dtype="int64")
    frame.index.name = level.value
    return frame


def matrix(project: Project, kind: str, level: Level | str = Level.PHENOMENON) -> pd.DataFrame:
    """``code-doc`` or ``cooccurrence``."""
    if kind == "code-doc":
        return code_document_matrix(project, level)
    if kind == "cooccurrence":
        return cooccurrence_matrix(project, level)
    raise GtcodeError(f"matrix kind {kind!r}: use one of {'|'.join(KINDS)}")
