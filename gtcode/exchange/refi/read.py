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
from typing import NamedTuple

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
from gtcode.exchange.refi.offsets import CODEPOINTS, OFFSET_MODES, UTF16, SpanEvidence, decide_units
from gtcode.exchange.refi.positions import CanonicalText, canonical_text
from gtcode.exchange.refi.values import canonical_colour, parse_bool, parse_datetime, parse_value
from gtcode.exchange.refi.xmltree import Element, child, child_text, children, events, local, namespace, parse
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
    """Read a ``.qdpx`` project; ``offsets`` is ``auto``, ``codepoints`` or ``utf16``.

    The ``.qde`` is parsed as a stream: each text source is read into records when its element ends and its
    elements are dropped, so the whole tree is never in memory. A file whose parts are out of the schema's
    order (users, code book or variables after the sources) is read again keeping every element to the end."""
    if offsets not in OFFSET_MODES:
        raise GtcodeError(f"offsets must be one of {', '.join(OFFSET_MODES)}, not {offsets!r}")
    path = Path(path)
    with SafeZip(path, limits) as archive:
        member = archive.project_member()
        where = f"{path} ({member})"
        counted = archive.budget.elements  # the zip's members
        try:
            return _ProjectReader(ReadContext(where), archive, offsets, streaming=True).read(archive.chunks(member))
        except _OutOfOrder:
            archive.budget.elements, archive.budget.characters = counted, 0  # the clock runs on
            return _ProjectReader(ReadContext(where), archive, offsets, streaming=False).read(archive.chunks(member))


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        check_size(path.stat().st_size, str(path), limits.file_bytes)
        return path.read_bytes()
    except OSError as exc:
        raise RefiError.about(path, f"cannot be read ({exc.strerror or exc})") from None


def _root(data: bytes, ctx: ReadContext, tag: str, expected_ns: str, budget: Budget) -> Element:
    root = parse(data, ctx.where, budget)
    _check_root(root, ctx, tag, expected_ns)
    return root


def _check_root(root: Element, ctx: ReadContext, tag: str, expected_ns: str) -> None:
    if local(root) != tag:
        raise ctx.fail(f"root element is <{local(root)}>, expected <{tag}>")
    found = namespace(root)
    if found != expected_ns:
        ctx.warn(f"namespace {found or '(none)'!r} is not {expected_ns!r}; read as {expected_ns}")


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


class _OutOfOrder(Exception):
    """The users, code book or variables come after the sources: the file is read again, whole."""


class _PendingSelection(NamedTuple):
    """A selection whose positions are still in the file's units (a tuple: one per selection of the file)."""

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


_BEFORE_SOURCES = ("Users", "CodeBook", "Variables")  # what a source's records refer to


