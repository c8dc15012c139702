"""Inter-coder agreement over a project's codings, on sentence units (segments) or on characters.

For each code, every unit gets, from every coder, 1 (the coder applied the code, or a code under it, to
text overlapping the unit) or 0; a coder who has not coded a document at all gives missing values there.
Statistics per code and overall (all unit x code decisions pooled): percent agreement (mean over coder
pairs), Cohen's kappa (exactly two coders), Fleiss' kappa (units every coder rated) and Krippendorff's
nominal alpha (missing values allowed). Documents still coded blind are left out until an owner ends the
blinding; hold-out documents are left out while the theory is built. Units no coder coded are counted and
reported: agreement on mostly uncoded text is inflated by the many units everyone left alone.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, select

from gtcode.domain import agreement as stats
from gtcode.domain.levels import Level
from gtcode.services.codes import resolve_code
from gtcode.services.coding import descendants
from gtcode.services.disagreements import compared_codings
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, SegmentRow

UNITS = ("sentence", "character")


@dataclass(frozen=True)
class CodeAgreement:
    code: str  # a reference, or "overall"
    label: str
    units: int  # units (or unit x code decisions, overall) rated by at least two coders
    uncoded: int  # of these, units no coder marked with the code
    percent: float | None
    cohen_kappa: float | None
    fleiss_kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    unit: str
    documents: tuple[int, ...]
    blind_documents: tuple[int, ...]  # left out: still coded blind
    units: int  # units of the compared documents
    uncoded_units: int  # units no coder coded with any code compared
    uncoded_share: float | None
    codes: tuple[CodeAgreement, ...]  # per code, then "overall" last


def project_agreement(project: Project, coders: list[str] | None = None, code: str | None = None,
                      unit: str = "sentence") -> AgreementReport:
    """Agreement of coders (default: everyone who coded) per code and overall."""
    if unit not in UNITS:
        raise GtcodeError(f"unit {unit!r} is unknown: choose sentence or character")
    with project.read() as session:
        names = _coders(session, coders)
        compared = compared_codings(session, project.coder, names)
        rows, doc_ids = compared.rows, list(compared.documents)
        groups = _code_groups(session, project, code, rows)
        coded_by: dict[int, set[str]] = {}
        for row in rows:
            coded_by.setdefault(row.document_id, set()).add(row.coder)
        spans = {d: _unit_spans(session, d, unit) for d in doc_ids}
    per_code, pooled, any_code = [], Counter(), None
    for ref, label, ids in groups:
        matrix = _matrix(names, doc_ids, spans, coded_by, [r for r in rows if r.code_id in ids], unit)
        patterns = _patterns(matrix)
        pooled.update(patterns)
        per_code.append(_statistics(ref, label, patterns, len(names)))
        marked = np.nan_to_num(matrix, nan=0.0).max(axis=0)
        any_code = marked if any_code is None else np.maximum(any_code, marked)
    total = sum(len(starts) for starts, _ends in spans.values())
    uncoded = int(total - (any_code.sum() if any_code is not None else 0))
    overall = _statistics("overall", "all codes compared", pooled, len(names))
    return AgreementReport(
        coders=tuple(names), unit=unit, documents=tuple(doc_ids), blind_documents=compared.blind_documents,
        units=total, uncoded_units=uncoded, uncoded_share=(uncoded / total) if total else None,
        codes=tuple(per_code) + (overall,),
    )


def _coders(session: Session, coders: list[str] | None) -> list[str]:
    if coders:
        names = list(dict.fromkeys(n.strip() for n in coders if n.strip()))
    else:
        names = sorted(set(session.exec(select(CodingRow.coder)).all()))
    if len(names) < 2:
        raise GtcodeError(f"agreement needs at least two coders, got {', '.join(names) or 'none'}: "
                          "name them with --coders A,B or let two coders code the same documents")
    return names


def _code_groups(session: Session, project: Project, code: str | None,
                 rows: list[CodingRow]) -> list[tuple[str, str, set[int]]]:
    """(reference, label, code ids counted as that code) for the one code asked for, or each code used."""
    prefixes = project.prefixes
    if code is not None:
        row = resolve_code(session, prefixes, code)
        return [(prefixes.ref(Level(row.level), row.number), row.label, set(descendants(session, row.id)))]
    used = sorted({r.code_id for r in rows})
    codes = {c.id: c for c in session.exec(select(CodeRow).where(CodeRow.id.in_(used))).all()}
    ordered = sorted(codes.values(), key=lambda c: (Level(c.level).rank, c.number))
    return [(prefixes.ref(Level(c.level), c.number), c.label, {c.id}) for c in ordered]


def _unit_spans(session: Session, document_id: int, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of a document's units: its segments (else the whole text), or its characters."""
    document = session.get(DocumentRow, document_id)
    if unit == "character":
        starts = np.arange(len(document.text), dtype=np.int64)
        return starts, starts + 1
    query = select(SegmentRow.start, SegmentRow.end).where(SegmentRow.document_id == document_id).order_by(SegmentRow.idx)
    found = [tuple(s) for s in session.exec(query).all()] or [(0, len(document.text))]
    return np.array([s for s, _e in found], dtype=np.int64), np.array([e for _s, e in found], dtype=np.int64)


