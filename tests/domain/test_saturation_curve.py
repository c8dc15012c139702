"""Saturation curve of Guest, Namey & Chen (2020): oracle cases, edge cases, properties, order dependence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtcode.domain.errors import GtcodeError
from gtcode.domain.saturation import (
    new_code_counts,
    new_code_counts_for_orders,
    saturation_curve,
    saturation_over_orders,
)

counts_lists = st.lists(st.integers(min_value=0, max_value=12), min_size=0, max_size=30)
thresholds = st.floats(min_value=0.0, max_value=0.99, allow_nan=False)
code_sets = st.lists(st.frozensets(st.integers(0, 25), max_size=6), min_size=0, max_size=15)


# --- oracle -------------------------------------------------------------------------------------------


def test_oracle_base4_run2_saturates_at_5_plus_2():
    result = saturation_curve([4, 3, 2, 1, 1, 0, 0, 0], base_size=4, run_length=2, threshold=0.05)
    assert result.base_unique == 10
    assert result.runs[0] == (4, 1, pytest.approx(0.10))
    assert result.saturated
    assert result.point == "5+2"
    assert result.documents_to_saturation == 5
    assert result.cumulative == (4, 7, 9, 10, 11, 11, 11, 11)
    assert "5+2" in result.message


def test_oracle_run3_saturates_at_4_plus_3():
    result = saturation_curve([4, 3, 2, 1, 0, 0, 0], base_size=4, run_length=3, threshold=0.05)
    assert result.base_unique == 10
    assert result.point == "4+3"
    assert result.runs == ((4, 0, 0.0),)


def test_ratio_exactly_at_threshold_counts_as_saturated():
    # 1 new code against 20 in the base is exactly 5%: "at most 5%" includes it.
    result = saturation_curve([10, 10, 1, 0, 0], base_size=2, run_length=2, threshold=0.05)
    assert result.runs[0][2] == 0.05
    assert result.point == "2+2"


def test_defaults_are_base4_run2_five_percent():
    result = saturation_curve([4, 3, 2, 1, 1, 0, 0, 0])
    assert (result.base_size, result.run_length, result.threshold) == (4, 2, 0.05)


# --- no saturation, too few documents, bad parameters -------------------------------------------------


def test_no_saturation_is_stated_plainly():
    result = saturation_curve([4, 3, 2, 1, 1, 1, 1, 1])
    assert not result.saturated
    assert result.point is None and result.documents_to_saturation is None
    assert result.message.startswith("No saturation")
    assert len(result.runs) == 3


@pytest.mark.parametrize("counts", [[], [4], [4, 3, 2, 1, 0]])
def test_too_few_documents_is_a_result_not_an_error(counts):
    result = saturation_curve(counts)
    assert not result.saturated and not result.enough_documents
    assert result.runs == ()
    assert result.message.startswith("Not enough documents")
    assert "at least 6" in result.message


def test_empty_base_never_saturates():
    result = saturation_curve([0, 0, 0, 0, 0, 0, 0])
    assert not result.saturated
    assert all(math.isnan(ratio) for _, _, ratio in result.runs)
    assert "no codes" in result.message


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"base_size": 0}, "base_size"),
        ({"run_length": 0}, "run_length"),
        ({"base_size": 2.5}, "base_size"),
        ({"threshold": -0.01}, "threshold"),
        ({"threshold": 1.0}, "threshold"),
        ({"threshold": math.nan}, "threshold"),
    ],
)
def test_invalid_parameters_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(GtcodeError, match=name) as info:
        saturation_curve([4, 3, 2, 1, 0, 0], **kwargs)
    assert "\n" not in str(info.value)
    with pytest.raises(GtcodeError, match=name):
        saturation_over_orders([{1}] * 6, n_orders=2, **kwargs)


def test_negative_counts_raise():
    with pytest.raises(GtcodeError, match="new_counts"):
        saturation_curve([4, 3, -1, 0, 0, 0])


def test_fractional_counts_raise():
    with pytest.raises(GtcodeError, match="new_counts"):
        saturation_curve([4, 3, 1.5, 0, 0, 0])


def test_result_is_frozen():
    result = saturation_curve([4, 3, 2, 1, 1, 0, 0, 0])
    with pytest.raises(AttributeError):
        result.point = "1+1"  # type: ignore[misc]


# --- new-code counts ----------------------------------------------------------------------------------


def test_new_code_counts_first_occurrence():
    docs = [["a", "b", "b"], ["b", "c"], [], ["a"], ["d", "c", "e"]]
    assert new_code_counts(docs) == [2, 1, 0, 0, 2]


@given(code_sets)
def test_new_code_counts_sum_to_unique_codes(docs):
    counts = new_code_counts(docs)
    assert len(counts) == len(docs)
    assert sum(counts) == len(set().union(*docs))


@given(code_sets, st.randoms(use_true_random=False))
def test_counts_for_orders_match_one_order_at_a_time(docs, rnd):
    orders = []
    for _ in range(3):
        order = list(range(len(docs)))
        rnd.shuffle(order)
        orders.append(order)
    got = new_code_counts_for_orders(docs, np.array(orders, dtype=int).reshape(3, len(docs)))
    for row, order in zip(got, orders):
        assert row.tolist() == new_code_counts([docs[i] for i in order])


def test_counts_for_orders_rejects_non_permutations():
    with pytest.raises(GtcodeError, match="orders"):
        new_code_counts_for_orders([{1}, {2}], np.array([[0, 0]]))


# --- properties of one curve --------------------------------------------------------------------------


@given(counts_lists, st.integers(1, 6), st.integers(1, 4), thresholds)
def test_point_is_the_first_run_at_or_below_threshold(counts, base, run, threshold):
    result = saturation_curve(counts, base, run, threshold)
    assert result.cumulative == tuple(np.cumsum(counts, dtype=int).tolist())
    assert result.base_unique == sum(counts[:base])
    assert len(result.runs) == max(0, len(counts) - base - run + 1)
    for start, new, _ratio in result.runs:
        assert new == sum(counts[start : start + run])
    below = [start for start, _, ratio in result.runs if ratio <= threshold]
    assert result.saturated == bool(below)
    if below:
        assert result.documents_to_saturation == below[0]
        assert result.point == f"{below[0]}+{run}"
        assert base <= result.documents_to_saturation <= len(counts) - run


@given(counts_lists, st.lists(st.integers(0, 12), max_size=10), st.integers(1, 5), st.integers(1, 3), thresholds)
def test_more_documents_never_move_a_reached_point(counts, more, base, run, threshold):
    before = saturation_curve(counts, base, run, threshold)
    after = saturation_curve(counts + more, base, run, threshold)
    if before.saturated:
        assert after.point == before.point


@given(counts_lists, st.integers(1, 5), st.integers(1, 3), thresholds, thresholds)
def test_a_looser_threshold_never_saturates_later(counts, base, run, t1, t2):
    strict, loose = sorted((t1, t2))
    a = saturation_curve(counts, base, run, strict)
    b = saturation_curve(counts, base, run, loose)
    if a.saturated:
        assert b.saturated and b.documents_to_saturation <= a.documents_to_saturation


# --- order dependence ---------------------------------------------------------------------------------


def _corpus(n_docs: int, seed: int) -> list[set[int]]:
    rng = np.random.default_rng(seed)
    return [set(rng.zipf(1.6, size=20).tolist()) for _ in range(n_docs)]


def test_orders_are_reproducible_with_a_seed():
    docs = _corpus(40, 1)
    a = saturation_over_orders(docs, n_orders=200, seed=7)
    b = saturation_over_orders(docs, n_orders=200, seed=7)
    assert a == b
    assert len(a.points) == 200


def test_orders_summary_matches_points():
    docs = _corpus(60, 2)
    result = saturation_over_orders(docs, n_orders=300, seed=3)
    reached = [p for p in result.points if p is not None]
    assert result.share_saturated == pytest.approx(len(reached) / 300)
    as_inf = np.sort([np.inf if p is None else p for p in result.points])
    median = np.percentile(as_inf, 50, method="inverted_cdf")  # nearest rank: a document count
    if np.isfinite(median):
        assert result.median_documents == int(median) and isinstance(result.median_documents, int)
    lo, hi = result.interval_95
    assert lo is not None and result.median_documents is not None and lo <= result.median_documents
    if hi is not None:
        assert result.median_documents <= hi
    assert all(4 <= p <= 60 - 2 for p in reached)


def test_order_independent_corpus_gives_a_point_interval():
    # Every document holds the same codes: any order gives 10,0,0,... and saturates at 4+2.
    docs = [set(range(10))] * 12
    result = saturation_over_orders(docs, n_orders=50, seed=0)
    assert result.share_saturated == 1.0
    assert result.median_documents == 4 and result.interval_95 == (4, 4)


def test_never_saturating_corpus_reports_none():
    docs = [{i} for i in range(20)]  # each document brings one new code
    result = saturation_over_orders(docs, n_orders=20)
    assert result.share_saturated == 0.0
    assert result.median_documents is None and result.interval_95 == (None, None)
    assert result.message.startswith("No saturation")


def test_orders_with_too_few_documents():
    result = saturation_over_orders([{1}, {2}], n_orders=10)
    assert result.share_saturated == 0.0 and result.points == ()
    assert result.message.startswith("Not enough documents")


def test_orders_validate_n_orders():
    with pytest.raises(GtcodeError, match="n_orders"):
        saturation_over_orders([{1}] * 6, n_orders=0)


@settings(max_examples=25, deadline=None)
@given(code_sets, st.integers(0, 2**32 - 1))
def test_every_order_point_lies_within_the_corpus(docs, seed):
    result = saturation_over_orders(docs, n_orders=20, seed=seed, base_size=2, run_length=2)
    for p in result.points:
        assert p is None or 2 <= p <= len(docs) - 2