class _ProjectReader:
    """Turns a ``<Project>`` parsed as a stream into a ``RefiProject``.

    The parts before ``<Sources>`` (users, code book, variables) are read when the sources start; each text
    source is read into records when its element ends, then its elements are dropped. A source whose
    positions may be UTF-16 units (an astral character in a coded text, ``offsets="auto"``) keeps its
    elements until the project's unit is decided from all such sources. The other parts are small and are
    read at the end, in the schema's order. ``streaming=False`` keeps every element until the end."""

    def __init__(self, ctx: ReadContext, archive: SafeZip, offsets: str, streaming: bool) -> None:
        self.ctx = ctx
        self.archive = archive
        self.offsets = offsets
        self.streaming = streaming
        self.root: Element | None = None
        self.sections: dict[str, Element] = {}  # the first of each part of the project, by name
        self.users: dict[str, RefiUser] = {}
        self.codes: tuple[RefiCode, ...] = ()
        self.code_guids: dict[str, str] = {}  # canonical GUID -> itself: codings share one string per code
        self.variables: dict[str, RefiVariable] = {}
        self.started = False  # the parts before the sources are read
        self.source_items = 0  # children of <Sources>
        self.skipped: list[str] = []  # non-text sources
        self.sources: list[RefiSource | None] = []  # None: deferred until the unit is known
        self.deferred: list[tuple[int, _PendingSource]] = []
        self.dropped: set[str] = set()  # GUIDs claimed by objects then dropped
        self.note_refs: list[tuple[str | None, str | None]] = []  # (owner, note) of every <NoteRef>
        self._moment: tuple[str | None, datetime | None] = (None, None)  # the last creationDateTime read

    def read(self, chunks: Iterator[bytes]) -> RefiProject:
        ctx = self.ctx
        holder: Element | None = None  # the <Sources> being streamed
        for event, element, depth in events(chunks, ctx.where, self.archive.budget, upto=3):
            if event == "start":
                if depth == 1:
                    self.root = element
                    _check_root(element, ctx, "Project", PROJECT_NS)
                elif depth == 2 and self.streaming and holder is None and not self.started \
                        and local(element) == "Sources":
                    self._start()
                    holder = element
                continue
            name = local(element)
            if depth == 3 and holder is not None and self.streaming and element.getparent() is holder:
                self._take(element)
            elif depth == 2:
                if name in _BEFORE_SOURCES and self.started and name not in self.sections:
                    raise _OutOfOrder
                self.sections.setdefault(name, element)
                if element is holder:
                    holder = None
        if self.root is None:
            raise ctx.fail("malformed XML (no root element)")
        if not self.started:
            self._start()
        if not self.streaming and "Sources" in self.sections:
            for item in list(self.sections["Sources"]):
                self._take(item)
        for top in self.root:  # the note references outside the sources (theirs were taken with them)
            if top is not self.sections.get("Sources"):
                self._note_refs(top)
        return self._finish()

    def _note_refs(self, top: Element) -> None:
        """Keep (owner GUID, note GUID) of each ``<NoteRef>`` in ``top`` (the project itself owns none)."""
        for ref in top.iter("{*}NoteRef"):
            parent = ref.getparent()
            owner = None if parent is self.root else self.ctx.optional_guid(parent, "guid")
            self.note_refs.append((owner, self.ctx.optional_guid(ref, "targetGUID")))

    def _start(self) -> None:
        """Read the parts a source's records refer to: users, codes, variables."""
        ctx, sections = self.ctx, self.sections
        self.started = True
        for item in _container(sections.get("Users"), ctx, "Users", "User"):
            guid = ctx.guid(item)
            if ctx.claim(guid, item):
                self.users[guid] = RefiUser(guid, item.get("name"))
        self.codes = _codes(child(sections.get("CodeBook"), "Codes"), ctx, "Codes")
        self.code_guids = {c.guid: c.guid for top in self.codes for c in top.walk()}
        for item in _container(sections.get("Variables"), ctx, "Variables", "Variable"):
            self._variable(item)

    def _finish(self) -> RefiProject:
        ctx, sections, root = self.ctx, self.sections, self.root
        if "Sources" in sections and self.source_items == 0:
            ctx.warn("empty <Sources> (schema-invalid) ignored")
        if self.skipped:
            ctx.warn(f"{len(self.skipped)} non-text sources ({', '.join(sorted(set(self.skipped)))}) not imported")
        units = self._units([pending for _, pending in self.deferred])
        for index, pending in self.deferred:
            self.sources[index] = self._source(pending, units)
        sources = tuple(s for s in self.sources if s is not None)
        source_guids = {s.guid for s in sources}
        cases = tuple(self._cases(source_guids))
        notes_pending = [n for n in map(self._note, _container(sections.get("Notes"), ctx, "Notes", "Note")) if n]
        note_guids = {n.guid for n in notes_pending}
        sets = _sets(sections.get("Sets"), ctx, set(self.code_guids), source_guids, note_guids)
        kept = (ctx.seen - self.dropped) | set(self.users)  # every object read and kept so far
        links = tuple(self._links(kept))
        if "Graphs" in sections:
            ctx.warn("<Graphs> are not imported")
        notes = self._note_targets(notes_pending, (kept - note_guids) | {link.guid for link in links})
        creator = self._user(root, "creatingUserGUID")
        return RefiProject(
            name=root.get("name", ""),
            users=tuple(self.users.values()),
            codes=self.codes,
            sources=sources,
            notes=notes,
            cases=cases,
            variables=tuple(self.variables.values()),
            links=links,
            sets=sets,
            created=self._datetime(root, "creationDateTime"),
            creating_user=creator,
            description=_text(None if "Description" not in sections else (sections["Description"].text or "")),
            origin=root.get("origin"),
            offsets=units,
            warnings=ctx.warnings(),
        )

    # ----- attributes shared by many elements
    def _user(self, element: Element, attribute: str) -> str | None:
        raw = element.get(attribute)
        user = self.users.get(raw) if raw is not None else None
        if user is not None:  # canonical: a user read already (the common case, once per selection and coding)
            return user.guid
        guid = self.ctx.optional_guid(element, attribute)
        if guid is not None and guid not in self.users:
            self.ctx.count("user missing from <Users> added without a name")
            self.users[guid] = RefiUser(guid, None)
        return guid

    def _datetime(self, element: Element, attribute: str) -> datetime | None:
        raw = element.get(attribute)
        if raw is None:
            return None
        last, value = self._moment
        if raw != last:  # a selection and its codings mostly share one moment: parsed once
            value = parse_datetime(raw)
            self._moment = (raw, value)
        if value is None:
            self.ctx.count(f"malformed {attribute} ignored")
        return value

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
        for item in _container(self.sections.get("Cases"), self.ctx, "Cases", "Case"):
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

    def _take(self, item: Element) -> None:
        """Read one child of ``<Sources>``: a text source into its records now, or (positions that may be
        UTF-16 units) once the unit is decided; its elements go once read."""
        self.source_items += 1
        self._note_refs(item)
        if local(item) != "TextSource":
            self.skipped.append(local(item))
            return self._drop(item)
        guid = self.ctx.guid(item)
        if not self.ctx.claim(guid, item):
            return self._drop(item)
        found = self._plain_text(item, "text source")
        if found is None:
            self.dropped.add(guid)
            return self._drop(item)
        pending = _PendingSource(item, guid, CanonicalText.of(found[0]), found[1])
        for sel in children(item, "PlainTextSelection"):
            chosen = self._pending_selection(sel)
            if chosen is not None:
                pending.selections.append(chosen)
        if self.offsets == "auto" and pending.selections and Utf16Map(pending.text.raw).has_astral:
            self.deferred.append((len(self.sources), pending))
            self.sources.append(None)
        else:  # code points and UTF-16 units are the same here
            self.sources.append(self._source(pending, CODEPOINTS if self.offsets == "auto" else self.offsets))

    @staticmethod
    def _drop(item: Element) -> None:
        """Free a source's elements once read (the tree and the records it makes are never both whole)."""
        item.clear()
        parent = item.getparent()
        if parent is not None:
            parent.remove(item)

    def _pending_selection(self, element: Element) -> _PendingSelection | None:
        guid = self.ctx.guid(element)
        if not self.ctx.claim(guid, element):
            return None
        try:
            start, end = int(element.get("startPosition", "")), int(element.get("endPosition", ""))
        except ValueError:
            self.ctx.count("selection with malformed positions dropped")
            self.dropped.add(guid)
            return None
        return _PendingSelection(element, guid, start, end)

    def _units(self, pending: list[_PendingSource]) -> str:
        if self.offsets != "auto":
            return self.offsets
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
        position = pending.text.position
        for sel in pending.selections:
            if not 0 <= sel.start <= sel.end <= length:
                self.ctx.count("selection outside its text (or start after end) dropped")
                self.dropped.add(sel.guid)
                continue
            selections.append(self._selection(sel, position(to_points(sel.start)), position(to_points(sel.end))))
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
        pending.selections.clear()
        self._drop(element)
        return source

    def _selection(self, pending: _PendingSelection, start: int, end: int) -> RefiSelection:
        element = pending.element
        codings = self._codings(element)
        # children besides the codings kept: look for a description (most selections have none)
        description = _text(child_text(element, "Description")) if len(element) > len(codings) else None
        if not codings:
            self.ctx.count("selection without coding kept")
        if start == end:
            self.ctx.count("zero-length selection kept")
        return RefiSelection(pending.guid, start, end, element.get("name"), codings, description,
                             self._user(element, "creatingUser"), self._datetime(element, "creationDateTime"))

    def _codings(self, element: Element) -> tuple[RefiCoding, ...]:
        out = []
        ctx, code_guids = self.ctx, self.code_guids
        for item in children(element, "Coding"):
            guid = ctx.guid(item)
            ref = child(item, "CodeRef")
            code = None if ref is None else code_guids.get(ref.get("targetGUID"))
            if code is None and ref is not None:  # not a code's canonical GUID as it stands
                code = code_guids.get(ctx.optional_guid(ref, "targetGUID"))
            if code is None:
                ctx.count("coding of an unknown code dropped")
                continue
            if ctx.claim(guid, item):
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
            self.dropped.add(guid)
            return None
        if child(element, "PlainTextSelection") is not None:
            self.ctx.count("selection inside a note not imported")
        return RefiNote(guid, element.get("name"), CanonicalText.of(found[0]).text)

    def _note_targets(self, notes: list[RefiNote], kept: set[str]) -> tuple[RefiNote, ...]:
        """A note's targets are the kept objects that carry a ``<NoteRef>`` to it."""
        targets: dict[str, list[str]] = defaultdict(list)
        for owner, note in self.note_refs:
            if owner in kept and note and owner not in targets[note]:
                targets[note].append(owner)
        return tuple(
            RefiNote(n.guid, n.name, n.text, tuple(targets.get(n.guid, ()))) for n in notes
        )

    def _links(self, kept: set[str]) -> Iterator[RefiLink]:
        for item in _container(self.sections.get("Links"), self.ctx, "Links", "Link"):
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
