"""Axial coding: the paradigm of each main category (six slots of categories and/or a sentence).

Adding categories to a slot appends them after those already there (a category already in the
slot stays where it is); ``remove`` takes named categories out, ``clear`` empties the slot first.
A slot holds at most one sentence of its own: giving a text replaces it. A slot can also carry evidence: codings
that back it or speak against it (negative cases), counted only where the reader may see the coding.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from gtcode.domain.levels import Level, Prefixes, parse_number
from gtcode.domain.paradigm import Slot, parse_slot
from gtcode.domain.records import CodeInfo, CodingInfo
from gtcode.services.changes import ChangeRecorder
from gtcode.services.codes import resolve_code
from gtcode.services.errors import GtcodeError, NotFound, where
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import CodeRow, CodingRow, ParadigmEntryRow, SlotEvidenceRow

SUPPORTING, CONTRADICTING = "supporting", "contradicting"


@dataclass(frozen=True)
class SlotCategory:
    ref: str
    label: str
    main_ref: str | None  # the main category the category is grouped under, if any


@dataclass(frozen=True)
class SlotInfo:
    slot: Slot
    categories: tuple[SlotCategory, ...] = ()
    text: str = ""
    supporting: tuple[int, ...] = ()  # coding ids of explicit evidence for the slot
    contradicting: tuple[int, ...] = ()  # negative cases: codings that speak against it

    @property
    def empty(self) -> bool:
        return not self.categories and not self.text


@dataclass(frozen=True)
class ParadigmIssue:
    slot: Slot | None
    ref: str | None
    message: str


@dataclass(frozen=True)
class ParadigmInfo:
    main_ref: str
    main_label: str
    slots: tuple[SlotInfo, ...]
    issues: tuple[ParadigmIssue, ...] = ()

    def slot(self, slot: Slot) -> SlotInfo:
        return next(info for info in self.slots if info.slot == slot)


def ref_of(prefixes: Prefixes, row: CodeRow) -> str:
    return prefixes.ref(Level(row.level), row.number)


def resolve_level(session: Session, prefixes: Prefixes, name: str, level: Level, role: str) -> CodeRow:
    """A code that must be of one level (a label several levels share names the one of that level); the error
    names the level it has and what to use."""
    try:
        row = resolve_code(session, prefixes, name)
    except GtcodeError:
        row = resolve_code(session, prefixes, name, level)
    if row.level != level.value:
        ref = ref_of(prefixes, row)
        raise GtcodeError(f"{ref} ({row.label}) is a {row.level}: {role} must be a {level.value}")
    return row


def _entries(session: Session, main_id: int, slot: Slot | None = None) -> list[ParadigmEntryRow]:
    query = select(ParadigmEntryRow).where(ParadigmEntryRow.main_id == main_id)
    if slot is not None:
        query = query.where(ParadigmEntryRow.slot == slot.value)
    return list(session.exec(query.order_by(ParadigmEntryRow.position, ParadigmEntryRow.id)).all())


def check_paradigm(slots: tuple[SlotInfo, ...]) -> tuple[ParadigmIssue, ...]:
    """Empty slots, categories grouped under no main category, categories in two slots."""
    issues = []
    seen: dict[str, list[Slot]] = defaultdict(list)
    for info in slots:
        if info.empty:
            issues.append(ParadigmIssue(info.slot, None, f"{info.slot.title}: empty slot"))
        for category in info.categories:
            seen[category.ref].append(info.slot)
            if category.main_ref is None:
                issues.append(ParadigmIssue(info.slot, category.ref,
                                            f"{category.ref} {category.label} is under no main category"))
    for ref, places in seen.items():
        if len(places) > 1:
            titles = ", ".join(slot.title for slot in places)
            issues.append(ParadigmIssue(places[-1], ref, f"{ref} is in {len(places)} slots: {titles}"))
    return tuple(issues)


def slot_evidence_of(session: Session, coder: str, main_id: int) -> dict[tuple[str, str], tuple[int, ...]]:
    """(slot, stance) -> the coding ids of a main category's slot evidence that ``coder`` may see."""
    from gtcode.services.blinding import visible_codings

    query = visible_codings(session, coder, SlotEvidenceRow.slot, SlotEvidenceRow.stance, CodingRow.id) \
        .select_from(CodingRow).join(SlotEvidenceRow, SlotEvidenceRow.coding_id == CodingRow.id) \
        .where(SlotEvidenceRow.main_id == main_id).order_by(CodingRow.id)
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for slot, stance, coding_id in session.exec(query).all():
        if coding_id not in found[slot, stance]:
            found[slot, stance].append(coding_id)
    return {key: tuple(ids) for key, ids in found.items()}


