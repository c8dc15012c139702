"""Texts XML 1.0 cannot carry, made carriable before writing: one warning instead of a refused export.

One ESC in a code's name used to refuse the whole project. Names, descriptions, notes and variable values are
now written with such characters replaced one for one (:func:`~gtcode.exchange.refi.values.xml_carriable`);
source texts travel as separate ``.txt`` members, which carry any character, so they stay exact.
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import TypeVar

from gtcode.exchange.refi.model import RefiSource
from gtcode.exchange.refi.values import first_non_xml_char, xml_carriable

T = TypeVar("T")
SHOWN = 3  # objects named in the warning


def carriable(item: T) -> tuple[T, str | None]:
    """``item`` (frozen dataclasses, tuples and dicts of them: a REFI project, a model snapshot) with every text
    made carriable, and one warning (or None)."""
    found: dict[str, set[str]] = {}
    carried = _carry(item, found, None)
    if not found:
        return item, None
    chars = sorted({c for bad in found.values() for c in bad})
    names = list(found)
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return carried, (f"{len(names)} objects held characters XML cannot carry "
                     f"({', '.join(f'U+{ord(c):04X}' for c in chars)}), written as pictures such as ␛: "
                     f"{', '.join(names[:SHOWN])}{more}")


def _carry(value, found: dict[str, set[str]], owner):
    """``value`` made carriable; ``owner`` is the dataclass it belongs to, named in the warning (only when one
    of its texts needed a change: naming every object of a large project took most of an export)."""
    if isinstance(value, str):
        if first_non_xml_char(value) is None:
            return value
        found.setdefault(_label(owner), set()).update(c for c in value if first_non_xml_char(c) is not None)
        return xml_carriable(value)
    if isinstance(value, tuple):
        items = [_carry(v, found, owner) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else tuple(items)
    if isinstance(value, dict):
        items = {k: _carry(v, found, owner) for k, v in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    names = _text_fields(type(value))
    if names is None:
        return value
    changes = {}
    for name in names:
        old = getattr(value, name)
        if old is None or isinstance(old, (int, float)):
            continue
        new = _carry(old, found, value)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _text_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass that may hold texts (None for any other type): not GUIDs (checked as GUIDs,
    they hold no other character), nor a source's text (carried exactly in its own member), nor fields whose
    type holds no text (numbers, dates, records without texts: a selection's codings are not walked)."""
    if kind not in _FIELDS:
        if not dataclasses.is_dataclass(kind):
            _FIELDS[kind] = None
        else:
            names = tuple(f.name for f in dataclasses.fields(kind) if f.init and "guid" not in f.name
                          and not (issubclass(kind, RefiSource) and f.name == "text"))
            _FIELDS[kind] = names  # meanwhile (a record holding its own kind, as codes hold codes): all of them
            try:
                hints = typing.get_type_hints(kind)
            except (NameError, TypeError):  # an annotation that does not resolve: walk every field
                return names
            _FIELDS[kind] = tuple(name for name in names if _may_hold_text(hints.get(name, str)))
    return _FIELDS[kind]


def _may_hold_text(kind: object) -> bool:
    """False when a value of the annotated type ``kind`` cannot hold a text; True when it may, or when unsure."""
    if isinstance(kind, type):
        if issubclass(kind, (bool, int, float, date, type(None))):
            return False
        return bool(_text_fields(kind)) if dataclasses.is_dataclass(kind) else True
    args = [arg for arg in typing.get_args(kind) if arg is not Ellipsis]  # unions, tuples, dicts: any of their
    return not args or any(_may_hold_text(arg) for arg in args)  # parts (a Literal's strings: unsure, so True)


def _label(owner) -> str:
    if owner is None:
        return ""
    name = getattr(owner, "name", None) or getattr(owner, "label", None)
    kind = type(owner).__name__.removeprefix("Refi").removesuffix("Spec").lower()
    return kind + (f" {xml_carriable(name)!r}" if isinstance(name, str) else "")
