"""What the schemas do not check, checked before writing: GUIDs, duplicates, references, spans, characters."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from gtcode.exchange.refi.model import (
    LINK_DIRECTIONS,
    VARIABLE_TYPES,
    RefiCode,
    RefiCoding,
    RefiError,
    RefiProject,
    RefiSet,
    VariableValue,
)
from gtcode.exchange.refi.positions import CanonicalText
from gtcode.exchange.refi.values import canonical_colour, canonical_guid, first_non_xml_char, value_element


class Checker:
    """Raises a one-line ``RefiError`` naming the output file and the offending object."""

    def __init__(self, where: object) -> None:
        self.where = where
        self.seen: set[str] = set()

    def fail(self, what: str) -> RefiError:
        """An error about the file being written."""
        return RefiError.about(self.where, what)

    def guid(self, raw: str | None, what: str) -> str:
        """Canonical form of a GUID the model carries."""
        guid = canonical_guid(raw or "")
        if guid is None:
            raise self.fail(f"{what} has GUID {raw!r}, which is not a GUID")
        return guid

    def new(self, raw: str, what: str) -> str:
        """A GUID that must not have been used by another object."""
        guid = self.guid(raw, what)
        if guid in self.seen:
            raise self.fail(f"{what} reuses GUID {guid}")
        self.seen.add(guid)
        return guid

    def ref(self, raw: str, known: Collection[str], what: str) -> str:
        """A GUID that must name a known object."""
        if raw in known:  # canonical as it stands (known GUIDs are), the common case: no pattern to match
            return raw
        guid = self.guid(raw, what)
        if guid not in known:
            raise self.fail(f"{what} refers to unknown GUID {guid}")
        return guid

    def colour(self, raw: str | None, what: str) -> str | None:
        """``#RRGGBB`` or None."""
        if raw is None:
            return None
        colour = canonical_colour(raw)
        if colour is None:
            raise self.fail(f"{what} has colour {raw!r}; expected #RGB or #RRGGBB")
        return colour

    def xml_text(self, text: str | None, what: str) -> str | None:
        """Text that XML 1.0 can carry."""
        if text is not None:
            bad = first_non_xml_char(text)
            if bad is not None:
                raise self.fail(f"{what} contains U+{ord(bad):04X}, which XML cannot carry")
        return text

    def value(self, variable_type: str, value: object, what: str) -> tuple[str, str]:
        """(element, text) of a variable value of the right type."""
        if variable_type not in VARIABLE_TYPES:
            raise self.fail(f"{what}: variable type {variable_type!r} is not one of {', '.join(VARIABLE_TYPES)}")
        found = value_element(variable_type, value)
        if found is None:
            raise self.fail(f"{what}: {value!r} is not a {variable_type} value")
        self.xml_text(found[1], what)
        return found


def walk_codes(codes: Iterable[RefiCode]) -> Iterator[RefiCode]:
    """All codes depth first."""
    for code in codes:
        yield from code.walk()


def _check_codes(codes: tuple[RefiCode, ...], check: Checker) -> set[str]:
    for code in walk_codes(codes):
        check.new(code.guid, f"code {code.name!r}")
        check.colour(code.colour, f"code {code.name!r}")
        check.xml_text(code.name, f"code {code.name!r}")
        check.xml_text(code.description, f"description of code {code.name!r}")
    return {check.guid(c.guid, "code") for c in walk_codes(codes)}


def _check_sets(sets: tuple[RefiSet, ...], check: Checker, *members: set[str]) -> None:
    for group in sets:
        what = f"set {group.name!r}"
        check.new(group.guid, what)
        check.xml_text(group.name, what)
        check.xml_text(group.description, what)
        for refs, known in zip((group.code_guids, group.source_guids, group.note_guids), members):
            for guid in refs:
                check.ref(guid, known, what)
        if len(members) < 3 and (group.source_guids or group.note_guids):
            raise check.fail(f"{what}: a codebook set can only hold codes")


