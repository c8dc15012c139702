"""OpenDocument text (.odt) and HTML into one document each, with maintained parsers (defusedxml, lxml.html).

An .odt's body paragraphs and headings (also inside lists and sections, not in tables or frames) become lines,
its spaces, tabs and line breaks kept as the word processor shows them; its title is the one in its properties,
else the file name. An HTML page's block elements (paragraphs, headings, list items, table cells, ...) become
lines; scripts, styles and the head are left out; its ``<title>`` titles it. Both work within ``Limits``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget
from gtcode.text.encoding import canonicalise, decode
from gtcode.text.zipped import ZipUnreadable, open_checked, open_member

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
_OUTSIDE = (f"{_TABLE}table", f"{_DRAW}frame", f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes")


class MarkupError(GtcodeError):
    """An .odt or HTML file that cannot be read; the message names the file and what to do."""


def read_odt(path: Path, budget: Budget):
    """The document in an OpenDocument text file."""
    from gtcode.text.readers import RawDocument, file_title

    data = path.read_bytes()
    try:
        archive = open_checked(path, budget)
        try:
            with open_member(archive, "content.xml") as stream:
                paragraphs = _odt_paragraphs(stream, budget)
            title = _odt_title(archive) if "meta.xml" in archive.namelist() else None
        finally:
            archive.close()
    except ZipUnreadable as exc:
        raise MarkupError(f"{path.name} is not a readable .odt file ({exc}): save it again from the word processor") \
            from None
    text = canonicalise("\n".join(paragraphs)).strip("\n")
    if not text.strip():
        raise MarkupError(f"{path.name} has no paragraphs with text: choose a document with text in it")
    return RawDocument(title or file_title(path), text, "odt", hashlib.sha256(data).hexdigest(), str(path), {})


def _odt_paragraphs(stream, budget: Budget) -> list[str]:
    """The text of each body paragraph and heading, streamed: each is read once it has ended, then dropped."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    paragraphs: list[str] = []
    depth = outside = inside = 0
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if event == "start":
                depth += 1
                budget.depth(depth)
                outside += tag in _OUTSIDE
                inside += tag in _PARAGRAPHS
                continue
            depth -= 1
            if tag in _OUTSIDE:
                outside -= 1
            elif tag in _PARAGRAPHS:
                inside -= 1
                if inside == 0 and not outside:
                    budget.element(1, "paragraphs")
                    paragraph = "".join(_odt_text(element))
                    budget.text(len(paragraph))
                    paragraphs.append(paragraph)
            if inside == 0:
                element.clear()
    except (ParseError, DefusedXmlException) as exc:
        raise ZipUnreadable(f"content.xml is not readable XML ({exc})") from None
    return paragraphs


def _odt_text(element):
    """The pieces of a paragraph's text as shown: ``text:s`` spaces, tabs, line breaks; notes and frames left out."""
    yield element.text or ""
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            yield " " * (int(count) if count.isdigit() and int(count) < 1000 else 1)
        elif tag == f"{_TEXT}tab":
            yield "\t"
        elif tag == f"{_TEXT}line-break":
            yield "\n"
        elif tag not in _OUTSIDE:
            yield from _odt_text(child)
        yield child.tail or ""


def _odt_title(archive) -> str | None:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    with open_member(archive, "meta.xml") as stream:
        try:
            root = parse(stream, forbid_dtd=True).getroot()
        except (ParseError, DefusedXmlException):
            return None
    element = root.find(f"{_OFFICE}meta/{{http://purl.org/dc/elements/1.1/}}title")
    return " ".join(canonicalise(element.text).split()) or None if element is not None and element.text else None


_BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "td",
                     "th", "tr", "br", "hr", "section", "article", "header", "footer", "aside", "figcaption",
                     "caption", "address", "table", "ul", "ol", "dl", "main", "nav", "form", "fieldset", "details",
                     "summary"))
_SKIPPED = frozenset(("script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"))


def read_html(path: Path, budget: Budget):
    """The document in an HTML page: its block elements' text as lines."""
    import lxml.etree
    import lxml.html

    from gtcode.text.readers import RawDocument, file_title

    decoded = decode(path.read_bytes(), path.name, budget.limits.file_bytes)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(decoded.text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise MarkupError(f"{path.name} is not readable HTML ({exc}): save the page again") from None
    lines: list[str] = [""]
    skipping = 0
    depth = 0
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            depth += 1
            budget.depth(depth)
            budget.element(1, "HTML elements")
            if tag in _SKIPPED:
                skipping += 1
            elif not skipping:
                if tag in _BLOCKS:
                    lines.append("")
                lines[-1] += element.text or ""
            continue
        depth -= 1
        if tag in _SKIPPED:
            skipping -= 1
        elif not skipping and tag in _BLOCKS:
            lines.append("")
        if not skipping and element.tail:
            lines[-1] += element.tail
    text = "\n".join(line for line in (" ".join(canonicalise(raw).split()) for raw in lines) if line)
    budget.text(len(text))
    if not text:
        raise MarkupError(f"{path.name} has no text outside scripts and styles: choose a page with text in it")
    title = root.find(".//title")
    named = " ".join(canonicalise(title.text_content()).split()) if title is not None else ""
    return RawDocument(named or file_title(path), text, decoded.encoding, decoded.sha256, str(path), {})