def _matrix(names: list[str], doc_ids: list[int], spans: dict[int, tuple[np.ndarray, np.ndarray]],
            coded_by: dict[int, set[str]], codings: list[CodingRow], unit: str) -> np.ndarray:
    """Coders x units: 1 marked, 0 not, NaN where the coder did not code the document."""
    blocks = []
    for doc in doc_ids:
        starts, ends = spans[doc]
        block = np.zeros((len(names), len(starts)))
        for i, name in enumerate(names):
            if name not in coded_by[doc]:
                block[i, :] = np.nan
        for c in codings:
            if c.document_id == doc:
                row = block[names.index(c.coder)]
                if unit == "character":
                    row[c.start:c.end] = 1.0
                else:
                    row[(starts < c.end) & (ends > c.start)] = 1.0
        blocks.append(block)
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((len(names), 0))


Pattern = tuple[int | None, ...]  # one unit's values, coder by coder (None: missing)


def _patterns(matrix: np.ndarray) -> Counter[Pattern]:
    """How many units show each combination of the coders' values (the statistics only need these counts)."""
    if matrix.shape[1] == 0:
        return Counter()
    digits = np.where(np.isnan(matrix), 0, matrix + 1).astype(np.int64)  # 0 missing, 1 absent, 2 present
    keys = (digits * (3 ** np.arange(len(digits)))[:, None]).sum(axis=0)
    distinct, counts = np.unique(keys, return_counts=True)
    return Counter({_pattern(int(key), len(digits)): int(n) for key, n in zip(distinct, counts)})


def _pattern(key: int, coders: int) -> Pattern:
    digits = [(key // 3**i) % 3 for i in range(coders)]
    return tuple(None if d == 0 else d - 1 for d in digits)


def _statistics(ref: str, label: str, patterns: Counter[Pattern], coders: int) -> CodeAgreement:
    """The statistics of weighted unit patterns; units rated by fewer than two coders are left out."""
    rated = Counter({p: n for p, n in patterns.items() if sum(v is not None for v in p) >= 2})
    units = sum(rated.values())
    uncoded = sum(n for p, n in rated.items() if 1 not in p)
    pairs = [_pair_table(rated, i, j) for i, j in itertools.combinations(range(coders), 2)]
    return CodeAgreement(
        code=ref, label=label, units=units, uncoded=uncoded,
        percent=_mean([float(np.trace(t) / t.sum()) if t.sum() else None for t in pairs]),
        cohen_kappa=_safe(stats.cohen_kappa_table, pairs[0]) if coders == 2 and pairs[0].sum() else None,
        fleiss_kappa=_weighted_fleiss(rated, coders),
        alpha=_weighted_alpha(rated),
    )


def _pair_table(patterns: Counter[Pattern], i: int, j: int) -> np.ndarray:
    """Two coders' 2 x 2 contingency table over the units both rated."""
    table = np.zeros((2, 2))
    for p, n in patterns.items():
        if p[i] is not None and p[j] is not None:
            table[p[i], p[j]] += n
    return table


def _weighted_fleiss(patterns: Counter[Pattern], coders: int) -> float | None:
    """Fleiss' kappa over the units every coder rated (the domain function, with units weighted)."""
    complete = [(sum(p), n) for p, n in patterns.items() if None not in p]
    weight = sum(n for _k, n in complete)
    if not weight:
        return None
    agreement = sum(n * (k * (k - 1) + (coders - k) * (coders - k - 1)) for k, n in complete) / (weight * coders * (coders - 1))
    share = sum(n * k for k, n in complete) / (weight * coders)
    expected = share**2 + (1 - share) ** 2
    return None if math.isclose(expected, 1.0) else (agreement - expected) / (1 - expected)


def _weighted_alpha(patterns: Counter[Pattern]) -> float | None:
    """Krippendorff's nominal alpha from the coincidences of weighted units (binary values)."""
    o = np.zeros((2, 2))
    for p, n in patterns.items():
        values = [v for v in p if v is not None]
        ones = sum(values)
        zeros = len(values) - ones
        by_value = np.array([[zeros * (zeros - 1), zeros * ones], [ones * zeros, ones * (ones - 1)]])
        o += n * by_value / (len(values) - 1)
    n_c = o.sum(axis=1)
    total = n_c.sum()
    expected = 2 * n_c[0] * n_c[1]
    if total == 0 or expected == 0:
        return None
    return float(1 - (total - 1) * (o[0, 1] + o[1, 0]) / expected)


def _safe(function, *args) -> float | None:
    """A statistic, or None where it is undefined (no pairs, or chance agreement of 1)."""
    try:
        value = function(*args)
    except GtcodeError:
        return None
    return None if math.isnan(value) else float(value)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