def check_codebook(codes: tuple[RefiCode, ...], sets: tuple[RefiSet, ...], check: Checker) -> None:
    """GUIDs unique, colours valid, set members known."""
    if not codes:
        raise check.fail("a codebook needs at least one code")
    _check_sets(sets, check, _check_codes(codes, check))


def check_project(project: RefiProject, check: Checker) -> None:
    """Everything a reader would otherwise have to guess about."""
    users = set()
    for user in project.users:
        users.add(check.new(user.guid, f"user {user.name!r}"))
        check.xml_text(user.name, f"user {user.name!r}")
    codes = _check_codes(project.codes, check)
    variables = {}
    for variable in project.variables:
        variables[check.new(variable.guid, f"variable {variable.name!r}")] = variable.type
        check.xml_text(variable.name, f"variable {variable.name!r}")
        check.xml_text(variable.description, f"variable {variable.name!r}")
    annotatable = set(codes)

    def codings(items: tuple[RefiCoding, ...], what: str) -> None:
        for coding in items:
            annotatable.add(check.new(coding.guid, f"coding in {what}"))
            check.ref(coding.code_guid, codes, f"coding in {what}")
            if coding.user_guid is not None:
                check.ref(coding.user_guid, users, f"coding in {what}")

    def values(items: dict[str, VariableValue], what: str) -> None:
        for guid, value in items.items():
            check.value(variables[check.ref(guid, variables, what)], value, what)

    sources: set[str] = set()
    for source in project.sources:
        what = f"source {source.name!r}"
        sources.add(check.new(source.guid, what))
        check.xml_text(source.name, what)
        check.xml_text(source.description, f"description of {what}")
        try:
            source.text.encode("utf-8")
        except UnicodeEncodeError:
            raise check.fail(f"text of {what} contains a lone surrogate") from None
        codings(source.codings, what)
        values(source.variables, what)
        for sel in source.selections:
            annotatable.add(check.new(sel.guid, f"selection in {what}"))
            if not 0 <= sel.start <= sel.end <= len(source.text):
                raise check.fail(
                    f"selection {sel.guid} [{sel.start}:{sel.end}] does not fit {what} ({len(source.text)} chars)"
                )
            check.xml_text(sel.name, f"selection name in {what}")
            check.xml_text(sel.description, f"selection description in {what}")
            if sel.user_guid is not None:
                check.ref(sel.user_guid, users, f"selection in {what}")
            codings(sel.codings, f"selection {sel.guid}")
    annotatable |= sources
    for case in project.cases:
        what = f"case {case.name!r}"
        check.new(case.guid, what)
        check.xml_text(case.name, what)
        check.xml_text(case.description, what)
        values(case.variables, what)
        for guid in case.source_guids:
            check.ref(guid, sources, what)
    notes = set()
    for note in project.notes:
        notes.add(check.new(note.guid, f"note {note.name!r}"))
        check.xml_text(note.name, f"note {note.name!r}")
        check.xml_text(CanonicalText.of(note.text).text, f"note {note.name!r}")
    _check_sets(project.sets, check, codes, sources, notes)
    everything = set(check.seen)
    for link in project.links:
        what = f"link {link.name!r}"
        annotatable.add(check.new(link.guid, what))
        check.xml_text(link.name, what)
        check.colour(link.colour, what)
        check.ref(link.origin_guid, everything, what)
        check.ref(link.target_guid, everything, what)
        if link.direction is not None and link.direction not in LINK_DIRECTIONS:
            raise check.fail(f"{what}: direction {link.direction!r} is not one of {', '.join(LINK_DIRECTIONS)}")
    for note in project.notes:
        for guid in note.target_guids:
            check.ref(guid, annotatable, f"note {note.name!r} (targets must be codes, sources, selections, codings or links)")
    if project.creating_user is not None:
        check.ref(project.creating_user, users, "project creator")
    check.xml_text(project.name, "project name")
    check.xml_text(project.description, "project description")
