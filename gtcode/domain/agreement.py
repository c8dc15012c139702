"""Inter-coder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Undefined chance correction: when expected agreement is 1 (kappa) or expected disagreement is 0 (alpha),
every rating falls in one category and the statistic is 0/0. The functions then return ``nan``, not 1.0:
agreement was not *shown* to exceed chance, because chance alone would have produced it.

Missing ratings are ``None`` or NaN. Bad input raises GtcodeError with a one-line message.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np

from gtcode.domain.errors import GtcodeError

__all__ = [
    "LEVELS",
    "coincidence_matrix",
    "cohen_kappa",
    "cohen_kappa_table",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Reliability = Sequence[Sequence[object]] | np.ndarray  # coders x units, None or NaN where missing
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share of units on which two coders gave the same label (units missing for either are skipped)."""
    table = _contingency(a, b)
    return float(np.trace(table) / table.sum())


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' labels (units missing for either are skipped)."""
    return cohen_kappa_table(_contingency(a, b))


def cohen_kappa_table(table: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Cohen's kappa from a square contingency table (rows coder 1, columns coder 2)."""
    t = _as_counts(table, "table")
    if t.shape[0] != t.shape[1]:
        raise GtcodeError(f"table: must be square, got {t.shape[0]}x{t.shape[1]}")
    total = t.sum()
    if total <= 0:
        raise GtcodeError("table: holds no ratings")
    observed = np.trace(t) / total
    expected = float(t.sum(axis=1) @ t.sum(axis=0)) / total**2
    return _chance_corrected(float(observed), expected)


def fleiss_kappa(counts: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Fleiss' kappa from a subjects x categories matrix of how many raters chose each category.

    Every subject must have the same number of ratings, at least 2.
    """
    m = _as_counts(counts, "counts")
    raters = m.sum(axis=1)
    n = raters[0]
    if not np.allclose(raters, n):
        spread = f"{raters.min():g} to {raters.max():g}"
        raise GtcodeError(f"counts: every subject needs the same number of ratings, got {spread}")
    if n < 2:
        raise GtcodeError(f"counts: need at least 2 ratings per subject, got {n:g}")
    per_subject = ((m * m).sum(axis=1) - n) / (n * (n - 1))
    shares = m.sum(axis=0) / m.sum()
    return _chance_corrected(float(per_subject.mean()), float(shares @ shares))


def coincidence_matrix(reliability_data: Reliability) -> tuple[list[object], np.ndarray]:
    """Krippendorff's coincidence matrix of a coders x units reliability matrix.

    Returns the distinct values (sorted when they can be) and the matrix ``o`` with ``o[c, k]`` the
    number of c-k pairs within units, each unit weighted by 1/(values in unit - 1). Units with fewer
    than two values are not pairable and left out.
    """
    values, by_unit = _values_by_unit(reliability_data)
    pairable = by_unit.sum(axis=1) >= 2
    if not pairable.any():
        raise GtcodeError("reliability_data: no unit has values from at least two coders")
    by_unit = by_unit[pairable]
    weights = 1.0 / (by_unit.sum(axis=1) - 1)
    weighted = by_unit * weights[:, None]
    o = weighted.T @ by_unit - np.diag(weighted.sum(axis=0))
    present = o.sum(axis=1) > 0
    return [v for v, keep in zip(values, present) if keep], o[np.ix_(present, present)]


def krippendorff_alpha(reliability_data: Reliability, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a coders x units matrix with missing values (None or NaN).

    ``level`` is ``nominal``, ``ordinal``, ``interval`` or ``ratio``; ordinal distances use the values'
    marginal frequencies (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
    """
    if level not in LEVELS:
        raise GtcodeError(f"level: must be one of {', '.join(LEVELS)}, got {level!r}")
    values, o = coincidence_matrix(reliability_data)
    n_c = o.sum(axis=1)
    delta2 = _squared_distances(level, values, n_c)
    observed = float((o * delta2).sum())
    expected = float((np.outer(n_c, n_c) * delta2).sum()) / (n_c.sum() - 1)
    if expected == 0:
        return math.nan
    return 1.0 - observed / expected


def _chance_corrected(observed: float, expected: float) -> float:
    """(observed - expected) / (1 - expected), NaN where expected agreement is 1."""
    if math.isclose(expected, 1.0, rel_tol=1e-12, abs_tol=0.0):
        return math.nan
    return (observed - expected) / (1.0 - expected)


def _as_counts(data: object, name: str) -> np.ndarray:
    """A non-empty 2-D array of finite, non-negative counts."""
    try:
        m = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise GtcodeError(f"{name}: must be a rectangular table of numbers") from None
    if m.ndim != 2 or m.size == 0:
        raise GtcodeError(f"{name}: must be a non-empty 2-D table, got shape {m.shape}")
    if not np.isfinite(m).all() or (m < 0).any():
        raise GtcodeError(f"{name}: counts must be finite and non-negative")
    return m


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def _contingency(a: Sequence[Hashable], b: Sequence[Hashable]) -> np.ndarray:
    """Square table of two coders' labels over the union of their categories."""
    if len(a) != len(b):
        raise GtcodeError(f"labels: the two coders rated different numbers of units ({len(a)} and {len(b)})")
    pairs = [(x, y) for x, y in zip(a, b) if not (_is_missing(x) or _is_missing(y))]
    if not pairs:
        raise GtcodeError("labels: no unit was rated by both coders")
    index = _index_values({v for pair in pairs for v in pair})
    table = np.zeros((len(index), len(index)))
    for x, y in pairs:
        table[index[x], index[y]] += 1
    return table


def _index_values(distinct: set[object] | list[object]) -> dict[object, int]:
    """Positions of distinct values, sorted when they are mutually comparable."""
    try:
        ordered = sorted(distinct)  # type: ignore[type-var]
    except TypeError:
        ordered = sorted(distinct, key=repr)
    return {v: i for i, v in enumerate(ordered)}


def _values_by_unit(reliability_data: Reliability) -> tuple[list[object], np.ndarray]:
    """Distinct values and a units x values count matrix, after checking the matrix's shape."""
    rows = [list(row) for row in reliability_data]
    if len(rows) < 2:
        raise GtcodeError(f"reliability_data: need at least 2 coders (rows), got {len(rows)}")
    n_units = len(rows[0])
    if n_units == 0:
        raise GtcodeError("reliability_data: has no units (columns)")
    if any(len(row) != n_units for row in rows):
        raise GtcodeError("reliability_data: every coder (row) must have one entry per unit")
    cells = [(u, v) for row in rows for u, v in enumerate(row) if not _is_missing(v)]
    index = _index_values({v for _, v in cells})
    by_unit = np.zeros((n_units, len(index)))
    for u, v in cells:
        by_unit[u, index[v]] += 1
    return list(index), by_unit


def _squared_distances(level: str, values: list[object], n_c: np.ndarray) -> np.ndarray:
    """Krippendorff's squared difference function for the level, between all pairs of values."""
    k = len(values)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        _check_ordered(values)
        cum = np.concatenate(([0.0], np.cumsum(n_c)))
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cum[hi + 1] - cum[lo]  # frequencies of the values from c to k, both included
        return (between - np.add.outer(n_c, n_c) / 2) ** 2
    x = _numeric(values, level)
    diff = np.subtract.outer(x, x)
    if level == "interval":
        return diff**2
    total = np.add.outer(x, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total == 0, 0.0, (diff / total) ** 2)


def _check_ordered(values: list[object]) -> None:
    """Ordinal values must have an order of their own."""
    try:
        sorted(values)  # type: ignore[type-var]
    except TypeError:
        raise GtcodeError("level: ordinal needs values that can be ordered") from None


def _numeric(values: list[object], level: str) -> np.ndarray:
    """Values as floats for interval and ratio metrics."""
    if any(isinstance(v, str | bytes) for v in values):
        raise GtcodeError(f"level: {level} needs numeric values, got text")
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise GtcodeError(f"level: {level} needs numeric values") from None
    if level == "ratio" and (x < 0).any():
        raise GtcodeError("level: ratio needs non-negative values")
    return x
