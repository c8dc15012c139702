"""Attribute value forms of REFI-QDA: GUIDs, colours, booleans, dates and variable values."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from gtcode.exchange.refi.model import VariableValue

_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_CANONICAL_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def canonical_guid(raw: str) -> str | None:
    """``{ABC-...}`` or ``ABC-...`` -> ``abc-...``; None when not a GUID."""
    if len(raw) == 36 and _CANONICAL_GUID.fullmatch(raw):  # canonical already: every GUID gtcode writes
        return raw
    return _canonical_guid(raw)


@lru_cache(maxsize=1 << 16)  # another tool's code or user GUID is checked once per coding that names it
def _canonical_guid(raw: str) -> str | None:
    text = raw.strip()
    match = _GUID.fullmatch(text)
    if match is None or (text.startswith("{") != text.endswith("}")):
        return None
    return match.group(1).lower()


def canonical_colour(raw: str) -> str | None:
    """``#abc`` or ``#aabbcc`` -> ``#AABBCC``; None when not a colour."""
    match = _COLOUR.fullmatch(raw.strip())
    if match is None:
        return None
    hexes = match.group(1).upper()
    if len(hexes) == 3:
        hexes = "".join(ch * 2 for ch in hexes)
    return "#" + hexes


def parse_bool(raw: str) -> bool | None:
    """xsd:boolean; None when malformed."""
    return {"true": True, "1": True, "false": False, "0": False}.get(raw.strip())


def format_bool(value: bool) -> str:
    """xsd:boolean lexical form."""
    return "true" if value else "false"


def parse_datetime(raw: str) -> datetime | None:
    """xsd:dateTime (``Z`` or offset, optional fraction); None when malformed."""
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None


def format_datetime(value: datetime) -> str:
    """xsd:dateTime; UTC is written with ``Z``."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_value(kind: str, raw: str) -> VariableValue | None:
    """Parse the text of a ``<TextValue>``-style element named ``kind``; None when malformed."""
    raw_stripped = raw.strip()
    try:
        if kind == "TextValue":
            return raw
        if kind == "BooleanValue":
            return parse_bool(raw_stripped)
        if kind == "IntegerValue":
            return int(raw_stripped)
        if kind == "FloatValue":
            return float(Decimal(raw_stripped))
        if kind == "DateValue":
            return date.fromisoformat(raw_stripped[:10])
        if kind == "DateTimeValue":
            return parse_datetime(raw_stripped)
    except (ValueError, InvalidOperation):
        return None
    return None


def value_element(variable_type: str, value: object) -> tuple[str, str] | None:
    """(element name, text) for a value of a variable of ``variable_type``; None on type mismatch."""
    if variable_type == "Text" and isinstance(value, str):
        return "TextValue", value
    if variable_type == "Boolean" and isinstance(value, bool):
        return "BooleanValue", format_bool(value)
    if variable_type == "Integer" and isinstance(value, int) and not isinstance(value, bool):
        return "IntegerValue", str(value)
    if variable_type == "Float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(repr(float(value)))
        return ("FloatValue", format(number, "f")) if number.is_finite() else None
    if variable_type == "DateTime" and isinstance(value, datetime):
        return "DateTimeValue", format_datetime(value)
    if variable_type == "Date" and isinstance(value, date) and not isinstance(value, datetime):
        return "DateValue", value.isoformat()
    return None


def first_non_xml_char(text: str) -> str | None:
    """The first character XML 1.0 cannot carry (control characters, lone surrogates)."""
    match = _NOT_XML.search(text)
    return match.group(0) if match else None


def xml_carriable(text: str) -> str:
    """``text`` with what XML 1.0 cannot carry replaced one for one: a C0 control by its Control Picture (ESC as
    ``␛``), anything else (lone surrogates, U+FFFE, U+FFFF) by U+FFFD."""
    return _NOT_XML.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < " " else "\ufffd", text)
