"""Write schema-valid, deterministic REFI-QDA codebooks (``.qdc``) and projects (``.qdpx``).

Empty containers are omitted, ``<Project>`` children follow the schema's order, GUIDs are
canonical, colours ``#RRGGBB``. Source texts go to ``sources/<guid>.txt`` (UTF-8, no BOM,
``\\n`` line ends) with positions in code points; a non-canonical text (BOM, CR) is
canonicalised and its positions mapped. Notes travel inline as ``<PlainTextContent>``.
Zip members have fixed timestamps, so equal input gives equal bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TypeVar
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from gtcode.exchange.refi.carry import carriable
from gtcode.exchange.refi.checks import Checker, check_codebook, check_project
from gtcode.exchange.refi.model import (
    CODEBOOK_NS,
    PROJECT_NS,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiVariable,
    VariableValue,
)
from gtcode.exchange.refi.positions import CanonicalText, canonical_text
from gtcode.exchange.refi.values import (
    canonical_colour,
    canonical_guid,
    format_bool,
    format_datetime,
    value_element,
)
from gtcode.text.files import atomic_path, atomic_write

ORIGIN = "gtcode"
T = TypeVar("T")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_qdc(
    codes: Iterable[RefiCode], path: str | Path, *, sets: Iterable[RefiSet] = (), origin: str = ORIGIN
) -> tuple[str, ...]:
    """Write a codebook (and optional code sets) to ``path``; return warnings (texts XML could not carry)."""
    path = Path(path)
    (codes, sets), warning = carriable((tuple(codes), tuple(sets)))
    check_codebook(codes, sets, Checker(path))
    root = Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin})
    _codes(root, codes, {})
    _sets(root, sets, with_targets=False)
    atomic_write(path, _xml(root))
    return (f"{path.name}: {warning}",) if warning else ()


def write_qdpx(project: RefiProject, path: str | Path, *, origin: str = ORIGIN) -> tuple[str, ...]:
    """Write a project archive to ``path``; return warnings (texts XML could not carry).

    ``project.qde`` is streamed into the archive one child of ``<Project>`` (and one source) at a time, so
    memory holds one source's elements, never the whole tree."""
    path = Path(path)
    project, warning = carriable(project)
    checker = Checker(path)
    check_project(project, checker)
    with atomic_path(path) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        with archive.open(_member("project.qde"), "w") as member:
            for piece in _ProjectWriter(project, origin, checker.seen).pieces():
                member.write(piece.encode("utf-8"))
        for source in project.sources:
            archive.writestr(_member(f"sources/{_guid(source.guid)}.txt"),
                             CanonicalText.of(source.text).text.encode("utf-8"))
    return (f"{path.name}: {warning}",) if warning else ()


def _guid(raw: str) -> str:
    guid = canonical_guid(raw)
    assert guid is not None, "checked before writing"
    return guid


def _add(parent: Element, tag: str, text: str | None = None, **attributes: str | None) -> Element:
    """A child with the given attributes (None ones left out) and optional text."""
    element = SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _each(parent: Element, tag: str, items: Sequence[T], write: Callable[[Element, T], object]) -> None:
    """A container ``tag`` holding each item, left out when there are none (empty ones are invalid)."""
    if items:
        container = _add(parent, tag)
        for item in items:
            write(container, item)


def _description(parent: Element, text: str | None) -> None:
    if text is not None:
        _add(parent, "Description", canonical_text(text))


def _note_refs(parent: Element, guid: str, notes: dict[str, list[str]]) -> None:
    for note in notes.get(guid, ()):
        _add(parent, "NoteRef", targetGUID=note)


def _codes(parent: Element, codes: tuple[RefiCode, ...], notes: dict[str, list[str]]) -> None:
    if not codes:
        return
    container = _add(parent, "Codes")

    def code(holder: Element, item: RefiCode) -> None:
        element = _add(
            holder,
            "Code",
            guid=_guid(item.guid),
            name=item.name,
            isCodable=format_bool(item.is_codable),
            color=canonical_colour(item.colour) if item.colour else None,
        )
        _description(element, item.description)
        _note_refs(element, _guid(item.guid), notes)
        for child in item.children:
            code(element, child)

    for item in codes:
        code(container, item)


def _sets(parent: Element, sets: tuple[RefiSet, ...], *, with_targets: bool) -> None:
    """Codebook sets name members by ``guid``; project sets by ``targetGUID``."""
    if not sets:
        return
    container = _add(parent, "Sets")
    attribute = "targetGUID" if with_targets else "guid"
    for group in sets:
        element = _add(container, "Set", guid=_guid(group.guid), name=group.name)
        _description(element, group.description)
        for tag, refs in (("MemberCode", group.code_guids), ("MemberSource", group.source_guids), ("MemberNote", group.note_guids)):
            for ref in refs:
                _add(element, tag, **{attribute: _guid(ref)})


