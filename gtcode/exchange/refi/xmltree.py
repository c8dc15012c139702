"""Safe streaming XML parsing (lxml's pull parser: no DTD, entities or network) and namespace-blind navigation.

``events`` parses a document fed in chunks and yields each element as it starts and ends, so that a reader
can take a finished part of the tree and drop it while the rest is still being parsed; the limits of
``domain/limits.py`` (elements, depth, time) are counted as the elements come. ``parse`` is the whole tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from lxml import etree

from gtcode.domain.limits import Budget
from gtcode.exchange.refi.model import RefiError

Element = etree._Element
_LOCAL: dict[str, str] = {}  # tag -> its local name (a file has a few dozen tags)
_ANY: dict[str, str] = {}  # local name -> lxml's pattern for it in any namespace


def events(chunks: Iterable[bytes], where: object, budget: Budget, upto: int = 1 << 30,
           ) -> Iterator[tuple[str, Element, int]]:
    """``(event, element, depth)`` for each element's ``start`` and ``end`` (the root at depth 1) of the
    document in ``chunks``, for the elements no deeper than ``upto`` (the deeper ones are in the tree, only not
    announced); a DTD, malformed XML or a limit stops it with one line naming ``where``. The elements and the
    clock are counted once per chunk, the depth at every element."""
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, load_dtd=False, no_network=True,
                                 huge_tree=True, remove_comments=True, remove_pis=True)
    deepest = budget.limits.depth
    depth, checked = 0, False
    try:
        for chunk in chain(chunks, (None,)):
            if chunk is None:
                parser.close()  # an unfinished document fails here
            else:
                parser.feed(chunk)
            started = 0
            for event, element in parser.read_events():
                if event == "start":
                    depth += 1
                    started += 1
                    if depth > deepest:
                        budget.depth(depth)
                    if not checked:  # the prolog is read before the root starts: refuse any DTD
                        _refuse_dtd(element, where)
                        checked = True
                    if depth <= upto:
                        yield event, element, depth
                else:
                    if depth <= upto:
                        yield event, element, depth
                    depth -= 1
            if started:
                budget.element(started, "XML elements")
            budget.clock()
    except etree.XMLSyntaxError as exc:
        raise RefiError.about(where, f"malformed XML ({exc})") from None


def _refuse_dtd(element: Element, where: object) -> None:
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise RefiError.about(where, "refused unsafe XML (a DTD: entities and external references are not read)")


def parse(data: bytes, where: object, budget: Budget) -> Element:
    """The whole tree of ``data`` within ``budget``; any failure is one line naming ``where``."""
    root = None
    for _event, element, depth in events((data,), where, budget):
        if depth == 1:
            root = element
    if root is None:
        raise RefiError.about(where, "malformed XML (no root element)")
    return root


def namespace(element: Element) -> str:
    """The namespace URI of ``element`` ('' when none)."""
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def local(element: Element) -> str:
    """The tag of ``element`` without its namespace."""
    tag = element.tag
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL) < 4096:
            _LOCAL[tag] = name
    return name


def children(element: Element | None, name: str) -> Iterator[Element]:
    """Direct children called ``name`` in any namespace (or none)."""
    if element is None:
        return iter(())
    pattern = _ANY.get(name)
    if pattern is None:
        pattern = _ANY[name] = f"{{*}}{name}"  # the readers ask for a few dozen names
    return element.iterchildren(pattern)


def child(element: Element | None, name: str) -> Element | None:
    """The first direct child called ``name``, or None."""
    return next(children(element, name), None)


def child_text(element: Element | None, name: str) -> str | None:
    """Text of the first child called ``name`` ('' when empty), or None when absent."""
    found = child(element, name)
    return None if found is None else (found.text or "")
