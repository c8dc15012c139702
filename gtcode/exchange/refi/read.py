"""Read REFI-QDA codebooks (``.qdc``) and projects (``.qdpx``) into ``model`` records.

Lenient where real tools differ (namespace ``codebook:0:4``, empty containers, GUID case and
braces, ``Sources/`` vs ``sources/``, any ``.qde`` name, BOM and CRLF, NVivo UTF-16 offsets),
strict where the file is broken or hostile (malformed XML, DTDs/entities, unsafe zip paths,
zip bombs): those raise ``RefiError`` with one line naming the file.

Selections: kept without codings and when zero-length (counted in the warnings, so the
caller decides); dropped, with a warning, only when their positions do not fit the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget, Limits
from gtcode.domain.spans import Utf16Map
from gtcode.exchange.refi.archive import DEFAULT_LIMITS, SafeZip
from gtcode.exchange.refi.context import ReadContext
from gtcode.exchange.refi.model import (
    CODEBOOK_NS,
    LINK_DIRECTIONS,
    PROJECT_NS,
    VARIABLE_TYPES,
    RefiCase,
    RefiCode,
    RefiCodebook,
    RefiCoding,
    RefiError,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
    VariableValue,
)
from gtcode.exchange.refi.offsets import OFFSET_MODES, UTF16, SpanEvidence, decide_units
from gtcode.exchange.refi.positions import CanonicalText, canonical_text
from gtcode.exchange.refi.values import canonical_colour, parse_bool, parse_datetime, parse_value
from gtcode.exchange.refi.xmltree import child, child_text, children, local, namespace, parse
from gtcode.text.encoding import check_size

_VALUE_ELEMENTS = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}


def read_codebook(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> RefiCodebook:
    """Read a ``.qdc`` codebook with its code sets."""
    path = Path(path)
    ctx = ReadContext(path)
    budget = Budget(limits, str(path))
    root = _root(_read_file(path, limits), ctx, "CodeBook", CODEBOOK_NS, budget)
    codes = _codes(child(root, "Codes"), ctx, "Codes")
    code_guids = {c.guid for top in codes for c in top.walk()}
    sets = _sets(child(root, "Sets"), ctx, code_guids)
    return RefiCodebook(codes, sets, origin=root.get("origin"), warnings=ctx.warnings())


def read_qdc(path: str | Path) -> tuple[tuple[RefiCode, ...], tuple[str, ...]]:
    """Read a ``.qdc`` codebook: (top-level codes, warnings)."""
    book = read_codebook(path)
    return book.codes, book.warnings


def read_qdpx(path: str | Path, offsets: str = "auto", *, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a ``.qdpx`` project; ``offsets`` is ``auto``, ``codepoints`` or ``utf16``."""
    if offsets not in OFFSET_MODES:
        raise GtcodeError(f"offsets must be one of {', '.join(OFFSET_MODES)}, not {offsets!r}")
    path = Path(path)
    with SafeZip(path, limits) as archive:
        member = archive.project_member()
        ctx = ReadContext(f"{path} ({member})")
        root = _root(archive.read(member), ctx, "Project", PROJECT_NS, archive.budget)
        return _ProjectReader(root, ctx, archive).read(offsets)


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        check_size(path.stat().st_size, str(path), limits.file_bytes)
        return path.read_bytes()
    except OSError as exc:
        raise RefiError.about(path, f"cannot be read ({exc.strerror or exc})") from None


def _root(data: bytes, ctx: ReadContext, tag: str, expected_ns: str, budget: Budget) -> Element:
    root = parse(data, ctx.where, budget)
    if local(root) != tag:
        raise ctx.fail(f"root element is <{local(root)}>, expected <{tag}>")
    found = namespace(root)
    if found != expected_ns:
        ctx.warn(f"namespace {found or '(none)'!r} is not {expected_ns!r}; read as {expected_ns}")
    return root


def _container(element: Element | None, ctx: ReadContext, name: str, item: str) -> list[Element]:
    """The ``item`` children of a container; an empty container is warned about."""
    if element is None:
        return []
    items = list(children(element, item))
    if not items:
        ctx.warn(f"empty <{name}> (schema-invalid) ignored")
    return items


