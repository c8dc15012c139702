"""Read one file into raw documents, by the formats of ``gtcode.text.formats``.

Folders are not expanded here; the service layer walks them. A file's document is titled by the file name
without its suffix (a .docx by its core-properties title when it has one). Rows whose text cell is empty are
skipped; a row's title is its title/name/id cell, else ``"<file> row N"`` with N the spreadsheet row number (the
header is row 1). Every reader works within ``Limits`` (bytes in, bytes unpacked, characters, paragraphs or
rows, nesting, time; ``gtcode.domain.limits``): .docx is streamed, not loaded as a tree. Decoding problems
raise ``TextDecodeError``, a limit ``LimitExceeded`` and the rest ``ReaderError`` (all GtcodeError), each one
line naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget, LimitExceeded, Limits
from gtcode.text.encoding import canonicalise, check_size, decode
from gtcode.text.formats import ROW_SUFFIXES, SUFFIXES, suffix_list
from gtcode.text.zipped import ZipUnreadable, open_checked, open_member

TEXT_COLUMNS = ("text", "content", "response", "answer", "body", "文本", "内容", "回答")
TITLE_COLUMNS = ("title", "name", "id", "标题", "名称", "编号")
_NUMBER = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")  # "007" stays a string


class ReaderError(GtcodeError):
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
    pages: tuple[int, ...] = ()  # where each page starts in ``text`` (PDF): page n begins at pages[n - 1]


def read_path(
    path: str | Path, kind: str | None = None, *, text_column: str | None = None,
    limits: Limits | None = None, max_bytes: int | None = None,
) -> list[RawDocument]:
    """The documents in the file at ``path`` (``kind`` is passed through to each), within ``limits``."""
    path = Path(path)
    limits = limits or Limits()
    if max_bytes is not None:
        limits = replace(limits, file_bytes=max_bytes)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReaderError(
            f"{path.name}: files ending {suffix or '(no extension)'} are not supported; use one of {suffix_list()}"
        )
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    check_size(path.stat().st_size, path.name, limits.file_bytes)
    budget = Budget(limits, path.name)
    if suffix in ROW_SUFFIXES:
        return _read_rows(path, kind, text_column, budget)
    return [replace(READERS[suffix](path, budget), kind=kind)]


def _read_rows(path: Path, kind: str | None, text_column: str | None, budget: Budget) -> list[RawDocument]:
    header, rows, encoding = _read_xlsx(path, budget) if path.suffix.lower() == ".xlsx" else \
        _read_delimited(path, budget)
    return _rows_to_documents(path, header, rows, encoding, kind, text_column, budget)


def _read_text(path: Path, budget: Budget) -> RawDocument:
    decoded = decode(path.read_bytes(), path.name, budget.limits.file_bytes)
    budget.text(len(decoded.text))
    return RawDocument(file_title(path), decoded.text, decoded.encoding, decoded.sha256, str(path), {})


def file_title(path: Path) -> str:
    """The title a file's document gets: its name without the suffix, as every QDA tool does."""
    return path.stem.strip() or path.name


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_docx(path: Path, budget: Budget) -> RawDocument:
    data = path.read_bytes()
    try:
        archive = open_checked(path, budget)
    except ZipUnreadable as exc:
        raise ReaderError(f"{path.name} is not a readable .docx file ({exc}): re-save it from Word") from None
    try:
        with open_member(archive, "word/document.xml") as stream:
            paragraphs = _docx_paragraphs(stream, budget)
        title = _docx_title(archive, budget)
    except ZipUnreadable as exc:
        raise ReaderError(f"{path.name} is not a readable .docx file ({exc}): re-save it from Word") from None
    finally:
        archive.close()
    text = canonicalise("\n".join(paragraphs)).strip("\n")
    if not text.strip():
        raise ReaderError(f"{path.name} has no paragraphs with text: choose a document with text in it")
    return RawDocument(title or file_title(path), text, "docx", hashlib.sha256(data).hexdigest(), str(path), {})


_CORE_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _docx_title(archive, budget: Budget) -> str | None:
    """The core-properties title (File > Properties in Word), or None when there is none or it is blank."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    if "docProps/core.xml" not in archive.namelist():
        return None
    with open_member(archive, "docProps/core.xml") as stream:
        try:
            root = parse(stream, forbid_dtd=True).getroot()
        except (ParseError, DefusedXmlException):
            return None  # a broken properties part does not make the text unreadable
    element = root.find(_CORE_TITLE)
    title = " ".join(canonicalise(element.text).split()) if element is not None and element.text else ""
    budget.text(len(title))
    return title or None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_MARKS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _docx_paragraphs(stream: IO[bytes], budget: Budget) -> list[str]:
    """The text of each paragraph of the body (as Word shows it: tabs, line breaks), streamed.

    Paragraphs inside tables, text boxes and other containers are not the body's and are left out, as
    python-docx's ``Document.paragraphs`` does; each finished body element is dropped from memory.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    paragraphs: list[str] = []
    parts: list[str] = []
    stack: list[str] = []
    body = None
    in_body_paragraph = False
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if event == "start":
                stack.append(tag)
                budget.depth(len(stack))
                if tag == f"{_W}body" and body is None:
                    body = element
                elif tag == f"{_W}p" and len(stack) == 3 and body is not None:
                    in_body_paragraph = True
                elif in_body_paragraph and stack.count(f"{_W}p") == 1:
                    if tag in _DOCX_MARKS:
                        parts.append(_DOCX_MARKS[tag])
                    elif tag == f"{_W}br" and element.get(f"{_W}type", "textWrapping") == "textWrapping":
                        parts.append("\n")
                continue
            stack.pop()
            if in_body_paragraph and tag == f"{_W}t" and stack.count(f"{_W}p") == 1 and element.text:
                budget.text(len(element.text))
                parts.append(element.text)
            if len(stack) == 2 and body is not None:  # a child of <w:body> ended
                if tag == f"{_W}p":
                    budget.element(1, "paragraphs")
                    paragraphs.append("".join(parts))
                    parts.clear()
                    in_body_paragraph = False
                del body[:]
    except (ParseError, DefusedXmlException) as exc:
        raise ZipUnreadable(f"word/document.xml is not readable XML ({exc})") from None
    return paragraphs


