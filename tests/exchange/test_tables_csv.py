"""The CSV writer of text tables writes the bytes pandas ``to_csv`` (the csv module) writes of the same cells."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gtcode.exchange.tables import write_csv, write_table

# Every character the csv module treats specially, beside ordinary, wide and control ones.
_CELLS = st.text(alphabet=st.sampled_from(list(',"\n\r \t;\'\\a中\x00\x1b\u2028é')) | st.characters(blacklist_categories=("Cs",)),
                 max_size=12)  # no lone surrogates: UTF-8 cannot carry them, and no text holds them


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda width: st.tuples(st.lists(_CELLS, min_size=width, max_size=width, unique=True),
                            st.lists(st.lists(_CELLS, min_size=width, max_size=width), max_size=5))))
def test_write_csv_matches_pandas_to_csv(tmp_path_factory, table):
    columns, rows = table
    folder = tmp_path_factory.mktemp("csv")
    ours = write_csv(columns, rows, folder / "ours.csv")
    theirs = write_table(pd.DataFrame(rows, columns=columns, dtype=object), folder / "theirs.csv", "csv")
    assert ours.read_bytes() == theirs.read_bytes()