class _ProjectWriter:
    """Builds the ``<Project>`` element in the schema's order."""

    def __init__(self, project: RefiProject, origin: str, checked: set[str] = frozenset()) -> None:
        self.project = project
        self.origin = origin
        self.checked = checked  # the checker's canonical GUIDs of every object: one written as it stands
        self.types = {_guid(v.guid): v.type for v in project.variables}
        self._last_time: tuple[datetime | None, str] = (None, "")  # the last time written and its text
        self.notes: dict[str, list[str]] = defaultdict(list)
        for note in project.notes:
            for target in note.target_guids:
                self.notes[_guid(target)].append(_guid(note.guid))

    def pieces(self) -> Iterator[str]:
        """``project.qde`` as text pieces, laid out as ``indent`` lays out the whole tree: each child of
        ``<Project>``, and each ``<TextSource>``, is built, indented and serialised in turn."""
        p = self.project
        root = Element("Project", {"xmlns": PROJECT_NS, "name": p.name, "origin": self.origin})
        if p.creating_user is not None:
            root.set("creatingUserGUID", _guid(p.creating_user))
        if p.created is not None:
            root.set("creationDateTime", format_datetime(p.created))
        before, after = Element("before"), Element("after")
        _each(before, "Users", p.users, lambda parent, user: _add(parent, "User", guid=_guid(user.guid), name=user.name))
        if p.codes:
            _codes(_add(before, "CodeBook"), p.codes, self.notes)
        _each(before, "Variables", p.variables, self._variable)
        _each(before, "Cases", p.cases, self._case)
        _each(after, "Notes", p.notes, self._note)
        _each(after, "Links", p.links, self._link)
        _sets(after, p.sets, with_targets=True)
        _description(after, p.description)
        parts: list[Element | None] = [*before, *([None] if p.sources else []), *after]  # None: the sources
        yield XML_DECLARATION
        if not parts:
            yield tostring(root, encoding="unicode") + "\n"
            return
        SubElement(root, "split-here")
        head, tail = tostring(root, encoding="unicode").split("<split-here />")
        yield head
        for part in parts:
            yield "\n  "
            if part is None:
                yield "<Sources>"
                for source in p.sources:
                    yield self._source(source)
                yield "\n  </Sources>"
            else:
                yield _laid_out(part, 1)
        yield "\n" + tail + "\n"

    def _note(self, parent: Element, note: RefiNote) -> None:
        element = _add(parent, "Note", guid=_guid(note.guid), name=note.name)
        _add(element, "PlainTextContent", canonical_text(note.text))

    def _link(self, parent: Element, link: RefiLink) -> None:
        element = _add(
            parent,
            "Link",
            guid=_guid(link.guid),
            name=link.name,
            direction=link.direction,
            color=canonical_colour(link.colour) if link.colour else None,
            originGUID=_guid(link.origin_guid),
            targetGUID=_guid(link.target_guid),
        )
        _note_refs(element, _guid(link.guid), self.notes)

    def _variable(self, parent: Element, variable: RefiVariable) -> None:
        element = _add(parent, "Variable", guid=_guid(variable.guid), name=variable.name, typeOfVariable=variable.type)
        _description(element, variable.description)

    def _values(self, parent: Element, values: dict[str, VariableValue]) -> None:
        for guid, value in values.items():
            element = _add(parent, "VariableValue")
            _add(element, "VariableRef", targetGUID=_guid(guid))
            found = value_element(self.types[_guid(guid)], value)
            assert found is not None, "checked before writing"
            _add(element, found[0], found[1])

    def _case(self, parent: Element, case: RefiCase) -> None:
        element = _add(parent, "Case", guid=_guid(case.guid), name=case.name)
        _description(element, case.description)
        self._values(element, case.variables)
        for guid in case.source_guids:
            _add(element, "SourceRef", targetGUID=_guid(guid))

    # ----- sources, written as text: ``indent`` and ``tostring`` would lay them out alike, at a third of the cost
    def _source(self, source: RefiSource) -> str:
        """One ``<TextSource>`` with its selections, as its own lines at level 2 (each line begins with ``\\n``)."""
        guid = self._guid(source.guid)
        inner: list[str] = []
        _text_line(inner, _PADS[3], "Description", _canonical(source.description))
        text = CanonicalText.of(source.text)
        for sel in source.selections:
            self._selection(inner, sel, text)
        self._codings(inner, source.codings, _PADS[3])
        self._note_lines(inner, guid, _PADS[3])
        for variable, value in source.variables.items():
            found = value_element(self.types[self._guid(variable)], value)
            assert found is not None, "checked before writing"
            inner.append(f'{_PADS[3]}<VariableValue>{_PADS[4]}<VariableRef targetGUID="{self._guid(variable)}" />')
            _text_line(inner, _PADS[4], found[0], found[1])
            inner.append(f"{_PADS[3]}</VariableValue>")
        head = (f'{_PADS[2]}<TextSource guid="{guid}" name="{_attribute(source.name)}" '
                f'plainTextPath="internal://{guid}.txt"')
        return _element(head, "TextSource", inner, _PADS[2])

    def _selection(self, out: list[str], sel: RefiSelection, text: CanonicalText) -> None:
        guid = self._guid(sel.guid)
        head = [f'{_PADS[3]}<PlainTextSelection guid="{guid}"']
        if sel.name is not None:
            head.append(f' name="{_attribute(sel.name)}"')
        head.append(f' startPosition="{text.from_full(sel.start)}" endPosition="{text.from_full(sel.end)}"')
        if sel.user_guid:
            head.append(f' creatingUser="{self._guid(sel.user_guid)}"')
        if sel.created:
            head.append(f' creationDateTime="{self._datetime(sel.created)}"')
        inner: list[str] = []
        _text_line(inner, _PADS[4], "Description", _canonical(sel.description))
        self._codings(inner, sel.codings, _PADS[4])
        self._note_lines(inner, guid, _PADS[4])
        out.append(_element("".join(head), "PlainTextSelection", inner, _PADS[3]))

    def _codings(self, out: list[str], codings: tuple[RefiCoding, ...], pad: str) -> None:
        deeper = pad + "  "
        for coding in codings:
            guid = self._guid(coding.guid)
            head = f'{pad}<Coding guid="{guid}"'
            if coding.user_guid:
                head += f' creatingUser="{self._guid(coding.user_guid)}"'
            if coding.created:
                head += f' creationDateTime="{self._datetime(coding.created)}"'
            inner = [f'{deeper}<CodeRef targetGUID="{self._guid(coding.code_guid)}" />']
            self._note_lines(inner, guid, deeper)
            out.append(_element(head, "Coding", inner, pad))

    def _datetime(self, value: datetime) -> str:
        """``format_datetime`` of ``value``, made once for the same object met again in a row (a selection's
        time is its coding's)."""
        if value is not self._last_time[0]:
            self._last_time = (value, format_datetime(value))
        return self._last_time[1]

    def _guid(self, raw: str) -> str:
        """``raw`` in canonical form: as it stands when the checker saw it so (every GUID gtcode writes)."""
        return raw if raw in self.checked else _guid(raw)

    def _note_lines(self, out: list[str], guid: str, pad: str) -> None:
        for note in self.notes.get(guid, ()):
            out.append(f'{pad}<NoteRef targetGUID="{note}" />')


