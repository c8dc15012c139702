"""Work that builds a great many small objects at once (exports and imports of whole projects)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collected_afterwards() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block and let it run once afterwards.

    An export or import makes hundreds of thousands of records (selections, codings, rows) that form no
    cycles; the collector's passes over the growing heap then cost a fifth or more of the work (measured on
    a 200,000-coding .qdpx export) and grow faster than the data. Memory is still freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def driver_rows(session, statement) -> list[tuple]:
    """A Core ``SELECT``'s rows as the database driver returns them (plain tuples), for large reads of integer
    and text columns, which SQLAlchemy returns unconverted anyway: its row objects cost about as much again as
    SQLite's own read (200,000 codings). Not for columns SQLAlchemy converts (dates, JSON, booleans)."""
    result = session.connection().execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()
