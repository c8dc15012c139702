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
