"""The CSV writers of tables write the bytes pandas ``to_csv`` (the csv module) writes of the same cells."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gtcode.exchange.tables import write_csv, write_table

# Every character the csv module treats specially, beside ordinary, wide and control ones.
_CELLS = st.text(alphabet=st.sampled_from(list(',"\n\r \t;\'\\a中\x00\x1b\u2028é')) | st.characters(blacklist_categories=("Cs",)),
                 max_size=12)  # no lone surrogates: UTF-8 cannot carry them, and no text holds them


def _pandas(frame: pd.DataFrame, path):
    frame.to_csv(path, index=False, encoding="utf-8")
    return path.read_bytes()


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda width: st.tuples(st.lists(_CELLS, min_size=width, max_size=width, unique=True),
                            st.lists(st.lists(_CELLS, min_size=width, max_size=width), max_size=5))))
def test_write_csv_and_write_table_match_pandas_to_csv(tmp_path_factory, table):
    columns, rows = table
    folder = tmp_path_factory.mktemp("csv")
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    expected = _pandas(frame, folder / "pandas.csv")
    assert write_csv(columns, rows, folder / "ours.csv").read_bytes() == expected
    assert write_table(frame, folder / "table.csv", "csv").read_bytes() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=6), st.integers(min_value=0, max_value=5), st.data())
def test_a_matrix_of_labels_and_integers_is_written_as_pandas_writes_it(tmp_path_factory, names, height, data):
    """Text and integer columns side by side, names repeated (two documents of one title): pandas's bytes."""
    folder = tmp_path_factory.mktemp("matrix")
    labels = data.draw(st.lists(_CELLS, min_size=height, max_size=height))
    counts = data.draw(st.lists(st.lists(st.integers(-10, 10**12), min_size=len(names), max_size=len(names)),
                                min_size=height, max_size=height))
    frame = pd.DataFrame(counts, columns=names, dtype="int64") if height else pd.DataFrame(columns=names, dtype="int64")
    frame.insert(0, "concept", pd.Series(labels, dtype=object), allow_duplicates=True)
    assert write_table(frame, folder / "m.csv", "csv").read_bytes() == _pandas(frame, folder / "pandas.csv")


def test_columns_other_than_text_and_integers_are_written_by_pandas(tmp_path):
    frame = pd.DataFrame({"share": [0.5, 1 / 3], "seen": [True, False], "note": ["a", None], "n": [1, 2]})
    assert write_table(frame, tmp_path / "t.csv", "csv").read_bytes() == _pandas(frame, tmp_path / "pandas.csv")
