"""Inter-coder agreement: published oracles, bad input, edge cases and invariances."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gtcode.domain.agreement import (
    LEVELS,
    cohen_kappa,
    cohen_kappa_table,
    coincidence_matrix,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from gtcode.domain.errors import GtcodeError

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders x 12 units.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses
# (depression, personality disorder, schizophrenia, neurosis, other); irr::kappam.fleiss(diagnoses) = 0.430.
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories; kappa = 0.210.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


# --- published oracles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_example(level, expected):
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == expected


def test_krippendorff_2011_coincidences():
    values, o = coincidence_matrix(KRIPPENDORFF_2011)
    assert values == [1, 2, 3, 4, 5]
    assert o.sum() == pytest.approx(40)  # n.. in the paper: unit 12 (one value) is not pairable
    assert o.sum(axis=1) == pytest.approx([9, 13, 10, 5, 3])
    np.testing.assert_allclose(o, o.T)


def test_krippendorff_accepts_nan_as_missing():
    as_float = np.array([[math.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011])
    assert krippendorff_alpha(as_float) == pytest.approx(krippendorff_alpha(KRIPPENDORFF_2011))


def test_cohen_kappa_table_oracle():
    assert cohen_kappa_table([[20, 5], [10, 15]]) == pytest.approx(0.40)


def test_cohen_kappa_from_labels_matches_table():
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.40)
    assert percent_agreement(a, b) == pytest.approx(0.70)


def test_fleiss_1971():
    assert round(fleiss_kappa(FLEISS_1971), 3) == 0.430


def test_fleiss_wikipedia_example():
    assert round(fleiss_kappa(WIKIPEDIA_FLEISS), 3) == 0.210


# --- edge cases ---------------------------------------------------------------------------------------


def test_perfect_agreement_is_one():
    assert cohen_kappa([1, 2, 3, 1], [1, 2, 3, 1]) == 1.0
    assert fleiss_kappa([[3, 0], [0, 3], [3, 0]]) == 1.0
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval") == 1.0


def test_expected_agreement_one_gives_nan():
    assert math.isnan(cohen_kappa_table([[7, 0], [0, 0]]))
    assert math.isnan(cohen_kappa(["a", "a"], ["a", "a"]))
    assert math.isnan(fleiss_kappa([[4, 0], [4, 0]]))
    for level in LEVELS:
        assert math.isnan(krippendorff_alpha([[2, 2, N], [2, 2, 2]], level))


def test_missing_pairs_are_skipped_for_two_coders():
    assert percent_agreement([1, N, 2, math.nan], [1, 3, 3, 4]) == 0.5
    assert cohen_kappa([1, N, 2], [1, 2, 2]) == 1.0


def test_ratio_metric_handles_zero_pairs():
    assert krippendorff_alpha([[0, 0, 3], [0, 0, 3]], "ratio") == 1.0


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: cohen_kappa_table([[1, 2, 3], [4, 5, 6]]), "square"),
        (lambda: cohen_kappa_table([]), "table"),
        (lambda: cohen_kappa_table([[0, 0], [0, 0]]), "no ratings"),
        (lambda: cohen_kappa_table([[1, -1], [0, 2]]), "non-negative"),
        (lambda: cohen_kappa([1, 2], [1]), "labels"),
        (lambda: cohen_kappa([N, 1], [2, N]), "both coders"),
        (lambda: percent_agreement([], []), "labels"),
        (lambda: fleiss_kappa([]), "counts"),
        (lambda: fleiss_kappa([[2, 1], [1, 1]]), "same number"),
        (lambda: fleiss_kappa([[1, 0], [0, 1]]), "at least 2"),
        (lambda: krippendorff_alpha([[1, 2, 3]]), "2 coders"),
        (lambda: krippendorff_alpha([]), "2 coders"),
        (lambda: krippendorff_alpha([[], []]), "no units"),
        (lambda: krippendorff_alpha([[1, 2], [1]]), "one entry per unit"),
        (lambda: krippendorff_alpha([[N, N], [N, N]]), "no unit"),
        (lambda: krippendorff_alpha([[1, N], [N, 2]]), "no unit"),
        (lambda: krippendorff_alpha([[1, 2]] * 2, "weird"), "level"),
        (lambda: krippendorff_alpha([["a", "b"]] * 2, "interval"), "numeric"),
        (lambda: krippendorff_alpha([[-1, 2]] * 2, "ratio"), "non-negative"),
        (lambda: krippendorff_alpha([["a", 1]] * 2, "ordinal"), "ordered"),
    ],
)
def test_bad_input_raises_one_line_value_error(call, match):
    with pytest.raises(GtcodeError, match=match) as info:
        call()
    assert "\n" not in str(info.value)


# --- properties ---------------------------------------------------------------------------------------

tables = st.integers(2, 5).flatmap(
    lambda k: st.lists(st.lists(st.integers(0, 30), min_size=k, max_size=k), min_size=k, max_size=k)
)
reliability = st.tuples(st.integers(2, 5), st.integers(2, 12)).flatmap(
    lambda shape: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=shape[1], max_size=shape[1]),
        min_size=shape[0],
        max_size=shape[0],
    )
)


def _pairable(data) -> bool:
    return any(sum(row[u] is not None for row in data) >= 2 for u in range(len(data[0])))


@given(tables)
def test_kappa_is_symmetric_and_bounded(table):
    t = np.array(table)
    assume(t.sum() > 0)
    kappa = cohen_kappa_table(t)
    if math.isnan(kappa):
        assert math.isnan(cohen_kappa_table(t.T))
        return
    assert kappa == pytest.approx(cohen_kappa_table(t.T))
    assert -1.0 - 1e-12 <= kappa <= 1.0 + 1e-12


@given(reliability, st.sampled_from(LEVELS))
def test_alpha_at_most_one_and_invariant_to_coder_and_unit_order(data, level):
    assume(_pairable(data))
    alpha = krippendorff_alpha(data, level)
    shuffled = [list(reversed(row)) for row in reversed(data)]
    other = krippendorff_alpha(shuffled, level)
    if math.isnan(alpha):
        assert math.isnan(other)
        return
    assert alpha <= 1.0 + 1e-12
    assert other == pytest.approx(alpha)


@given(reliability, st.integers(-3, 3).filter(bool), st.integers(-10, 10))
def test_interval_alpha_invariant_under_affine_change(data, scale, shift):
    assume(_pairable(data))
    moved = [[None if v is None else scale * v + shift for v in row] for row in data]
    a, b = krippendorff_alpha(data, "interval"), krippendorff_alpha(moved, "interval")
    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@given(reliability)
def test_ordinal_alpha_invariant_under_monotone_relabelling(data):
    assume(_pairable(data))
    moved = [[None if v is None else v**3 + 100 for v in row] for row in data]
    a, b = krippendorff_alpha(data, "ordinal"), krippendorff_alpha(moved, "ordinal")
    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@given(reliability)
def test_nominal_alpha_invariant_under_renaming(data):
    assume(_pairable(data))
    renamed = [[None if v is None else f"code-{(v * 5) % 7}" for v in row] for row in data]
    a, b = krippendorff_alpha(data), krippendorff_alpha(renamed)
    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40))
def test_two_rater_fleiss_equals_complete_nominal_alpha_up_to_sample_correction(pairs):
    # With two coders and no missing values, Fleiss' kappa is Scott's pi, and
    # alpha = 1 - (1 - pi) * (n - 1) / n with n = 2 * units (Krippendorff 2011).
    counts = np.zeros((len(pairs), 4))
    for i, (x, y) in enumerate(pairs):
        counts[i, x] += 1
        counts[i, y] += 1
    pi = fleiss_kappa(counts)
    alpha = krippendorff_alpha([[x for x, _ in pairs], [y for _, y in pairs]])
    if math.isnan(pi):
        assert math.isnan(alpha)
        return
    n = 2 * len(pairs)
    assert alpha == pytest.approx(1 - (1 - pi) * (n - 1) / n)
