"""New-code saturation curve after Guest, Namey & Chen (2020), PLOS ONE 15(5): e0232076.

Documents are taken in coding order. The first ``base_size`` documents form the *base*; its unique codes
are the denominator. A *run* of ``run_length`` documents slides one document at a time from the first
document after the base; its ratio is the number of codes first seen in the run divided by the base's
unique codes. Saturation is reached at the first run whose ratio is at most ``threshold`` and is written
``"x+y"``: ``x`` documents were coded before the run, and ``y`` (the run length) documents confirm it.

A document's *new-code count* is the number of codes that appear for the first time in it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from gtcode.domain.errors import GtcodeError

__all__ = [
    "OrderSaturation",
    "Saturation",
    "new_code_counts",
    "new_code_counts_for_orders",
    "saturation_curve",
    "saturation_over_orders",
]

Run = tuple[int, int, float]  # (start_index, new_in_run, ratio)

_ORDER_CHUNK = 256  # orders handled per vectorised block; bounds memory, fixed so seeds stay reproducible


@dataclass(frozen=True)
class Saturation:
    """The saturation assessment of one coding order.

    ``runs`` holds one ``(start_index, new_in_run, ratio)`` per run, ``start_index`` being the 0-based
    index of the run's first document (equal to the number of documents before it). ``ratio`` is NaN when
    the base holds no codes. ``cumulative`` is the number of unique codes after each document.
    ``documents_to_saturation`` is ``x`` of ``"x+y"``; ``x + run_length`` documents show it.
    """

    base_size: int
    run_length: int
    threshold: float
    n_documents: int
    base_unique: int
    runs: tuple[Run, ...]
    saturated: bool
    point: str | None
    documents_to_saturation: int | None
    cumulative: tuple[int, ...]
    message: str

    @property
    def enough_documents(self) -> bool:
        """Whether there were documents for the base and at least one run."""
        return self.n_documents >= self.base_size + self.run_length

    @property
    def determined(self) -> bool:
        """Whether the data can decide: documents for a base and a run, and codes in the base."""
        return self.enough_documents and self.base_unique > 0


@dataclass(frozen=True)
class OrderSaturation:
    """Saturation over many random coding orders of the same documents.

    ``points`` holds ``x`` for each order (None where that order never saturates). The median and the
    95% interval (2.5th and 97.5th percentiles) are document counts (nearest rank: the smallest ``x`` that
    at least that share of orders reaches), so they read as points ``x+y`` too; a non-saturating order counts
    as later than any document, and a bound that falls among those orders is None ("not reached").
    """

    n_orders: int
    seed: int
    base_size: int
    run_length: int
    threshold: float
    n_documents: int
    share_saturated: float
    median_documents: int | None
    interval_95: tuple[int | None, int | None]
    points: tuple[int | None, ...]
    message: str


def new_code_counts(code_sets_per_document: Iterable[Iterable[Hashable]]) -> list[int]:
    """Codes seen for the first time in each document, documents in the given order."""
    seen: set[Hashable] = set()
    counts = []
    for codes in code_sets_per_document:
        fresh = set(codes) - seen
        seen |= fresh
        counts.append(len(fresh))
    return counts


def new_code_counts_for_orders(
    code_sets_per_document: Sequence[Iterable[Hashable]], orders: np.ndarray
) -> np.ndarray:
    """New-code counts for several coding orders at once.

    ``orders`` is an ``(k, n)`` integer array; each row lists the document indices in coding order and
    must be a permutation of ``range(n)``. Returns a ``(k, n)`` array: row ``i`` is
    ``new_code_counts`` of the documents taken in order ``orders[i]``.
    """
    n = len(code_sets_per_document)
    orders = np.asarray(orders)
    if orders.ndim != 2 or orders.shape[1] != n:
        raise GtcodeError(f"orders: expected shape (k, {n}), got {orders.shape}")
    if not np.array_equal(np.sort(orders, axis=1), np.broadcast_to(np.arange(n), orders.shape)):
        raise GtcodeError("orders: every row must be a permutation of the document indices")
    code_docs, starts = _incidence(code_sets_per_document)
    positions = np.argsort(orders, axis=1)  # positions[i, d]: where document d comes in order i
    return _counts_from_positions(positions, code_docs, starts)


def saturation_curve(
    new_counts: Sequence[int], base_size: int = 4, run_length: int = 2, threshold: float = 0.05
) -> Saturation:
    """Assess saturation of one coding order from its per-document new-code counts."""
    _check_params(base_size, run_length, threshold)
    counts = _check_counts(new_counts)
    n = len(counts)
    cumulative = tuple(int(c) for c in np.cumsum(counts))
    base_unique = int(counts[:base_size].sum())
    if n < base_size + run_length:
        message = _not_enough(n, base_size, run_length)
        return Saturation(
            base_size, run_length, threshold, n, base_unique, (), False, None, None, cumulative, message
        )
    new_in_run, ratios = _run_ratios(counts[np.newaxis, :], base_size, run_length)
    runs = tuple(
        (base_size + i, int(new), float(ratio)) for i, (new, ratio) in enumerate(zip(new_in_run[0], ratios[0]))
    )
    first = int(_first_saturating(ratios, threshold)[0])
    x = None if first < 0 else base_size + first
    point = None if x is None else f"{x}+{run_length}"
    message = _describe(base_size, run_length, threshold, base_unique, runs, x)
    return Saturation(
        base_size, run_length, threshold, n, base_unique, runs, x is not None, point, x, cumulative, message
    )


def saturation_over_orders(
    code_sets_per_document: Sequence[Iterable[Hashable]],
    n_orders: int = 1000,
    seed: int = 0,
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
) -> OrderSaturation:
    """Saturation point over ``n_orders`` random document orders (reproducible for a given ``seed``)."""
    _check_params(base_size, run_length, threshold)
    if isinstance(n_orders, bool) or not isinstance(n_orders, int | np.integer) or n_orders < 1:
        raise GtcodeError(f"n_orders: must be an integer of at least 1, got {n_orders!r}")
    n = len(code_sets_per_document)
    if n < base_size + run_length:
        message = _not_enough(n, base_size, run_length)
        return OrderSaturation(
            n_orders, seed, base_size, run_length, threshold, n, 0.0, None, (None, None), (), message
        )
    code_docs, starts = _incidence(code_sets_per_document)
    rng = np.random.default_rng(seed)
    firsts = []
    for begin in range(0, n_orders, _ORDER_CHUNK):
        k = min(_ORDER_CHUNK, n_orders - begin)
        positions = rng.permuted(np.broadcast_to(np.arange(n), (k, n)), axis=1)
        counts = _counts_from_positions(positions, code_docs, starts)
        _, ratios = _run_ratios(counts, base_size, run_length)
        firsts.append(_first_saturating(ratios, threshold))
    first = np.concatenate(firsts)
    saturated = first >= 0
    x = np.where(saturated, first + base_size, np.inf)
    x.sort()
    median = _censored_quantile(x, 0.5)
    interval = (_censored_quantile(x, 0.025), _censored_quantile(x, 0.975))
    points = tuple(int(base_size + f) if f >= 0 else None for f in first)
    share = float(saturated.mean())
    message = _describe_orders(n_orders, run_length, share, median, interval)
    return OrderSaturation(
        n_orders, seed, base_size, run_length, threshold, n, share, median, interval, points, message
    )


def _check_params(base_size: int, run_length: int, threshold: float) -> None:
    """Raise GtcodeError naming the first invalid parameter."""
    for name, value in (("base_size", base_size), ("run_length", run_length)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise GtcodeError(f"{name}: must be an integer of at least 1, got {value!r}")
    if not isinstance(threshold, int | float | np.floating) or not 0 <= threshold < 1:
        raise GtcodeError(f"threshold: must be a number in [0, 1), got {threshold!r}")


def _check_counts(new_counts: Sequence[int]) -> np.ndarray:
    """The counts as an int64 array; GtcodeError if any is negative or not a whole number."""
    counts = np.asarray(list(new_counts))
    if counts.size == 0:
        return np.zeros(0, dtype=np.int64)
    if counts.ndim != 1 or not np.issubdtype(counts.dtype, np.integer):
        raise GtcodeError("new_counts: must be a flat sequence of whole numbers")
    if (counts < 0).any():
        at = int(counts.argmin())
        raise GtcodeError(f"new_counts: must not be negative, got {int(counts[at])} at index {at}")
    return counts.astype(np.int64)


def _run_ratios(counts: np.ndarray, base_size: int, run_length: int) -> tuple[np.ndarray, np.ndarray]:
    """New codes in each run and their ratio to the base's unique codes, for each row of ``counts``."""
    csum = np.zeros((counts.shape[0], counts.shape[1] + 1), dtype=np.int64)
    np.cumsum(counts, axis=1, out=csum[:, 1:])
    base_unique = csum[:, base_size].astype(float)
    new_in_run = csum[:, base_size + run_length :] - csum[:, base_size : csum.shape[1] - run_length]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(base_unique[:, None] > 0, new_in_run / base_unique[:, None], np.nan)
    return new_in_run, ratios


