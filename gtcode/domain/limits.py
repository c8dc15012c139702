"""Bounds on what one input file may make gtcode read, and the clock that enforces the time bound.

One ``Limits`` value is used by every reader (text files, .docx, .xlsx, .csv/.tsv, model YAML,
REFI-QDA .qdc/.qdpx). The defaults fit real material with room to spare; a project overrides any of
them in the ``[limits]`` table of its ``gtcode.toml`` (keys are the field names), see docs/exchange.md.
A refusal names the file, the limit and the setting that raises it (``LimitExceeded``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace

from gtcode.domain.errors import GtcodeError

MAX_NUMBER = 2**63 - 1  # the largest id, ref number or seed a database INTEGER holds


@dataclass(frozen=True)
class Limits:
    """Per-file bounds; each field is a key of ``[limits]`` in gtcode.toml."""

    file_bytes: int = 50 * 1024 * 1024  # bytes of one file as given
    expanded_bytes: int = 200 * 1024 * 1024  # bytes after unpacking (zip members of .docx, .xlsx, .qdpx)
    characters: int = 50_000_000  # characters of text one file may bring in
    elements: int = 1_000_000  # paragraphs, rows, XML elements or YAML nodes in one file
    depth: int = 100  # nesting of XML elements or YAML collections
    seconds: float = 600.0  # wall-clock time reading one file
    regex_seconds: float = 10.0  # time one `search --regex` may take over the corpus (a backtracking pattern stops)

    @classmethod
    def from_mapping(cls, mapping: object, where: str) -> Limits:
        """Limits from a ``[limits]`` table; GtcodeError (one line naming ``where`` and the key) when bad."""
        if mapping is None:
            return cls()
        if not isinstance(mapping, dict):
            raise GtcodeError(f"{where}: [limits] must be a table of numbers, e.g. `[limits]` then `elements = 2000000`")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, int | float] = {}
        for key, value in mapping.items():
            if key not in known:
                raise GtcodeError(f"{where}: unknown limit {key!r} in [limits]; the limits are {', '.join(known)}")
            number_type = float if key.endswith("seconds") else int
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 \
                    or (number_type is int and not float(value).is_integer()) or value > MAX_NUMBER:
                raise GtcodeError(f"{where}: [limits] {key} = {value!r} is not a positive "
                                  f"{'number' if number_type is float else 'whole number'}: write e.g. {key} = "
                                  f"{getattr(cls(), key)!r}")
            values[key] = number_type(value)
        return replace(cls(), **values)


class LimitExceeded(GtcodeError):
    """An input file is over one of the limits; the message names file, limit and setting."""

    def __init__(self, name: str, what: str, key: str, value: object) -> None:
        self.key = key
        super().__init__(f"{name} {what} (limit: {_shown(key, value)} {_MEANING[key]}): raise `{key}` under "
                         "[limits] in gtcode.toml, or split the file")


_MEANING = {
    "file_bytes": "per file", "expanded_bytes": "unpacked per file", "characters": "characters per file",
    "elements": "paragraphs, rows or elements per file", "depth": "levels", "seconds": "per file",
    "regex_seconds": "per regular-expression search",
}


def _shown(key: str, value: object) -> str:
    if key.endswith("bytes") and isinstance(value, int):
        return human_size(value)
    if key.endswith("seconds"):
        return f"{value:g} s"
    return f"{value:,}"


def human_size(size: int) -> str:
    """``size`` bytes as "812 bytes", "2.0 KB" or "62.3 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class Budget:
    """What is left of the limits while one file is read: counts, characters and time."""

    def __init__(self, limits: Limits, name: str) -> None:
        self.limits = limits
        self.name = name
        self.elements = 0
        self.characters = 0
        self._deadline = time.monotonic() + limits.seconds

    def refuse(self, what: str, key: str) -> LimitExceeded:
        return LimitExceeded(self.name, what, key, getattr(self.limits, key))

    def element(self, count: int = 1, what: str = "elements") -> None:
        """Count ``count`` paragraphs/rows/elements; raise when over the limit or out of time."""
        self.elements += count
        if self.elements > self.limits.elements:
            raise self.refuse(f"has more than {self.limits.elements:,} {what}", "elements")
        if self.elements % 1024 == 0:
            self.clock()

    def text(self, count: int) -> None:
        """Count ``count`` characters of text."""
        self.characters += count
        if self.characters > self.limits.characters:
            raise self.refuse(f"has more than {self.limits.characters:,} characters of text", "characters")

    def bytes(self, size: int, what: str = "unpacks to") -> None:
        """Check a size after unpacking."""
        if size > self.limits.expanded_bytes:
            raise self.refuse(f"{what} {human_size(size)}", "expanded_bytes")

    def depth(self, depth: int) -> None:
        if depth > self.limits.depth:
            raise self.refuse(f"is nested more than {self.limits.depth} levels deep", "depth")

    def clock(self) -> None:
        if time.monotonic() > self._deadline:
            raise self.refuse("took too long to read", "seconds")