def _text(value: str | None) -> str | None:
    return None if value is None else canonical_text(value)


def _codes(element: Element | None, ctx: ReadContext, name: str) -> tuple[RefiCode, ...]:
    out = []
    for item in _container(element, ctx, name, "Code"):
        code = _code(item, ctx)
        if code is not None:
            out.append(code)
    return tuple(out)


def _code(element: Element, ctx: ReadContext) -> RefiCode | None:
    guid = ctx.guid(element)
    if not ctx.claim(guid, element):
        return None
    codable = parse_bool(element.get("isCodable", ""))
    if codable is None:
        ctx.count("code without a valid isCodable read as codable")
        codable = True
    colour = ctx.optional(element, "color", canonical_colour)
    nested = (_code(item, ctx) for item in children(element, "Code"))
    return RefiCode(
        guid=guid,
        name=element.get("name", ""),
        is_codable=codable,
        colour=colour,
        description=_text(child_text(element, "Description")),
        children=tuple(code for code in nested if code is not None),
    )


def _refs(element: Element, ctx: ReadContext, tag: str, known: frozenset[str] | set[str], what: str) -> tuple[str, ...]:
    """Referenced GUIDs that are known; codebook sets name them by ``guid``, projects by ``targetGUID``."""
    out = []
    for ref in children(element, tag):
        guid = ctx.optional_guid(ref, "targetGUID" if "targetGUID" in ref.attrib else "guid")
        if guid in known and guid not in out:
            out.append(guid)
        else:
            ctx.count(f"{what} reference to an unknown object dropped")
    return tuple(out)


def _sets(
    element: Element | None,
    ctx: ReadContext,
    code_guids: set[str],
    source_guids: frozenset[str] | set[str] = frozenset(),
    note_guids: frozenset[str] | set[str] = frozenset(),
) -> tuple[RefiSet, ...]:
    out = []
    for item in _container(element, ctx, "Sets", "Set"):
        guid = ctx.guid(item)
        if ctx.claim(guid, item):
            out.append(
                RefiSet(
                    guid=guid,
                    name=item.get("name", ""),
                    code_guids=_refs(item, ctx, "MemberCode", code_guids, "set member"),
                    source_guids=_refs(item, ctx, "MemberSource", source_guids, "set member"),
                    note_guids=_refs(item, ctx, "MemberNote", note_guids, "set member"),
                    description=_text(child_text(item, "Description")),
                )
            )
    return tuple(out)


@dataclass
class _PendingSelection:
    """A selection whose positions are still in the file's units."""

    element: Element
    guid: str
    start: int
    end: int


@dataclass
class _PendingSource:
    """A source whose selections still wait for the project's position unit."""

    element: Element
    guid: str
    text: CanonicalText
    path: str | None
    selections: list[_PendingSelection] = field(default_factory=list)


