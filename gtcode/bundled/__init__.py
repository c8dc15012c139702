"""Data shipped with gtcode: the demo corpus (``corpora/``) and the bundled codebooks (``codebooks/``).

Both folders live at the top of the repository; the wheel maps them into this package (``setup.py``), and a
source checkout reads them where they are.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def bundled(folder: str) -> Path:
    """The installed copy of a shipped folder (``corpora`` or ``codebooks``), else the checkout's own."""
    packaged = Path(str(files(__name__) / folder))
    return packaged if packaged.is_dir() else CHECKOUT / folder
