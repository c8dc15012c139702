"""Safe XML parsing (defusedxml: no DTD, entities or network) and namespace-blind navigation."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from gtcode.domain.limits import Budget
from gtcode.exchange.refi.model import RefiError


def parse(data: bytes, where: object, budget: Budget) -> Element:
    """Parse ``data`` within ``budget`` (elements, depth); any failure is one line naming ``where``."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        raise RefiError.about(where, f"malformed XML ({exc})") from None
    except DefusedXmlException as exc:
        raise RefiError.about(where, f"refused unsafe XML ({type(exc).__name__})") from None
    _check_tree(root, budget)
    return root


def _check_tree(root: Element, budget: Budget) -> None:
    """Count the elements and measure the nesting without recursion (the readers recurse on codes)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        budget.element(1, "XML elements")
        budget.depth(depth)
        stack.extend((item, depth + 1) for item in element)


def namespace(element: Element) -> str:
    """The namespace URI of ``element`` ('' when none)."""
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def local(element: Element) -> str:
    """The tag of ``element`` without its namespace."""
    return element.tag.rsplit("}", 1)[-1]


def children(element: Element | None, name: str) -> Iterator[Element]:
    """Direct children called ``name`` in any namespace."""
    if element is None:
        return iter(())
    return (child for child in element if local(child) == name)


def child(element: Element | None, name: str) -> Element | None:
    """The first direct child called ``name``, or None."""
    return next(children(element, name), None)


def child_text(element: Element | None, name: str) -> str | None:
    """Text of the first child called ``name`` ('' when empty), or None when absent."""
    found = child(element, name)
    return None if found is None else (found.text or "")
