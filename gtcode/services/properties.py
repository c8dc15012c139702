"""Properties and dimensions (Strauss & Corbin): a concept's or category's properties, each with a dimensional
range, and codings that locate their quotation on a dimension ("this quotation says costly").

A property belongs to a code (usually a category); a coding locates a value of it when the coding's phenomenon
lies under that code. Every read goes through the visibility rule: values located by codings the coder may
not see are not counted. :func:`dimension_locations` is what meaning saturation reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from gtcode.domain.levels import Level
from gtcode.services.blinding import visible_coding, visible_codings
from gtcode.services.changes import ChangeRecorder
from gtcode.services.errors import GtcodeError, NotFound, run
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, require_own_codings, use_case
from gtcode.store.tables import CodeRow, CodingRow, DimensionValueRow, PropertyRow

_NUMERIC = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$")
_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
MAX_VALUES = 50


@dataclass(frozen=True)
class DimensionValue:
    """One value of a property's range and the codings that located their quotation there."""

    value: str
    coding_ids: tuple[int, ...] = ()
    document_ids: tuple[int, ...] = ()  # the documents those codings are in, each once

    @property
    def count(self) -> int:
        return len(self.coding_ids)


@dataclass(frozen=True)
class PropertyView:
    """A property of a code with its range and where the coder's visible codings located it."""

    id: int
    code_id: int
    code_ref: str
    code_label: str
    name: str
    kind: str  # ordinal | numeric
    range: tuple[str, ...]  # ordinal: the values in order; numeric: (low, high)
    values: tuple[DimensionValue, ...]  # ordinal: every value of the range in order (zero counts too); numeric: each value seen

    @property
    def range_text(self) -> str:
        return " - ".join(self.range) if self.kind == "ordinal" else f"{self.range[0]}..{self.range[1]}"


def parse_range(text: str) -> tuple[str, list[str], float | None, float | None]:
    """(kind, values, low, high) from ``free,affordable,costly`` (also ，、;) or a numeric ``1..5``."""
    numeric = _NUMERIC.match(text or "")
    if numeric:
        low, high = float(numeric.group(1)), float(numeric.group(2))
        if low >= high:
            raise GtcodeError(f"range {text!r}: the low end must be below the high end (e.g. 1..5)")
        return "numeric", [], low, high
    values = [v for v in _SEPARATORS.split((text or "").strip()) if v]
    if len(values) < 2:
        raise GtcodeError(f"range {text!r}: give at least two ordered values (\"free,affordable,costly\") "
                          "or a numeric range (1..5)")
    if len(set(values)) != len(values) or len(values) > MAX_VALUES:
        raise GtcodeError(f"range {text!r}: values must differ, at most {MAX_VALUES}")
    return "ordinal", values, None, None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _property(session: Session, project: Project, code: CodeRow, name: str) -> PropertyRow:
    row = session.exec(select(PropertyRow).where(PropertyRow.code_id == code.id, PropertyRow.name == name.strip())).first()
    if row is None:
        ref = project.prefixes.ref(Level(code.level), code.number)
        raise NotFound(f"{ref} has no property {name!r}: add it, {run('property.add', ref)}")
    return row


@use_case(WRITER, "add properties")
def add_property(project: Project, code_ref: str, name: str, value_range: str) -> PropertyView:
    """A property of a concept or category with its dimensional range."""
    from gtcode.services.codes import resolve_code

    kind, values, low, high = parse_range(value_range)
    name = name.strip()
    if not name:
        raise GtcodeError("a property needs a name (e.g. cost)")
    with project.write() as session:
        code = resolve_code(session, project.prefixes, code_ref)
        ref = project.prefixes.ref(Level(code.level), code.number)
        if Level(code.level) == Level.PHENOMENON:
            raise GtcodeError(f"{ref} is a phenomenon: properties belong to concepts and categories; add it to "
                              "the concept or category above it")
        if session.exec(select(PropertyRow).where(PropertyRow.code_id == code.id, PropertyRow.name == name)).first():
            raise GtcodeError(f"{ref} has a property {name!r} already: choose another name")
        recorder = ChangeRecorder(session, f"property {name} of {ref}", project.coder)
        row = PropertyRow(code_id=code.id, name=name, kind=kind, values=values, low=low, high=high,
                          created_by=project.coder)
        session.add(row)
        recorder.created(row)
        recorder.save()
        return _views(session, project, [row])[0]


def ancestors(session: Session, code_id: int) -> list[int]:
    """The code and every code above it, nearest first."""
    chain, seen = [], set()
    while code_id is not None and code_id not in seen:
        seen.add(code_id)
        chain.append(code_id)
        row = session.get(CodeRow, code_id)
        code_id = row.parent_id if row else None
    return chain


def _check_value(prop: PropertyRow, value: str, ref: str) -> str:
    value = value.strip()
    if prop.kind == "numeric":
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or not prop.low <= number <= prop.high:
            raise GtcodeError(f"{value!r} is outside {ref}'s {prop.name} range {_number(prop.low)}..{_number(prop.high)}: "
                              "give a number within it")
        return _number(number)
    if value not in prop.values:
        raise GtcodeError(f"{value!r} is not in {ref}'s {prop.name} range ({', '.join(prop.values)}): "
                          f"give one of them, or widen the range")
    return value


