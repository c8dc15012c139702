"""PDF with a text layer into one document whose positions map to pages (pdfminer.six's layout analysis).

The page's text boxes come in pdfminer's reading order (columns are read one after the other). A box's lines
are joined into paragraphs, a new one where the type size changes (a heading set larger than the text under
it or set in bold, which pdfminer often puts in the text's box, is a paragraph of its own): a word hyphenated at a line end is joined ("pub-" + "lic" is "public"),
Chinese lines are joined without a space, other lines with one. Running headers and footers are dropped: a
box in the top or bottom band of a page whose text (digits aside) repeats on half the pages or more, and a
bare page number there. ``RawDocument.pages`` says where each page starts in the text.

A PDF that needs a password, or whose pages have no text at all (a scan), is refused with one line; every
page counts against the ``elements`` limit and the text against ``characters`` and the clock.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget
from gtcode.text.encoding import canonicalise
from gtcode.text.lines import CJK, join_broken

BAND = 0.1  # the top and bottom tenth of a page hold running headers and footers
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?",
                          re.IGNORECASE)


class PdfError(GtcodeError):
    """A PDF that cannot be imported; the message names the file and what to do."""


@dataclass(frozen=True)
class _Box:
    text: str  # the box's lines joined into one paragraph
    top: float  # 0 at the bottom of the page, 1 at its top
    bottom: float


def read_pdf(path: Path, budget: Budget):
    """The document in a text-layer PDF, with the start of each page (``RawDocument.pages``)."""
    from gtcode.text.readers import RawDocument, file_title

    data = path.read_bytes()
    pages = _pages(path, budget)
    if not any(box.text.strip() for page in pages for box in page):
        raise PdfError(f"{path.name} has no text layer (a scan, or pictures of text): run OCR on it first "
                       "(e.g. ocrmypdf) and import the result")
    repeated = _running_lines(pages)
    text, starts = "", []
    for page in pages:
        starts.append(len(text) + (1 if text else 0))  # after the newline that will end the page before
        for number, paragraph in enumerate(box.text for box in page if not _is_running(box, repeated)):
            if not text:
                text = paragraph
            elif number == 0 and _continues(text, paragraph):
                text = join_broken(text, paragraph)  # a sentence (or a hyphenated word) broken by the page end
                starts[-1] = len(text) - len(paragraph)
            else:
                text = f"{text}\n{paragraph}"
                if number == 0:
                    starts[-1] = len(text) - len(paragraph)
    starts = [min(start, len(text)) for start in starts]
    budget.text(len(text))
    return RawDocument(file_title(path), text, "pdf", hashlib.sha256(data).hexdigest(), str(path), {},
                       pages=tuple(starts))


def _pages(path: Path, budget: Budget) -> list[list[_Box]]:
    """Each page's text boxes in reading order."""
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    from pdfminer.high_level import extract_pages

    import logging

    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)  # its warnings quote the file's bytes: not for a terminal
    pages: list[list[_Box]] = []
    try:
        for page in extract_pages(path, laparams=LAParams()):
            budget.element(1, "pages")
            budget.clock()
            height = (page.y1 - page.y0) or 1.0
            boxes = []
            for element in page:
                if not isinstance(element, LTTextBox):
                    continue
                for group in _by_size([line for line in element if isinstance(line, LTTextLine)]):
                    paragraph = _paragraph([text for text in (canonicalise(line.get_text()).strip() for line in group)
                                            if text])
                    if paragraph:
                        boxes.append(_Box(paragraph, (max(line.y1 for line in group) - page.y0) / height,
                                          (min(line.y0 for line in group) - page.y0) / height))
            pages.append(boxes)
    except GtcodeError:
        raise  # a limit reached while reading
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise PdfError(f"{path.name} is encrypted with a password: save an unprotected copy and import that") from None
    except (PDFSyntaxError, PSException) as exc:
        raise PdfError(f"{path.name} is not a readable PDF ({type(exc).__name__}): save it again as PDF") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file breaks the parser in many ways (struct, zlib, index)
        raise PdfError(f"{path.name} is not a readable PDF ({type(exc).__name__}): save it again as PDF") from None
    return pages


def _style(line) -> tuple[float, bool]:
    """A line's type size (the middle one of its characters': a larger initial or a footnote mark aside) and
    whether all of it is bold."""
    chars = [char for char in line if hasattr(char, "size") and char.get_text().strip()]
    sizes = sorted(round(char.size, 1) for char in chars)
    return (sizes[len(sizes) // 2] if sizes else 0.0,
            bool(chars) and all("bold" in str(getattr(char, "fontname", "")).lower() for char in chars))


def _by_size(lines: list) -> list[list]:
    """A box's lines in runs of one type size (within 5%) and weight: a heading apart from the text under it."""
    runs: list[list] = []
    last = None
    for line in lines:
        size, bold = _style(line)
        if runs and (not size or (last and abs(size - last[0]) <= 0.05 * last[0] and bold == last[1])):
            runs[-1].append(line)  # the same style (or a line without characters of a size) goes on the run
        else:
            runs.append([line])
        last = (size, bold) if size else last
    return runs


def _paragraph(lines: list[str]) -> str:
    """A box's lines as one paragraph: hyphenated words joined, Chinese lines without a space."""
    text = ""
    for line in lines:
        line = " ".join(line.split())
        text = join_broken(text, line) if text else line
    return text


def _continues(text: str, first: str) -> bool:
    """Whether a page's first paragraph goes on with the last one of the page before (a sentence broken there)."""
    last = text[-1:]
    return bool(first) and first[:1].islower() and (last.isalpha() or last in ",-") and CJK.search(last) is None


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()).lower())


def _in_band(box: _Box) -> bool:
    return box.bottom >= 1 - BAND or box.top <= BAND


def _running_lines(pages: list[list[_Box]]) -> set[str]:
    """Texts (digits aside) in the header or footer band of half the pages or more, two at least."""
    if len(pages) < 2:
        return set()
    seen: dict[str, int] = {}
    for page in pages:
        for key in {_key(box.text) for box in page if _in_band(box)}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count >= max(2, (len(pages) + 1) // 2)}


def _is_running(box: _Box, repeated: set[str]) -> bool:
    return _in_band(box) and (_key(box.text) in repeated or _PAGE_NUMBER.fullmatch(box.text.strip()) is not None)
