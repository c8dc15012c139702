"""Read one file into raw documents: .txt/.md whole, .docx paragraphs, .csv/.tsv/.xlsx one per row.

Folders are not expanded here; the service layer walks them. Rows whose text cell is empty are skipped;
a row's title is its title/name/id cell, else ``"<file> row N"`` with N the spreadsheet row number (the
header is row 1). Decoding problems raise ``TextDecodeError`` and the rest ``ReaderError`` (both
ValueError), each naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from gtcode.text.encoding import DEFAULT_MAX_BYTES, canonicalise, check_size, decode

TEXT_COLUMNS = ("text", "content", "response", "answer", "body", "文本", "内容", "回答")
TITLE_COLUMNS = ("title", "name", "id", "标题", "名称", "编号")
SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".csv", ".tsv", ".xlsx")
_TITLE_MAX = 80  # a first line longer than this is prose, not a title
_NUMBER = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")  # "007" stays a string


class ReaderError(ValueError):
    """A file cannot be read into documents; the message names the file and what to do."""


@dataclass(frozen=True)
class RawDocument:
    title: str
    text: str
    encoding: str
    sha256: str
    source: str
    attributes: dict[str, object] = field(default_factory=dict)
    kind: str | None = None


def read_path(
    path: str | Path, kind: str | None = None, *, text_column: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[RawDocument]:
    """The documents in the file at ``path`` (``kind`` is passed through to each)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReaderError(
            f"{path.name}: files ending {suffix or '(no extension)'} are not supported; "
            f"use one of {', '.join(SUPPORTED)}"
        )
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    check_size(path.stat().st_size, path.name, max_bytes)
    if suffix == ".docx":
        return [_read_docx(path, kind)]
    if suffix in (".csv", ".tsv", ".xlsx"):
        header, rows, encoding = _read_xlsx(path) if suffix == ".xlsx" else _read_delimited(path, max_bytes)
        return _rows_to_documents(path, header, rows, encoding, kind, text_column)
    decoded = decode(path.read_bytes(), path.name, max_bytes)
    return [RawDocument(_title(decoded.text, path), decoded.text, decoded.encoding, decoded.sha256,
                        str(path), {}, kind)]


def _title(text: str, path: Path) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    first = first.lstrip("#").strip().strip("*").strip()
    return first if first and len(first) <= _TITLE_MAX else path.stem


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_docx(path: Path, kind: str | None) -> RawDocument:
    import docx

    data = path.read_bytes()
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # PackageNotFoundError, zipfile.BadZipFile, lxml errors, by version
        raise ReaderError(f"{path.name} is not a readable .docx file ({exc}): re-save it from Word") from None
    text = canonicalise("\n".join(p.text for p in document.paragraphs)).strip("\n")
    if not text.strip():
        raise ReaderError(f"{path.name} has no paragraphs with text: choose a document with text in it")
    return RawDocument(_title(text, path), text, "docx", hashlib.sha256(data).hexdigest(), str(path), {}, kind)


def _read_delimited(path: Path, max_bytes: int) -> tuple[list[str], list[list[object]], str]:
    decoded = decode(path.read_bytes(), path.name, max_bytes)
    if path.suffix.lower() == ".tsv":
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab
    else:
        try:
            dialect = csv.Sniffer().sniff(decoded.text[:20_000], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
    rows = list(csv.reader(io.StringIO(decoded.text), dialect))
    if not rows:
        raise ReaderError(f"{path.name} has no header row: the first row must name the columns")
    return [h.strip() for h in rows[0]], [list(r) for r in rows[1:]], decoded.encoding


def _read_xlsx(path: Path) -> tuple[list[str], list[list[object]], str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors
        raise ReaderError(f"{path.name} is not a readable .xlsx workbook ({exc}): re-save it from Excel") from None
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise ReaderError(f"{path.name}: the first sheet is empty; put a header row and one row per document")
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    return header, rows[1:], "xlsx"


def _find_column(header: list[str], wanted: tuple[str, ...]) -> int | None:
    lowered = [h.lower() for h in header]
    return next((lowered.index(name) for name in wanted if name in lowered), None)


def _typed(value: object) -> object | None:
    """A cell as int/float when numeric, else a stripped string; None for an empty cell."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = canonicalise(str(value)).strip()
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    return text


def _rows_to_documents(
    path: Path, header: list[str], rows: list[list[object]], encoding: str, kind: str | None,
    text_column: str | None,
) -> list[RawDocument]:
    columns = ", ".join(h for h in header if h) or "(none)"
    if text_column is not None:
        text_at = _find_column(header, (text_column.lower(),))
        if text_at is None:
            raise ReaderError(f"{path.name} has no column {text_column!r}; its columns are: {columns}")
    else:
        text_at = _find_column(header, TEXT_COLUMNS)
        if text_at is None:
            raise ReaderError(
                f"{path.name} has no text column (one of {', '.join(TEXT_COLUMNS)}); its columns are: "
                f"{columns}. Rename one or pass text_column="
            )
    title_at = _find_column(header, TITLE_COLUMNS)
    documents = []
    for number, row in enumerate(rows, start=2):
        cells = list(row) + [None] * (len(header) - len(row))
        raw = cells[text_at]
        text = "" if raw is None else canonicalise(str(raw)).strip()
        if not text:
            continue
        attributes = {
            name: value
            for i, name in enumerate(header)
            if i != text_at and name and (value := _typed(cells[i])) is not None
        }
        title = attributes.get(header[title_at]) if title_at is not None else None
        documents.append(RawDocument(
            str(title) if title is not None else f"{path.name} row {number}",
            text, encoding, _sha(text), str(path), attributes, kind,
        ))
    if not documents:
        raise ReaderError(f"{path.name}: no row has text in column {header[text_at]!r}")
    return documents