class _ProjectReader:
    """Turns a parsed ``<Project>`` into a ``RefiProject``."""

    def __init__(self, root: Element, ctx: ReadContext, archive: SafeZip) -> None:
        self.root = root
        self.ctx = ctx
        self.archive = archive
        self.users: dict[str, RefiUser] = {}
        self.code_guids: set[str] = set()
        self.variables: dict[str, RefiVariable] = {}
        self.note_refs: list[tuple[str | None, str | None]] = []  # (owner, note) of the sources read

    def read(self, offsets: str) -> RefiProject:
        ctx, root = self.ctx, self.root
        for item in _container(child(root, "Users"), ctx, "Users", "User"):
            guid = ctx.guid(item)
            if ctx.claim(guid, item):
                self.users[guid] = RefiUser(guid, item.get("name"))
        codes = _codes(child(child(root, "CodeBook"), "Codes"), ctx, "Codes")
        self.code_guids = {c.guid for top in codes for c in top.walk()}
        for item in _container(child(root, "Variables"), ctx, "Variables", "Variable"):
            self._variable(item)
        pending = self._pending_sources()
        units = self._units(offsets, pending)
        sources = tuple(self._source(p, units) for p in pending)
        source_guids = {s.guid for s in sources}
        cases = tuple(self._cases(source_guids))
        notes_pending = [n for n in map(self._note, _container(child(root, "Notes"), ctx, "Notes", "Note")) if n]
        note_guids = {n.guid for n in notes_pending}
        sets = _sets(child(root, "Sets"), ctx, self.code_guids, source_guids, note_guids)
        kept = _guids(codes, sources, notes_pending, cases, sets) | set(self.users) | set(self.variables)
        links = tuple(self._links(kept))
        if child(root, "Graphs") is not None:
            ctx.warn("<Graphs> are not imported")
        notes = self._note_targets(notes_pending, (kept - note_guids) | {link.guid for link in links})
        creator = self._user(root, "creatingUserGUID")
        return RefiProject(
            name=root.get("name", ""),
            users=tuple(self.users.values()),
            codes=codes,
            sources=sources,
            notes=notes,
            cases=cases,
            variables=tuple(self.variables.values()),
            links=links,
            sets=sets,
            created=self._datetime(root, "creationDateTime"),
            creating_user=creator,
            description=_text(child_text(root, "Description")),
            origin=root.get("origin"),
            offsets=units,
            warnings=ctx.warnings(),
        )

    # ----- attributes shared by many elements
    def _user(self, element: Element, attribute: str) -> str | None:
        raw = element.get(attribute)
        if raw in self.users:  # canonical: a user read already (the common case, once per selection and coding)
            return raw
        guid = self.ctx.optional_guid(element, attribute)
        if guid is not None and guid not in self.users:
            self.ctx.count("user missing from <Users> added without a name")
            self.users[guid] = RefiUser(guid, None)
        return guid

    def _datetime(self, element: Element, attribute: str) -> datetime | None:
        return self.ctx.optional(element, attribute, parse_datetime)

    # ----- variables, cases
    def _variable(self, element: Element) -> None:
        guid = self.ctx.guid(element)
        if not self.ctx.claim(guid, element):
            return
        kind = element.get("typeOfVariable", "")
        if kind not in VARIABLE_TYPES:
            self.ctx.count("variable with an unknown typeOfVariable read as Text")
            kind = "Text"
        self.variables[guid] = RefiVariable(
            guid, element.get("name", ""), kind, _text(child_text(element, "Description"))  # type: ignore[arg-type]
        )

    def _values(self, element: Element) -> dict[str, VariableValue]:
        out: dict[str, VariableValue] = {}
        for item in children(element, "VariableValue"):
            ref = child(item, "VariableRef")
            guid = None if ref is None else self.ctx.optional_guid(ref, "targetGUID")
            variable = self.variables.get(guid or "")
            holder = next((v for v in item if local(v) in _VALUE_ELEMENTS), None)
            if variable is None or holder is None:
                self.ctx.count("variable value without a known variable dropped")
                continue
            value = parse_value(local(holder), holder.text or "")
            if value is None or _VALUE_ELEMENTS[local(holder)] != variable.type:
                self.ctx.count("variable value that does not match its variable's type dropped")
                continue
            out[variable.guid] = value
        return out

    def _cases(self, source_guids: set[str]) -> Iterator[RefiCase]:
        for item in _container(child(self.root, "Cases"), self.ctx, "Cases", "Case"):
            guid = self.ctx.guid(item)
            if not self.ctx.claim(guid, item):
                continue
            if child(item, "CodeRef") is not None or child(item, "SelectionRef") is not None:
                self.ctx.count("case code/selection reference not imported")
            yield RefiCase(
                guid=guid,
                name=item.get("name"),
                variables=self._values(item),
                source_guids=_refs(item, self.ctx, "SourceRef", source_guids, "case source"),
                description=_text(child_text(item, "Description")),
            )

    # ----- sources and their text
    def _plain_text(self, element: Element, what: str) -> tuple[str, str | None] | None:
        """(raw text, zip member) of a TextSource-like element; None (warned) when unavailable."""
        inline = child_text(element, "PlainTextContent")
        if inline is not None:
            return self._counted(inline, what), None
        ref = element.get("plainTextPath")
        if ref is None:
            self.ctx.count(f"{what} without plain text skipped")
            return None
        if not ref.lower().startswith("internal://"):
            self.ctx.count(f"{what} with external text ({ref.split(':', 1)[0]}://) skipped")
            return None
        member = self.archive.internal_member(ref[len("internal://") :])
        if member is None:
            raise self.ctx.fail(f"{what} text {ref!r} is missing from the archive")
        return self._counted(_decode(self.archive.read(member), f"{self.archive.path} ({member})"), what), member

    def _counted(self, text: str, what: str) -> str:
        """``text`` counted against the characters limit, NUL characters shown as U+FFFD (positions kept)."""
        self.archive.budget.text(len(text))
        if "\x00" in text:
            self.ctx.count(f"{what} with NUL characters: each shown as U+FFFD")
            text = text.replace("\x00", "\ufffd")
        return text

    def _pending_sources(self) -> list[_PendingSource]:
        out: list[_PendingSource] = []
        container = child(self.root, "Sources")
        if container is not None and len(container) == 0:
            self.ctx.warn("empty <Sources> (schema-invalid) ignored")
        for item in children(container, "TextSource"):
            guid = self.ctx.guid(item)
            if not self.ctx.claim(guid, item):
                continue
            found = self._plain_text(item, "text source")
            if found is None:
                continue
            pending = _PendingSource(item, guid, CanonicalText.of(found[0]), found[1])
            for sel in children(item, "PlainTextSelection"):
                chosen = self._pending_selection(sel)
                if chosen is not None:
                    pending.selections.append(chosen)
            out.append(pending)
        skipped = [local(item) for item in (container if container is not None else ()) if local(item) != "TextSource"]
        if skipped:
            self.ctx.warn(f"{len(skipped)} non-text sources ({', '.join(sorted(set(skipped)))}) not imported")
        return out

    def _pending_selection(self, element: Element) -> _PendingSelection | None:
        guid = self.ctx.guid(element)
        if not self.ctx.claim(guid, element):
            return None
        try:
            start, end = int(element.get("startPosition", "")), int(element.get("endPosition", ""))
        except ValueError:
            self.ctx.count("selection with malformed positions dropped")
            return None
        return _PendingSelection(element, guid, start, end)

    def _units(self, offsets: str, pending: list[_PendingSource]) -> str:
        if offsets != "auto":
            return offsets
        evidence = [SpanEvidence(p.text.raw, [(s.start, s.end) for s in p.selections]) for p in pending]
        decision = decide_units(self.root.get("origin"), evidence)
        if decision.units == UTF16:
            self.ctx.warn(f"positions read as UTF-16 code units: {decision.reason}")
        return decision.units

    def _source(self, pending: _PendingSource, units: str) -> RefiSource:
        element = pending.element
        to_points: Callable[[int], int] = lambda unit: unit  # noqa: E731
        length = len(pending.text.raw)
        if units == UTF16:
            utf16 = Utf16Map(pending.text.raw)
            to_points, length = utf16.to_codepoint, utf16.utf16_length
        selections = []
        for sel in pending.selections:
            if not 0 <= sel.start <= sel.end <= length:
                self.ctx.count("selection outside its text (or start after end) dropped")
                continue
            start = pending.text.position(to_points(sel.start))
            end = pending.text.position(to_points(sel.end))
            selections.append(self._selection(sel, start, end))
        source = RefiSource(
            guid=pending.guid,
            name=element.get("name", ""),
            text=pending.text.text,
            selections=tuple(selections),
            variables=self._values(element),
            description=_text(child_text(element, "Description")),
            codings=self._codings(element),
            path=pending.path,
        )
        self.note_refs.extend(self._note_refs(element))
        element.clear()  # read: its elements go while the next sources are read (the tree and the records
        pending.selections.clear()  # they make are never both whole in memory)
        return source

    def _selection(self, pending: _PendingSelection, start: int, end: int) -> RefiSelection:
        element = pending.element
        codings = self._codings(element)
        if not codings:
            self.ctx.count("selection without coding kept")
        if start == end:
            self.ctx.count("zero-length selection kept")
        return RefiSelection(
            guid=pending.guid,
            start=start,
            end=end,
            name=element.get("name"),
            codings=codings,
            description=_text(child_text(element, "Description")),
            user_guid=self._user(element, "creatingUser"),
            created=self._datetime(element, "creationDateTime"),
        )

    def _codings(self, element: Element) -> tuple[RefiCoding, ...]:
        out = []
        for item in children(element, "Coding"):
            guid = self.ctx.guid(item)
            ref = child(item, "CodeRef")
            code = None if ref is None else ref.get("targetGUID")
            if code not in self.code_guids and ref is not None:  # not a code's canonical GUID as it stands
                code = self.ctx.optional_guid(ref, "targetGUID")
            if code not in self.code_guids:
                self.ctx.count("coding of an unknown code dropped")
                continue
            if self.ctx.claim(guid, item):
                user = self._user(item, "creatingUser")
                out.append(RefiCoding(guid, code, user, self._datetime(item, "creationDateTime")))
        return tuple(out)

    # ----- notes and links
    def _note(self, element: Element) -> RefiNote | None:
        guid = self.ctx.guid(element)
        if not self.ctx.claim(guid, element):
            return None
        found = self._plain_text(element, "note")
        if found is None:
            return None
        if child(element, "PlainTextSelection") is not None:
            self.ctx.count("selection inside a note not imported")
        return RefiNote(guid, element.get("name"), CanonicalText.of(found[0]).text)

    def _note_targets(self, notes: list[RefiNote], kept: set[str]) -> tuple[RefiNote, ...]:
        """A note's targets are the kept objects that carry a ``<NoteRef>`` to it."""
        targets: dict[str, list[str]] = defaultdict(list)
        for owner, note in (*self.note_refs, *self._note_refs(self.root)):  # the sources' read as they were cleared
            if owner in kept and note and owner not in targets[note]:
                targets[note].append(owner)
        return tuple(
            RefiNote(n.guid, n.name, n.text, tuple(targets.get(n.guid, ()))) for n in notes
        )

    def _note_refs(self, top: Element) -> Iterator[tuple[str | None, str | None]]:
        """(owner GUID, note GUID) of each ``<NoteRef>`` under ``top`` (the project itself owns none)."""
        for element in top.iter():
            owner = self.ctx.optional_guid(element, "guid") if element is not self.root else None
            for ref in children(element, "NoteRef"):
                yield owner, self.ctx.optional_guid(ref, "targetGUID")

    def _links(self, kept: set[str]) -> Iterator[RefiLink]:
        for item in _container(child(self.root, "Links"), self.ctx, "Links", "Link"):
            guid = self.ctx.guid(item)
            origin = self.ctx.optional_guid(item, "originGUID")
            target = self.ctx.optional_guid(item, "targetGUID")
            if origin not in kept or target not in kept:
                self.ctx.count("link between unknown objects dropped")
                continue
            if not self.ctx.claim(guid, item):
                continue
            direction = item.get("direction")
            if direction is not None and direction not in LINK_DIRECTIONS:
                self.ctx.count("link with an unknown direction read without one")
                direction = None
            colour = self.ctx.optional(item, "color", canonical_colour)
            yield RefiLink(guid, origin, target, item.get("name"), direction, colour)  # type: ignore[arg-type]


def _guids(
    codes: tuple[RefiCode, ...],
    sources: tuple[RefiSource, ...],
    notes: list[RefiNote],
    cases: tuple[RefiCase, ...],
    sets: tuple[RefiSet, ...],
) -> set[str]:
    """GUIDs of every kept object a link or a note may point at."""
    out = {c.guid for top in codes for c in top.walk()}
    for source in sources:
        out.add(source.guid)
        out.update(c.guid for c in source.codings)
        for sel in source.selections:
            out.add(sel.guid)
            out.update(c.guid for c in sel.codings)
    out.update(n.guid for n in notes)
    out.update(c.guid for c in cases)
    out.update(s.guid for s in sets)
    return out


def _decode(data: bytes, where: str) -> str:
    """Source text bytes: UTF-8 (the spec), or UTF-16 when it carries a UTF-16 BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RefiError.about(where, f"text is not {encoding.upper()} (byte {exc.start})") from None