def _first_saturating(ratios: np.ndarray, threshold: float) -> np.ndarray:
    """Per row, the index of the first run with ratio <= threshold, or -1 (NaN never qualifies)."""
    hit = ratios <= threshold
    return np.where(hit.any(axis=1), hit.argmax(axis=1), -1)


def _incidence(code_sets_per_document: Sequence[Iterable[Hashable]]) -> tuple[np.ndarray, np.ndarray]:
    """Documents grouped by code: document indices sorted by code, and where each code's group starts."""
    ids: dict[Hashable, int] = {}
    pairs = [
        (ids.setdefault(code, len(ids)), doc)
        for doc, codes in enumerate(code_sets_per_document)
        for code in set(codes)
    ]
    if not pairs:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    table = np.array(pairs, dtype=np.intp)
    table = table[np.argsort(table[:, 0], kind="stable")]
    starts = np.flatnonzero(np.r_[True, table[1:, 0] != table[:-1, 0]])
    return table[:, 1], starts


def _counts_from_positions(positions: np.ndarray, code_docs: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """New-code counts per order, given each document's position in each order."""
    k, n = positions.shape
    if code_docs.size == 0:
        return np.zeros((k, n), dtype=np.int64)
    first_seen = np.minimum.reduceat(positions[:, code_docs], starts, axis=1)
    flat = (first_seen + (np.arange(k) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=k * n).reshape(k, n)


def _censored_quantile(sorted_values: np.ndarray, q: float) -> int | None:
    """Nearest-rank quantile of sorted document counts in which +inf means "never"; None if it lands there."""
    value = sorted_values[max(math.ceil(q * len(sorted_values)) - 1, 0)]
    return None if math.isinf(value) else int(value)


def _not_enough(n: int, base_size: int, run_length: int) -> str:
    return (
        f"Not enough documents: a base of {base_size} and a run of {run_length} "
        f"need at least {base_size + run_length}, got {n}."
    )


def _percent(value: float) -> str:
    return f"{value * 100:.3g}%"


def _describe(
    base_size: int, run_length: int, threshold: float, base_unique: int, runs: tuple[Run, ...], x: int | None
) -> str:
    """One human sentence on the outcome of one order."""
    if base_unique == 0:
        return (
            f"No saturation: the base of {base_size} documents holds no codes, "
            "so the new-information ratio is undefined."
        )
    if x is not None:
        _, new, ratio = runs[x - base_size]
        return (
            f"Saturation at {x}+{run_length}: documents {x + 1}-{x + run_length} added {new} new codes, "
            f"{_percent(ratio)} of the {base_unique} codes in the base of {base_size} "
            f"(threshold {_percent(threshold)})."
        )
    start, _, ratio = min(runs, key=lambda run: run[2])
    return (
        f"No saturation: no run of {run_length} documents after the base added at most {_percent(threshold)} "
        f"new codes; the lowest ratio was {_percent(ratio)} at documents {start + 1}-{start + run_length}."
    )


def _describe_orders(
    n_orders: int, run_length: int, share: float, median: int | None, interval: tuple[int | None, int | None]
) -> str:
    """One human sentence on the outcome over many orders."""
    if share == 0:
        return f"No saturation in any of {n_orders} random orders."

    def fmt(v: int | None) -> str:
        return "not reached" if v is None else f"{v}+{run_length}"

    return (
        f"{_percent(share)} of {n_orders} random orders saturate; median point {fmt(median)}, "
        f"95% interval {fmt(interval[0])} to {fmt(interval[1])}."
    )