@use_case(WRITER, "locate codings on dimensions")
def set_dimension(project: Project, coding_id: int, name: str, value: str | None) -> PropertyView:
    """Locate a coding's quotation on a property of a code above it (``value`` None clears it)."""
    with project.write() as session:
        coding = visible_coding(session, project.coder, coding_id)
        require_own_codings(session, [coding], "locate")
        chain = ancestors(session, coding.code_id)
        props = session.exec(select(PropertyRow).where(PropertyRow.code_id.in_(chain), PropertyRow.name == name.strip())).all()
        if not props:
            raise NotFound(f"no property {name!r} on the codes above coding {coding_id}: add one to a category, "
                           f"{run('property.add', 'CATEGORY')}")
        prop = min(props, key=lambda p: chain.index(p.code_id))  # the nearest code's
        code = session.get(CodeRow, prop.code_id)
        ref = project.prefixes.ref(Level(code.level), code.number)
        existing = session.exec(select(DimensionValueRow).where(DimensionValueRow.property_id == prop.id,
                                                                DimensionValueRow.coding_id == coding.id)).first()
        recorder = ChangeRecorder(session, f"coding {coding.id}: {prop.name} of {ref} = {value}" if value is not None
                                  else f"coding {coding.id}: {prop.name} of {ref} cleared", project.coder)
        if value is None:
            if existing is None:
                raise GtcodeError(f"coding {coding.id} has no {prop.name} value to clear")
            recorder.touch(existing)
            session.delete(existing)
        else:
            checked = _check_value(prop, value, ref)
            if existing is None:
                existing = DimensionValueRow(property_id=prop.id, coding_id=coding.id, value=checked, coder=project.coder)
                session.add(existing)
                recorder.created(existing)
            else:
                recorder.touch(existing)
                existing.value, existing.coder = checked, project.coder
                session.add(existing)
        recorder.save()
        return _views(session, project, [prop])[0]


@use_case(WRITER, "remove properties")
def remove_property(project: Project, code_ref: str, name: str) -> PropertyView:
    """Remove a property and the values codings located on it (undoable)."""
    from gtcode.services.codes import resolve_code

    with project.write() as session:
        code = resolve_code(session, project.prefixes, code_ref)
        prop = _property(session, project, code, name)
        view = _views(session, project, [prop])[0]
        recorder = ChangeRecorder(session, f"remove property {prop.name} of {view.code_ref}", project.coder)
        drop_properties(session, recorder, [prop])
        recorder.save()
        return view


def drop_properties(session: Session, recorder: ChangeRecorder, props: list[PropertyRow]) -> None:
    """Delete properties with their located values, recorded for undo (inside a unit of work)."""
    ids = [p.id for p in props]
    if ids:
        drop_values(session, recorder, select(DimensionValueRow).where(DimensionValueRow.property_id.in_(ids)))
    for prop in props:
        recorder.touch(prop)
        session.delete(prop)
    session.flush()


def drop_values(session: Session, recorder: ChangeRecorder, query) -> None:
    """Delete the dimension values a query selects, recorded for undo."""
    for row in session.exec(query).all():
        recorder.touch(row)
        session.delete(row)
    session.flush()


def drop_values_of_codings(session: Session, recorder: ChangeRecorder, coding_ids: list[int]) -> None:
    """Before codings are deleted: their located values go too, recorded so undo brings them back."""
    if coding_ids:
        drop_values(session, recorder, select(DimensionValueRow).where(DimensionValueRow.coding_id.in_(coding_ids)))


def _views(session: Session, project: Project, props: list[PropertyRow]) -> list[PropertyView]:
    ids = [p.id for p in props]
    located: dict[int, list[tuple[str, int, int]]] = {}
    if ids:
        query = visible_codings(session, project.coder, DimensionValueRow.property_id, DimensionValueRow.value,
                                CodingRow.id, CodingRow.document_id) \
            .join(DimensionValueRow, DimensionValueRow.coding_id == CodingRow.id) \
            .where(DimensionValueRow.property_id.in_(ids)).order_by(CodingRow.id)
        for prop_id, value, coding, document in session.exec(query).all():
            located.setdefault(prop_id, []).append((value, coding, document))
    views = []
    for prop in props:
        code = session.get(CodeRow, prop.code_id)
        found = located.get(prop.id, [])
        if prop.kind == "ordinal":
            order = list(prop.values) + sorted({v for v, _c, _d in found} - set(prop.values))
            span = tuple(prop.values)
        else:
            order = sorted({v for v, _c, _d in found}, key=float)
            span = (_number(prop.low), _number(prop.high))
        values = tuple(DimensionValue(v, tuple(c for w, c, _d in found if w == v),
                                      tuple(dict.fromkeys(d for w, _c, d in found if w == v))) for v in order)
        views.append(PropertyView(prop.id, code.id, project.prefixes.ref(Level(code.level), code.number), code.label,
                                  prop.name, prop.kind, span, values))
    return views


def code_properties(project: Project, code_ref: str) -> list[PropertyView]:
    """A code's properties, each with its range and how many quotations sit at each value, from which documents."""
    from gtcode.services.codes import resolve_code

    with project.read() as session:
        code = resolve_code(session, project.prefixes, code_ref)
        props = session.exec(select(PropertyRow).where(PropertyRow.code_id == code.id).order_by(PropertyRow.id)).all()
        return _views(session, project, list(props))


def dimension_locations(project: Project) -> dict[str, list[PropertyView]]:
    """Per code with properties (by ref): its properties and the dimension values codings located, with the
    coding ids, as the coder may see them now (the visibility rule). Meaning saturation reads this: a hold-out
    coding that locates a value no building coding did is a new dimension value."""
    with project.read() as session:
        props = session.exec(select(PropertyRow).order_by(PropertyRow.code_id, PropertyRow.id)).all()
        result: dict[str, list[PropertyView]] = {}
        for view in _views(session, project, list(props)):
            result.setdefault(view.code_ref, []).append(view)
        return result