_PADS = tuple("\n" + "  " * level for level in range(6))  # a line's start at each level of ``indent``'s layout
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')
_TEXT_SPECIAL = re.compile("[&<>]")


def _attribute(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it (GUIDs, numbers and dates need none)."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"),
                         ("\n", "&#10;"), ("\t", "&#09;")):
        value = value.replace(char, entity)
    return value


def _text(value: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_line(out: list[str], pad: str, tag: str, text: str | None) -> None:
    """``<tag>text</tag>``, or ``<tag />`` when empty; nothing when None."""
    if text is not None:
        out.append(f"{pad}<{tag}>{_text(text)}</{tag}>" if text else f"{pad}<{tag} />")


def _canonical(text: str | None) -> str | None:
    return None if text is None else canonical_text(text)


def _element(head: str, tag: str, inner: list[str], pad: str) -> str:
    """An element from its start tag without ``>`` and its children's lines."""
    return f"{head}>{''.join(inner)}{pad}</{tag}>" if inner else head + " />"


XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _xml(root: Element) -> bytes:
    indent(root, space="  ")
    return (XML_DECLARATION + tostring(root, encoding="unicode")).encode("utf-8") + b"\n"


def _laid_out(element: Element, level: int) -> str:
    """One element serialised as it stands at ``level`` of a tree laid out by ``indent`` (tail left to the caller)."""
    indent(element, space="  ", level=level)
    element.tail = None
    return tostring(element, encoding="unicode")


def _member(name: str) -> zipfile.ZipInfo:
    """A deflated zip member with a fixed timestamp and permissions (equal input, equal bytes)."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info
