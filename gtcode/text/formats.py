"""The one list of file formats gtcode imports: the CLI's help, folder import, the TUI's picker and the docs use it.

Each format names its suffixes and what a file of it becomes. ``readers.read_path`` dispatches on the same
suffixes, and ``tests/text/test_formats.py`` checks that every suffix listed has a reader and that
docs/import.md lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Format:
    """A file format: its suffixes (lower case, with the dot), a name, and what one file becomes."""

    suffixes: tuple[str, ...]
    name: str
    becomes: str


FORMATS: tuple[Format, ...] = (
    Format((".txt",), "plain text", "one document; speaker labels and [00:12:03] time stamps are read"),
    Format((".srt", ".vtt"), "subtitles (SubRip, WebVTT)", "one transcript, a [00:12:03] Speaker: line per turn"),
    Format((".md", ".markdown"), "Markdown", "one document, as written"),
    Format((".docx",), "Word", "one document from the body's paragraphs; titled by its core title when set"),
    Format((".odt",), "OpenDocument text", "one document from the body's paragraphs; titled by its title when set"),
    Format((".html", ".htm"), "HTML", "one document from the page's paragraphs, headings and lists; titled by <title>"),
    Format((".pdf",), "PDF with a text layer", "one document; pages kept, running headers and footers dropped"),
    Format((".csv", ".tsv"), "CSV / TSV", "one document per row with text; the other columns are attributes"),
    Format((".xlsx",), "Excel", "one document per row of the first sheet; the other columns are attributes"),
)

SUFFIXES: tuple[str, ...] = tuple(suffix for format_ in FORMATS for suffix in format_.suffixes)
ROW_SUFFIXES = (".csv", ".tsv", ".xlsx")  # one document per row: a title of the file does not apply


def supported(path: str | Path) -> bool:
    """Whether gtcode imports a file with this name."""
    return Path(path).suffix.lower() in SUFFIXES


def suffix_list() -> str:
    """The suffixes as one line: ".txt, .md, ..."."""
    return ", ".join(SUFFIXES)
