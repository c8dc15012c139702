"""Code-document and code co-occurrence matrices as pandas DataFrames.

Codings count at the level asked for: a phenomenon's coding counts for its concept, category
and main category. Co-occurrence counts the sentence units in which both codes occur (the
diagonal: units in which the code occurs). Hold-out documents are left out while blinded.
"""

from __future__ import annotations

from collections import Counter
from itertools import product

import pandas as pd

from gtcode.domain.levels import Level, parse_level
from gtcode.services.coded_units import read_corpus
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project

KINDS = ("code-doc", "cooccurrence")
LEVELS = (Level.PHENOMENON, Level.CONCEPT, Level.CATEGORY, Level.MAIN)


def _level(level: Level | str) -> Level:
    level = parse_level(level) if isinstance(level, str) else level
    if level not in LEVELS:
        raise GtcodeError(f"matrices count codings at phenomenon, concept, category or main level, not {level.value}")
    return level


def code_document_matrix(project: Project, level: Level | str = Level.PHENOMENON) -> pd.DataFrame:
    """Rows: codes of ``level`` (``ref label``); columns: document titles; cells: codings."""
    level = _level(level)
    with project.read() as session:
        corpus = read_corpus(session, project.prefixes, project.coder)
    counts: Counter[tuple[int, int]] = Counter()
    for coding in corpus.codings:
        code = corpus.at_level(coding.code_id, level)
        if code is not None:
            counts[code.id, coding.document_id] += 1
    codes = corpus.ordered_codes(level)
    data = [[counts[code.id, doc.id] for doc in corpus.documents] for code in codes]
    frame = pd.DataFrame(data, index=[corpus.name(c) for c in codes],
                         columns=[doc.title for doc in corpus.documents], dtype="int64")
    frame.index.name = level.value
    return frame


def cooccurrence_matrix(project: Project, level: Level | str = Level.PHENOMENON) -> pd.DataFrame:
    """Symmetric: the sentence units in which both codes of ``level`` occur."""
    level = _level(level)
    with project.read() as session:
        corpus = read_corpus(session, project.prefixes, project.coder)
    units: dict[tuple[int, int, int], set[int]] = {}
    for coding in corpus.codings:
        code = corpus.at_level(coding.code_id, level)
        if code is None:
            continue
        for start, end in corpus.units(coding):
            units.setdefault((coding.document_id, start, end), set()).add(code.id)
    counts: Counter[tuple[int, int]] = Counter()
    for present in units.values():
        counts.update(product(present, present))
    codes = corpus.ordered_codes(level)
    names = [corpus.name(c) for c in codes]
    data = [[counts[a.id, b.id] for b in codes] for a in codes]
    frame = pd.DataFrame(data, index=names, columns=names, dtype="int64")
    frame.index.name = level.value
    return frame


def matrix(project: Project, kind: str, level: Level | str = Level.PHENOMENON) -> pd.DataFrame:
    """``code-doc`` or ``cooccurrence``."""
    if kind == "code-doc":
        return code_document_matrix(project, level)
    if kind == "cooccurrence":
        return cooccurrence_matrix(project, level)
    raise GtcodeError(f"matrix kind {kind!r}: use one of {'|'.join(KINDS)}")