def _read_delimited(path: Path, budget: Budget) -> tuple[list[str], Iterator[list[object]], str]:
    decoded = decode(path.read_bytes(), path.name, budget.limits.file_bytes)
    budget.text(len(decoded.text))
    if path.suffix.lower() == ".tsv":
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab
    else:
        try:
            dialect = csv.Sniffer().sniff(decoded.text[:20_000], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
    if csv.field_size_limit() < budget.limits.characters:  # one cell may be a whole transcript
        csv.field_size_limit(min(budget.limits.characters, 2**31 - 1))
    reader = csv.reader(io.StringIO(decoded.text), dialect)
    header = _next_row(reader, path)
    if header is None:
        raise ReaderError(f"{path.name} has no header row: the first row must name the columns")
    return [h.strip() for h in header], _rest(reader, path), decoded.encoding


def _next_row(reader, path: Path) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise ReaderError(f"{path.name} line {reader.line_num}: not readable as CSV ({exc}): "
                          "check its quotes, or save it again as CSV") from None


def _rest(reader, path: Path) -> Iterator[list[object]]:
    while (row := _next_row(reader, path)) is not None:
        yield list(row)


def _read_xlsx(path: Path, budget: Budget) -> tuple[list[str], Iterator[list[object]], str]:
    import openpyxl

    try:
        open_checked(path, budget).close()
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except LimitExceeded:
        raise
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors
        raise ReaderError(f"{path.name} is not a readable .xlsx workbook ({exc}): re-save it from Excel") from None
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # a declared A1:XFD1048576 must not pad every row to 16,384 cells
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows, None)
    except Exception as exc:
        book.close()
        raise ReaderError(f"{path.name} is not a readable .xlsx workbook ({exc}): re-save it from Excel") from None
    if header is None:
        book.close()
        raise ReaderError(f"{path.name}: the first sheet is empty; put a header row and one row per document")
    return ["" if h is None else str(h).strip() for h in header], _sheet_rows(book, rows, path), "xlsx"


def _sheet_rows(book, rows, path: Path) -> Iterator[list[object]]:
    try:
        for row in rows:
            yield list(row)
    except Exception as exc:
        raise ReaderError(f"{path.name} is not a readable .xlsx workbook ({exc}): re-save it from Excel") from None
    finally:
        book.close()


def read_table(path: Path, budget: Budget) -> tuple[list[str], Iterator[tuple[int, dict[str, object]]]]:
    """A .csv/.tsv/.xlsx file's header and its rows as (row number, {column: typed value or None})."""
    header, rows, _ = _read_xlsx(path, budget) if path.suffix.lower() == ".xlsx" else _read_delimited(path, budget)

    def typed_rows() -> Iterator[tuple[int, dict[str, object]]]:
        for number, row in enumerate(rows, start=2):
            budget.element(1, "rows")
            cells = list(row) + [None] * (len(header) - len(row))
            yield number, {name: _typed(cells[i]) for i, name in enumerate(header) if name}

    return header, typed_rows()


def _read_pdf(path: Path, budget: Budget) -> RawDocument:
    from gtcode.text.pdf import read_pdf

    return read_pdf(path, budget)


def _read_subtitles(path: Path, budget: Budget) -> RawDocument:
    from gtcode.text.transcripts import read_subtitles

    return read_subtitles(path, budget)


def _read_odt(path: Path, budget: Budget) -> RawDocument:
    from gtcode.text.markup import read_odt

    return read_odt(path, budget)


def _read_html(path: Path, budget: Budget) -> RawDocument:
    from gtcode.text.markup import read_html

    return read_html(path, budget)


READERS = {".odt": _read_odt, ".html": _read_html, ".htm": _read_html, ".srt": _read_subtitles, ".vtt": _read_subtitles, ".txt": _read_text, ".md": _read_text, ".markdown": _read_text, ".docx": _read_docx, ".pdf": _read_pdf}
"""The reader of each one-document suffix; with ``formats.ROW_SUFFIXES`` (``_read_rows``) these are
``formats.SUFFIXES`` (a test checks it)."""


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
    path: Path, header: list[str], rows: Iterator[list[object]], encoding: str, kind: str | None,
    text_column: str | None, budget: Budget,
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
        budget.element(1, "rows")
        cells = list(row) + [None] * (len(header) - len(row))
        raw = cells[text_at]
        text = "" if raw is None else canonicalise(str(raw)).strip()
        if not text:
            continue
        if encoding == "xlsx":
            budget.text(len(text))
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