def paradigm_in(session: Session, prefixes: Prefixes, main: CodeRow, coder: str) -> ParadigmInfo:
    """The paradigm of a main category as ``coder`` may see it, read inside a unit of work."""
    entries = _entries(session, main.id)
    evidence = slot_evidence_of(session, coder, main.id)
    ids = {e.category_id for e in entries if e.category_id}
    codes = {c.id: c for c in session.exec(select(CodeRow).where(CodeRow.id.in_(ids))).all()} if ids else {}
    parents = {c.id: c for c in session.exec(
        select(CodeRow).where(CodeRow.id.in_({c.parent_id for c in codes.values() if c.parent_id})))} if codes else {}
    slots = []
    for slot in Slot:
        categories, text = [], ""
        for entry in entries:
            if entry.slot != slot.value:
                continue
            if entry.category_id in codes:
                code = codes[entry.category_id]
                parent = parents.get(code.parent_id)
                main_ref = ref_of(prefixes, parent) if parent is not None and parent.level == Level.MAIN.value else None
                categories.append(SlotCategory(ref_of(prefixes, code), code.label, main_ref))
            elif entry.text:
                text = entry.text
        slots.append(SlotInfo(slot, tuple(categories), text, evidence.get((slot.value, SUPPORTING), ()),
                              evidence.get((slot.value, CONTRADICTING), ())))
    slots = tuple(slots)
    return ParadigmInfo(ref_of(prefixes, main), main.label, slots, check_paradigm(slots))


def paradigm(project: Project, main: str) -> ParadigmInfo:
    """The paradigm of a main category (by reference or label)."""
    with project.read() as session:
        row = resolve_level(session, project.prefixes, main, Level.MAIN, "a paradigm's owner")
        return paradigm_in(session, project.prefixes, row, project.coder)


def paradigms(project: Project) -> list[ParadigmInfo]:
    """The paradigm of every main category, in order of their numbers."""
    with project.read() as session:
        mains = session.exec(select(CodeRow).where(CodeRow.level == Level.MAIN.value).order_by(CodeRow.number)).all()
        return [paradigm_in(session, project.prefixes, row, project.coder) for row in mains]


@use_case(WRITER, "fill paradigm slots")
def set_slot(project: Project, main: str, slot: Slot | str, add: list[str] | tuple[str, ...] = (),
             text: str | None = None, remove: list[str] | tuple[str, ...] = (), clear: bool = False) -> ParadigmInfo:
    """Change one slot: clear it, remove categories, append categories, set its sentence."""
    slot = parse_slot(slot) if isinstance(slot, str) else slot
    if not (add or remove or clear or text is not None):
        raise GtcodeError(f"say what goes into {slot.value}: categories, --text, --remove or --clear")
    prefixes = project.prefixes
    with project.write() as session:
        owner = resolve_level(session, prefixes, main, Level.MAIN, "a paradigm's owner")
        adding = [resolve_level(session, prefixes, name, Level.CATEGORY, "a paradigm slot's entry") for name in add]
        removing = [resolve_level(session, prefixes, name, Level.CATEGORY, "a paradigm slot's entry") for name in remove]
        recorder = ChangeRecorder(session, f"paradigm {ref_of(prefixes, owner)} {slot.value}", project.coder)
        entries = _entries(session, owner.id, slot)
        if clear:
            for entry in entries:
                recorder.touch(entry)
                session.delete(entry)
            entries = []
        for row in removing:
            found = [e for e in entries if e.category_id == row.id]
            if not found:
                raise GtcodeError(f"{ref_of(prefixes, row)} is not in {slot.value} of {ref_of(prefixes, owner)}: "
                                  f"see it {where('paradigm', ref_of(prefixes, owner))}")
            for entry in found:
                recorder.touch(entry)
                session.delete(entry)
                entries.remove(entry)
        position = max((e.position for e in entries), default=-1) + 1
        present = {e.category_id for e in entries}
        for row in adding:
            if row.id in present:
                continue
            entry = ParadigmEntryRow(main_id=owner.id, slot=slot.value, category_id=row.id, position=position)
            session.add(entry)
            recorder.created(entry)
            present.add(row.id)
            position += 1
        if text is not None:
            _set_text(session, recorder, owner.id, slot, entries, text.strip(), position)
        recorder.save()
        session.flush()
        return paradigm_in(session, prefixes, owner, project.coder)


