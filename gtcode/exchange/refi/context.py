"""Bookkeeping shared by the readers: the file being read, GUID checks and warnings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from gtcode.exchange.refi.model import RefiError
from gtcode.exchange.refi.values import canonical_guid
from gtcode.exchange.refi.xmltree import Element, local

T = TypeVar("T")


class ReadContext:
    """Collects warnings (repeated ones are counted) and rejects broken GUIDs."""

    def __init__(self, where: object) -> None:
        self.where = where
        self._once: list[str] = []
        self._counted: Counter[str] = Counter()
        self.seen: set[str] = set()

    def fail(self, what: str) -> RefiError:
        """A one-line error naming the file."""
        return RefiError.about(self.where, what)

    def warn(self, message: str) -> None:
        """Record a warning once."""
        if message not in self._once:
            self._once.append(message)

    def count(self, message: str) -> None:
        """Record one more occurrence of a repeated situation."""
        self._counted[message] += 1

    def warnings(self) -> tuple[str, ...]:
        """All warnings, counted ones as ``<n> x <message>``."""
        counted = [f"{n} x {message}" for message, n in self._counted.items()]
        return tuple(self._once + counted)

    def guid(self, element: Element, attribute: str = "guid") -> str:
        """A required GUID attribute in canonical form."""
        raw = element.get(attribute)
        if raw is None:
            raise self.fail(f"<{local(element)}> has no {attribute} attribute")
        guid = canonical_guid(raw)
        if guid is None:
            raise self.fail(f"<{local(element)} {attribute}={raw!r}> is not a GUID")
        return guid

    def optional(self, element: Element, attribute: str, parse: Callable[[str], T | None]) -> T | None:
        """An optional attribute parsed by ``parse``; a malformed one is warned about and ignored."""
        raw = element.get(attribute)
        if raw is None:
            return None
        value = parse(raw)
        if value is None:
            self.count(f"malformed {attribute} ignored")
        return value

    def optional_guid(self, element: Element, attribute: str) -> str | None:
        """An optional GUID attribute in canonical form."""
        return self.optional(element, attribute, canonical_guid)

    def claim(self, guid: str, element: Element) -> bool:
        """Register an object GUID; False (with a warning) when it was already used."""
        if guid in self.seen:
            self.count(f"duplicate GUID: later <{local(element)}> dropped")
            return False
        self.seen.add(guid)
        return True
