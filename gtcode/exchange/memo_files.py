"""Memos as a document to read: Markdown (every character kept) or DOCX (python-docx), grouped by type."""

from __future__ import annotations

from pathlib import Path

from gtcode.domain.errors import GtcodeError
from gtcode.domain.records import MEMO_TYPES, MemoInfo
from gtcode.exchange.docx_files import write_docx
from gtcode.exchange.formats import MEMO_FORMATS
from gtcode.text.files import atomic_text

HEADINGS = {"code": "Code notes", "theoretical": "Theoretical notes", "operational": "Operational notes",
            "free": "Free memos"}


def memo_heading(memo: MemoInfo) -> str:
    """A memo's title, else what it is on."""
    return memo.title or f"On {memo.target_label}"


def memo_byline(memo: MemoInfo) -> str:
    """Type, target, author and dates of a memo on one line."""
    parts = [memo.type, f"on {memo.target_label}"]
    if memo.coder:
        parts.append(f"by {memo.coder}")
    if memo.created_at is not None:
        parts.append(f"written {memo.created_at:%Y-%m-%d %H:%M}")
    if memo.created_at is None or memo.updated_at.replace(microsecond=0) != memo.created_at.replace(microsecond=0):
        parts.append(f"updated {memo.updated_at:%Y-%m-%d %H:%M}")
    return " · ".join(parts)


def _grouped(memos: list[MemoInfo]) -> list[tuple[str, list[MemoInfo]]]:
    order = {kind: i for i, kind in enumerate(MEMO_TYPES)}
    groups: dict[str, list[MemoInfo]] = {}
    for memo in sorted(memos, key=lambda m: (order.get(m.type, len(order)), m.created_at or m.updated_at)):
        groups.setdefault(memo.type, []).append(memo)
    return [(HEADINGS.get(kind, kind), items) for kind, items in groups.items()]


def memos_markdown(memos: list[MemoInfo], name: str) -> str:
    """The memos as Markdown: a section per type, a heading per memo, its byline, links and text."""
    lines = [f"# Memos: {name}", ""]
    if not memos:
        lines += ["No memos.", ""]
    for heading, items in _grouped(memos):
        lines += [f"## {heading}", ""]
        for memo in items:
            lines += [f"### {memo_heading(memo)}", "", f"*{memo_byline(memo)}*", ""]
            if memo.links:
                lines += ["Links: " + ", ".join(link.label for link in memo.links), ""]
            lines += [memo.text.strip(), ""]
    return "\n".join(lines)


def write_memos(memos: list[MemoInfo], name: str, path: str | Path, fmt: str | None = None,
                notes: list[str] | None = None) -> Path:
    """Write the memos as ``md`` or ``docx`` (from ``fmt`` or the suffix). DOCX is XML: characters it cannot
    carry are written as pictures such as ␛, with a warning in ``notes``."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in MEMO_FORMATS:
        raise GtcodeError(f"memo export format {fmt!r}: use one of {'|'.join(MEMO_FORMATS)} (or a .md/.docx file)")
    if fmt == "md":
        atomic_text(path, memos_markdown(memos, name))
        return path
    return write_docx(path, (tuple(memos), name), _memos_docx, notes)


def _memos_docx(document, payload: tuple[tuple[MemoInfo, ...], str]) -> None:
    memos, name = payload
    document.add_heading(f"Memos: {name}", level=0)
    if not memos:
        document.add_paragraph("No memos.")
    for heading, items in _grouped(list(memos)):
        document.add_heading(heading, level=1)
        for memo in items:
            document.add_heading(memo_heading(memo), level=2)
            document.add_paragraph().add_run(memo_byline(memo)).italic = True
            if memo.links:
                document.add_paragraph("Links: " + ", ".join(link.label for link in memo.links))
            for paragraph in memo.text.strip().split("\n\n"):
                document.add_paragraph(paragraph)