@use_case(WRITER, "weigh evidence on paradigm slots")
def slot_evidence(project: Project, main: str, slot: Slot | str, supporting: list[int | str] | tuple = (),
                  contradicting: list[int | str] | tuple = (), drop: list[int | str] | tuple = ()) -> ParadigmInfo:
    """Add codings as supporting or contradicting evidence of one slot (a coding already there takes the new stance),
    or drop them."""
    from gtcode.services.blinding import visible_coding

    slot = parse_slot(slot) if isinstance(slot, str) else slot
    if not (supporting or contradicting or drop):
        raise GtcodeError(f"say which codings back or contradict {slot.value}: supporting, --contradicting or --drop")
    with project.write() as session:
        owner = resolve_level(session, project.prefixes, main, Level.MAIN, "a paradigm's owner")
        owner_ref = ref_of(project.prefixes, owner)
        hint = f"evidence is a coding id: list them {where('quotes')}"
        recorder = ChangeRecorder(session, f"evidence of {owner_ref} {slot.value}", project.coder)
        rows = session.exec(select(SlotEvidenceRow).where(SlotEvidenceRow.main_id == owner.id,
                                                          SlotEvidenceRow.slot == slot.value)).all()
        present = {row.coding_id: row for row in rows}
        for stance, items in ((SUPPORTING, supporting), (CONTRADICTING, contradicting)):
            for item in items:
                coding = visible_coding(session, project.coder, item, hint)
                present[coding.id] = recorder.put(present.get(coding.id), SlotEvidenceRow, dict(
                    main_id=owner.id, slot=slot.value, coding_id=coding.id), stance=stance)
        for item in drop:
            row = next((r for r in rows if r.coding_id == parse_number(str(item))), None)
            if row is None:
                raise NotFound(f"coding {item} is not evidence of {slot.value} in {owner_ref}: "
                               f"see it {where('paradigm', owner_ref)}")
            recorder.touch(row)
            session.delete(row)
        recorder.save()
        session.flush()
        return paradigm_in(session, project.prefixes, owner, project.coder)


def _set_text(session: Session, recorder: ChangeRecorder, main_id: int, slot: Slot,
              entries: list[ParadigmEntryRow], text: str, position: int) -> None:
    existing = next((e for e in entries if e.category_id is None), None)
    if existing is not None:
        recorder.touch(existing)
        if text:
            existing.text = text
            session.add(existing)
        else:
            session.delete(existing)
    elif text:
        entry = ParadigmEntryRow(main_id=main_id, slot=slot.value, text=text, position=position)
        session.add(entry)
        recorder.created(entry)


def slot_quotes(project: Project, main: str, slot: Slot | str) -> dict[str, list[CodingInfo]]:
    """The quotations behind each category of a slot, by category reference, then the slot's own evidence under
    ``supporting`` and ``contradicting`` (when it has some)."""
    from gtcode.services.coding import codings_by_id, quotes

    slot = parse_slot(slot) if isinstance(slot, str) else slot
    info = paradigm(project, main).slot(slot)
    found = {category.ref: quotes(project, category.ref) for category in info.categories}
    for stance, ids in ((SUPPORTING, info.supporting), (CONTRADICTING, info.contradicting)):
        if ids:
            found[stance] = codings_by_id(project, ids)
    return found


def main_categories(project: Project) -> list[CodeInfo]:
    """The main categories, in order of their numbers."""
    from gtcode.services.codes import list_codes

    return list_codes(project, Level.MAIN)
