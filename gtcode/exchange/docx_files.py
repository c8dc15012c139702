"""Documents to read as DOCX (python-docx): the memos and the codebook, written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

from gtcode.text.files import atomic_path

T = TypeVar("T")


def write_docx(path: str | Path, payload: T, build: Callable[[object, T], None], notes: list[str] | None = None) -> Path:
    """Write ``build(document, payload)`` as a DOCX file. DOCX is XML: characters it cannot carry are written as
    pictures such as ␛ (``payload`` is made carriable first), with a warning in ``notes``."""
    from docx import Document

    from gtcode.exchange.refi.carry import carriable

    path = Path(path)
    payload, warning = carriable(payload)
    if warning and notes is not None:
        notes.append(f"{path.name}: {warning}")
    document = Document()
    build(document, payload)
    with atomic_path(path) as temporary:
        document.save(str(temporary))
    return path
