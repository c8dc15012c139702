"""The code system: creating, finding, grouping, renaming, moving, merging, splitting and deleting codes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from gtcode.domain.levels import Level, Prefixes, parse_level, parse_number
from gtcode.domain.records import CodeInfo
from gtcode.services.blinding import current_phase, visible_codings, visible_counts_by_code
from gtcode.services.changes import ChangeRecorder, in_chunks, insert_rows
from gtcode.services.errors import Conflict, Forbidden, GtcodeError, NotFound, run, where
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, check_code_removal, use_case
from gtcode.store.tables import (
    CodeExampleRow, CodeRow, CodingRow, ParadigmEntryRow, ProjectRow, PropertyRow, RelationshipRow, SlotEvidenceRow,
)

GROUPABLE = (Level.CONCEPT, Level.CATEGORY, Level.MAIN)


def code_info(session: Session, row: CodeRow, prefixes: Prefixes, coder: str, codings: int | None = None,
              children: int | None = None) -> CodeInfo:
    """The frozen record of a code row; its codings counted as ``coder`` may see them."""
    parent = session.get(CodeRow, row.parent_id) if row.parent_id else None
    if codings is None:
        codings = session.exec(visible_codings(session, coder, func.count()).where(CodingRow.code_id == row.id)).one()
    if children is None:
        children = session.exec(select(func.count()).where(CodeRow.parent_id == row.id)).one()
    level = Level(row.level)
    return CodeInfo(
        id=row.id, ref=prefixes.ref(level, row.number), level=level, number=row.number, label=row.label,
        parent_id=row.parent_id, parent_ref=prefixes.ref(Level(parent.level), parent.number) if parent else None,
        definition=row.definition, colour=row.colour, phase=row.phase, version=row.version,
        codings=codings, children=children, in_vivo=bool(row.in_vivo),
    )


def resolve_code(session: Session, prefixes: Prefixes, ref: str, level: Level | None = None) -> CodeRow:
    """A code by reference (``a7``, ``aa2``, ``A1``) or by label, optionally of a given level."""
    text = ref.strip()
    if not text:
        raise GtcodeError("an empty code was given: name a code by reference (a7) or label")
    parsed = prefixes.parse_ref(text)
    if parsed is not None:
        row = session.exec(select(CodeRow).where(CodeRow.level == parsed[0].value, CodeRow.number == parsed[1])).first()
        if row is not None and (level is None or row.level == level.value):
            return row
    query = select(CodeRow).where(func.lower(CodeRow.label) == text.lower())
    if level is not None:
        query = query.where(CodeRow.level == level.value)
    rows = session.exec(query).all()
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        refs = ", ".join(prefixes.ref(Level(r.level), r.number) for r in rows)
        raise GtcodeError(f"label {text!r} names several codes ({refs}): give the reference instead")
    at = f" at level {level.value}" if level else ""
    raise NotFound(f"no code {text!r}{at}: list codes {where('codes')}")


def find_label(session: Session, level: Level, label: str) -> CodeRow | None:
    """The code of a level with this label (case-insensitive), if any."""
    return session.exec(
        select(CodeRow).where(CodeRow.level == level.value, func.lower(CodeRow.label) == label.strip().lower())
    ).first()


def create_code(session: Session, recorder: ChangeRecorder, level: Level, label: str, parent: CodeRow | None = None,
                definition: str = "", colour: str | None = None, number: int | None = None) -> CodeRow:
    """A new code with the next number of its level, or NUMBER when no code ever had it (numbers are never reused)."""
    label = _checked_label(label)
    locked_project(session)
    if find_label(session, level, label) is not None:
        raise Conflict(_label_taken(level, label))
    if parent is not None:
        _check_parent(level, parent)
    highest = session.exec(select(func.max(CodeRow.number)).where(CodeRow.level == level.value)).one() or 0
    number = allocate_number(session, level.value, highest, number)
    row = CodeRow(level=level.value, number=number, label=label, parent_id=parent.id if parent else None,
                  definition=definition, colour=colour, phase=current_phase(session), created_by=recorder.coder)
    session.add(row)
    recorder.created(row)
    return row


@dataclass(frozen=True)
class NewCode:
    """One code for :func:`create_codes`: its label, parent, the number wanted (if any) and its texts."""

    label: str
    parent: CodeRow | None = None
    number: int | None = None
    definition: str = ""
    colour: str | None = None
    when_to_use: str = ""
    when_not_to_use: str = ""
    in_vivo: bool = False


def create_codes(session: Session, recorder: ChangeRecorder, level: Level, new: list[NewCode]) -> list[CodeRow]:
    """Many new codes of one level at once (an import), under the rules of :func:`create_code`: labels
    non-empty and not taken (by a code of the level or by another code of ``new``), parents of the level above,
    numbers allocated as one by one (the wanted one if no code ever had it, else the next; never reused).
    One query for the labels, one lock, one executemany; recorded for undo as inserted."""
    if not new:
        return []
    labels = [_checked_label(code.label) for code in new]
    project = locked_project(session)
    seen: set[str] = set()
    for label, code in zip(labels, new):
        if label.lower() in seen:
            raise Conflict(_label_taken(level, label))
        seen.add(label.lower())
        if code.parent is not None:
            _check_parent(level, code.parent)
    for chunk in in_chunks(sorted(seen)):
        taken = session.exec(select(CodeRow.label).where(CodeRow.level == level.value,
                                                         func.lower(CodeRow.label).in_(chunk)).limit(1)).first()
        if taken is not None:
            raise Conflict(_label_taken(level, taken))
    highest = session.exec(select(func.max(CodeRow.number)).where(CodeRow.level == level.value)).one() or 0
    numbers = dict(project.next_numbers)
    phase, rows = current_phase(session), []
    for label, code in zip(labels, new):
        number = _next_number(numbers, level.value, highest, code.number)
        highest = max(highest, number)
        rows.append(dict(level=level.value, number=number, label=label, parent_id=code.parent.id if code.parent else None,
                         definition=code.definition, colour=code.colour, when_to_use=code.when_to_use,
                         when_not_to_use=code.when_not_to_use, in_vivo=code.in_vivo, phase=phase,
                         created_by=recorder.coder))
    project.next_numbers = numbers
    session.add(project)
    recorder.inserted(CodeRow, insert_rows(session, CodeRow, rows))
    by_id = {}
    for chunk in in_chunks([row["id"] for row in rows]):
        by_id.update((row.id, row) for row in session.exec(select(CodeRow).where(CodeRow.id.in_(chunk))))
    return [by_id[row["id"]] for row in rows]


def _checked_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise GtcodeError("a code label cannot be empty: type a few words that name the idea")
    return label


def _label_taken(level: Level, label: str) -> str:
    return f"a {level.value} labelled {label!r} exists already: reuse it or choose another label"


SKIPPED = "{} skipped"  # next_numbers key: numbers below the counter that no code ever had (given on request)
MAX_SKIPPED = 1000
MAX_CODE_NUMBER = 2**31 - 1  # an INTEGER column on PostgreSQL


def allocate_number(session: Session, counter: str, highest: int, wanted: int | None = None) -> int:
    """The number for a new code of a level (or relationship, ``counter``): ``wanted`` if no row ever had it,
    else the next one. The counter is in the project row, locked until commit; undo does not roll it back
    (it is not recorded as a change), so a number given once is never given to another code."""
    project = locked_project(session)
    numbers = dict(project.next_numbers)
    number = _next_number(numbers, counter, highest, wanted)
    project.next_numbers = numbers
    session.add(project)
    return number


def _next_number(numbers: dict, counter: str, highest: int, wanted: int | None) -> int:
    """:func:`allocate_number` on the project's ``next_numbers`` (changed in place)."""
    if wanted is not None and wanted > MAX_CODE_NUMBER:
        wanted = None
    following = max(numbers.get(counter, 1), highest + 1)
    skipped = set(numbers.get(SKIPPED.format(counter), []))
    if wanted is not None and wanted in skipped:
        number = wanted
        skipped.discard(wanted)
    elif wanted is not None and wanted >= following:
        number = wanted
        if wanted - following <= MAX_SKIPPED:
            skipped.update(range(following, wanted))
    else:
        number = following
    numbers[counter] = max(following, number + 1)
    if skipped:
        numbers[SKIPPED.format(counter)] = sorted(skipped)
    else:
        numbers.pop(SKIPPED.format(counter), None)
    return number


def locked_project(session: Session) -> ProjectRow:
    """The project row, freshly read and locked until commit: code numbers and labels are allocated under it."""
    query = select(ProjectRow).with_for_update().execution_options(populate_existing=True)
    row = session.exec(query).first()
    if row is None:
        raise GtcodeError(f"the database holds no gtcode project: {run('init')} to create one")
    return row


def find_or_create(session: Session, recorder: ChangeRecorder, level: Level, label: str) -> CodeRow:
    """The code of a level with this label, made if there is none (safe when coders race to make it)."""
    found = find_label(session, level, label)
    if found is None:
        locked_project(session)
        found = find_label(session, level, label) or create_code(session, recorder, level, label)
    return found


def _check_parent(level: Level, parent: CodeRow) -> None:
    if level.parent_level is None or parent.level != level.parent_level.value:
        wanted = level.parent_level.value if level.parent_level else "nothing"
        raise GtcodeError(f"a {level.value} goes under a {wanted}, not under a {parent.level} ({parent.label})")


def _bump(row: CodeRow, expected_version: int | None, prefixes: Prefixes) -> None:
    """Lock the code's row, check the version the caller saw, and count one more change."""
    session = object_session(row)
    ref = prefixes.ref(Level(row.level), row.number)
    current = session.exec(select(CodeRow.version).where(CodeRow.id == row.id).with_for_update()).first()
    if current is None:
        raise Conflict(f"{ref} was removed by someone else meanwhile: reload and try again")
    if expected_version is not None and current != expected_version:
        session.refresh(row)
        raise Conflict(f"{ref} was changed by someone else (now {row.label!r}, version {row.version}): reload and try again")
    row.version = current + 1


def list_codes(project: Project, level: Level | str | None = None, counted: bool = True) -> list[CodeInfo]:
    """Codes (of one level or all), ordered by level and number, with children counted and, when ``counted``,
    the codings each has (a pass over the code index: a picker or the tree, which asks :func:`coding_counts`
    for the codes it shows, leaves them out, and each code's ``codings`` is then 0)."""
    if isinstance(level, str):
        level = parse_level(level)
    prefixes = project.prefixes
    with project.read() as session:
        codings = visible_counts_by_code(session, project.coder) if counted else {}
        rows = session.execute(select(CodeRow.id, CodeRow.level, CodeRow.number, CodeRow.label, CodeRow.parent_id,
                                      CodeRow.definition, CodeRow.colour, CodeRow.phase, CodeRow.version,
                                      CodeRow.in_vivo)).all()
    levels = {level.value: level for level in Level}
    ranks = {level.value: level.rank for level in Level}
    refs = {row[0]: prefixes.ref(levels[row[1]], row[2]) for row in rows}
    children = Counter(row[4] for row in rows if row[4])
    wanted = None if level is None else level.value
    infos = []
    for code_id, level_name, number, label, parent_id, definition, colour, phase, version, in_vivo in sorted(
            rows, key=lambda r: (ranks[r[1]], r[2])):
        if wanted is not None and level_name != wanted:
            continue
        infos.append(CodeInfo(
            id=code_id, ref=refs[code_id], level=levels[level_name], number=number, label=label, parent_id=parent_id,
            parent_ref=refs.get(parent_id), definition=definition, colour=colour, phase=phase, version=version,
            codings=codings.get(code_id, 0), children=children.get(code_id, 0), in_vivo=bool(in_vivo),
        ))
    return infos


def coding_counts(project: Project, code_ids: list[int]) -> dict[int, int]:
    """How many codings the coder sees of each of ``code_ids`` (0 for none): what the codebook tree shows for
    the phenomena it has built, read per code from the index, so the cost follows what is shown."""
    with project.read() as session:
        counts = visible_counts_by_code(session, project.coder, code_ids) if code_ids else {}
    return {code_id: counts.get(code_id, 0) for code_id in code_ids}


@use_case(WRITER, "group codes")
def group(project: Project, level: Level | str, label: str, members: list[str]) -> CodeInfo:
    """Group codes under a concept, category or main category (made if no code of that label exists)."""
    level = parse_level(level) if isinstance(level, str) else level
    if level not in GROUPABLE:
        raise GtcodeError(f"cannot group into a {level.value}: group into concept, category or main")
    if not members:
        raise GtcodeError(f"name the codes to group into the {level.value} {label!r}")
    child_level = next(lvl for lvl, parent in _CHILD_OF.items() if parent == level)
    prefixes = project.prefixes
    with project.write() as session:
        recorder = ChangeRecorder(session, f"group into {level.value} {label}", project.coder)
        rows = []
        for member in members:
            row = resolve_code(session, prefixes, member)
            if row.level != child_level.value:
                ref = prefixes.ref(Level(row.level), row.number)
                raise GtcodeError(f"{ref} ({row.label}) is a {row.level}: a {level.value} groups {child_level.value} codes")
            rows.append(row)
        parent = find_or_create(session, recorder, level, label)
        for row in rows:
            recorder.touch(row)
            row.parent_id = parent.id
            _bump(row, None, prefixes)
            session.add(row)
        recorder.save()
        return code_info(session, parent, prefixes, project.coder)


_CHILD_OF = {Level.PHENOMENON: Level.CONCEPT, Level.CONCEPT: Level.CATEGORY, Level.CATEGORY: Level.MAIN}


@use_case(WRITER, "rename codes")
def rename(project: Project, ref: str, label: str, expected_version: int | None = None) -> CodeInfo:
    """Give a code a new label; it keeps its number."""
    prefixes = project.prefixes
    label = label.strip()
    if not label:
        raise GtcodeError("a code label cannot be empty: type a few words that name the idea")
    with project.write() as session:
        row = resolve_code(session, prefixes, ref)
        other = find_label(session, Level(row.level), label)
        if other is not None and other.id != row.id:
            raise Conflict(f"{prefixes.ref(Level(other.level), other.number)} is labelled {label!r} already: merge instead")
        recorder = ChangeRecorder(session, f"rename {prefixes.ref(Level(row.level), row.number)} to {label}", project.coder)
        recorder.touch(row)
        _bump(row, expected_version, prefixes)
        row.label = label
        session.add(row)
        recorder.save()
        return code_info(session, row, prefixes, project.coder)


@use_case(WRITER, "describe codes")
def describe(project: Project, ref: str, definition: str | None = None, colour: str | None = None,
             when_to_use: str | None = None, when_not_to_use: str | None = None, examples: tuple[int, ...] = (),
             atypical: tuple[int, ...] = (), drop_examples: tuple[int, ...] = ()) -> CodeInfo:
    """Set a code's definition, colour (``#RRGGBB``) and codebook entry: when to use it, when not, and codings
    that are typical or atypical examples (MacQueen et al. 1998)."""
    import re

    from gtcode.services.entries import drop_examples_of, set_examples_in

    prefixes = project.prefixes
    if colour is not None and not re.fullmatch(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}", colour):
        raise GtcodeError(f"colour {colour!r} is not #RRGGBB: write e.g. #1f77b4")
    with project.write() as session:
        row = resolve_code(session, prefixes, ref)
        recorder = ChangeRecorder(session, f"describe {prefixes.ref(Level(row.level), row.number)}", project.coder)
        recorder.touch(row)
        if definition is not None:
            row.definition = definition
        if colour is not None:
            row.colour = colour.lower()
        if when_to_use is not None:
            row.when_to_use = when_to_use
        if when_not_to_use is not None:
            row.when_not_to_use = when_not_to_use
        set_examples_in(session, project, recorder, row, list(examples), "typical")
        set_examples_in(session, project, recorder, row, list(atypical), "atypical")
        drop_examples_of(session, recorder, code_id=row.id, coding_ids=list(drop_examples))
        _bump(row, None, prefixes)
        session.add(row)
        recorder.save()
        return code_info(session, row, prefixes, project.coder)


@use_case(WRITER, "move codes")
def move(project: Project, ref: str, parent_ref: str | None, expected_version: int | None = None) -> CodeInfo:
    """Put a code under another parent of the level above (or none)."""
    prefixes = project.prefixes
    with project.write() as session:
        row = resolve_code(session, prefixes, ref)
        parent = None
        if parent_ref and parent_ref.lower() != "none":
            parent = resolve_code(session, prefixes, parent_ref)
            _check_parent(Level(row.level), parent)
        recorder = ChangeRecorder(session, f"move {prefixes.ref(Level(row.level), row.number)}", project.coder)
        recorder.touch(row)
        _bump(row, expected_version, prefixes)
        row.parent_id = parent.id if parent else None
        session.add(row)
        recorder.save()
        return code_info(session, row, prefixes, project.coder)


@use_case(WRITER, "merge codes")
def merge(project: Project, ref: str, into_ref: str, expected_version: int | None = None) -> CodeInfo:
    """Merge a code into another of its level: codings, children and uses move over, the code goes."""
    from gtcode.services.selective import settle_relationships

    prefixes = project.prefixes
    with project.write() as session:
        row = resolve_code(session, prefixes, ref)
        into = resolve_code(session, prefixes, into_ref)
        if row.id == into.id:
            raise GtcodeError(f"cannot merge {ref} into itself: name two different codes")
        if row.level != into.level:
            raise GtcodeError(f"{ref} is a {row.level} and {into_ref} a {into.level}: merge codes of one level")
        _bump(row, expected_version, prefixes)
        label = f"merge {prefixes.ref(Level(row.level), row.number)} into {prefixes.ref(Level(into.level), into.number)}"
        recorder = ChangeRecorder(session, label, project.coder)
        _reassign(session, recorder, row.id, into.id)
        settle_relationships(session, recorder, prefixes, into.id)
        recorder.touch(into)
        _bump(into, None, prefixes)
        session.add(into)
        recorder.touch(row)
        session.delete(row)
        recorder.save()
        return code_info(session, into, prefixes, project.coder)


def _reassign(session: Session, recorder: ChangeRecorder, old: int, new: int | None) -> None:
    """Point every coding, child, paradigm entry and relationship at ``new`` instead of ``old``."""
    moves = ((CodingRow, "code_id"), (CodeRow, "parent_id"), (RelationshipRow, "source_id"),
             (RelationshipRow, "target_code_id"))
    if new is None:  # a merge moves them in _move_paradigm
        moves += ((ParadigmEntryRow, "category_id"), (ParadigmEntryRow, "main_id"), (SlotEvidenceRow, "main_id"))
    from gtcode.services.coding import duplicate_of, fold_coding, remove_coding
    from gtcode.services.entries import drop_examples_of
    from gtcode.services.memos import carry_memos
    from gtcode.services.properties import drop_properties

    if new is None:  # its codings go through remove_coding (their values and examples with them)
        drop_examples_of(session, recorder, code_id=old)
    else:
        _move_examples(session, recorder, old, new)
        _move_paradigm(session, recorder, old, new)
    _move_properties(session, recorder, old, new, drop_properties)
    carry_memos(session, recorder, "code", [old], new)
    for model, column in moves:
        for item in session.exec(select(model).where(getattr(model, column) == old)).all():
            twin = duplicate_of(session, item.document_id, new, item.start, item.end, item.coder) \
                if model is CodingRow and new is not None else None
            if twin is not None:  # the coder coded this span with both codes: one coding of the merged code
                fold_coding(session, recorder, item, twin)
                continue
            if model is CodingRow and new is None:
                remove_coding(session, recorder, item)
                continue
            recorder.touch(item)
            if new is None and column != "parent_id":
                session.delete(item)
            else:
                setattr(item, column, new)
                session.add(item)
    session.flush()


def _move_examples(session: Session, recorder: ChangeRecorder, old: int, new: int) -> None:
    """A merged code's examples become the examples of the code it is merged into (once each)."""
    recorder.repoint(CodeExampleRow, "code_id", old, new, ("coding_id",))
    session.flush()


def _move_paradigm(session: Session, recorder: ChangeRecorder, old: int, new: int) -> None:
    """A merged code's places in paradigms go to the code it is merged into, once each: a category in a slot both
    were in, a main category's slot evidence both had; two sentences of one slot become one (both, in order)."""
    sentences = {entry.slot: entry for entry in session.exec(select(ParadigmEntryRow).where(
        ParadigmEntryRow.main_id == new, ParadigmEntryRow.category_id.is_(None))).all()}
    for entry in session.exec(select(ParadigmEntryRow).where(
            ParadigmEntryRow.main_id == old, ParadigmEntryRow.category_id.is_(None))).all():
        kept = sentences.get(entry.slot)
        if kept is not None and entry.text and entry.text != kept.text:
            recorder.touch(kept)
            kept.text = "\n".join(text for text in (kept.text, entry.text) if text)
            session.add(kept)
    recorder.repoint(ParadigmEntryRow, "main_id", old, new, ("slot", "category_id"))
    recorder.repoint(ParadigmEntryRow, "category_id", old, new, ("main_id", "slot"))
    recorder.repoint(SlotEvidenceRow, "main_id", old, new, ("slot", "coding_id"))
    session.flush()


def _move_properties(session: Session, recorder: ChangeRecorder, old: int, new: int | None, drop) -> None:
    """A removed code's properties go with it; a merged one's move to the code it is merged into."""
    props = list(session.exec(select(PropertyRow).where(PropertyRow.code_id == old)).all())
    if new is None:
        drop(session, recorder, props)
        return
    taken = set(session.exec(select(PropertyRow.name).where(PropertyRow.code_id == new)).all())
    for prop in props:
        if prop.name in taken:
            raise GtcodeError(f"both codes have a property {prop.name!r}: remove or rename one before merging, "
                              f"{run('property.remove')}")
        recorder.touch(prop)
        prop.code_id = new
        session.add(prop)
    session.flush()


@use_case(WRITER, "delete codes")
def delete_code(project: Project, ref: str) -> CodeInfo:
    """Delete a code: its codings and uses go, its children stay ungrouped; its number is not reused."""
    prefixes = project.prefixes
    with project.write() as session:
        row = resolve_code(session, prefixes, ref)
        check_code_removal(session, row.id)
        info = code_info(session, row, prefixes, project.coder)
        used = session.exec(select(RelationshipRow).where(
            (RelationshipRow.source_id == row.id) | (RelationshipRow.target_code_id == row.id))).first()
        if used is not None:
            raise Forbidden(f"{info.ref} is part of relationship R{used.number}: remove the relationship first")
        recorder = ChangeRecorder(session, f"delete {info.ref} {row.label}", project.coder)
        _reassign(session, recorder, row.id, None)
        recorder.touch(row)
        session.delete(row)
        recorder.save()
        return info


@use_case(WRITER, "split codes")
def split(project: Project, ref: str, label: str, items: list[str]) -> CodeInfo:
    """Split a code: a new code of its level takes the given codings (phenomena) or children (higher levels)."""
    prefixes = project.prefixes
    if not items:
        raise GtcodeError("name what moves to the new code: coding ids for a phenomenon, child codes otherwise")
    with project.write() as session:
        row = resolve_code(session, prefixes, ref)
        level = Level(row.level)
        parent = session.get(CodeRow, row.parent_id) if row.parent_id else None
        recorder = ChangeRecorder(session, f"split {prefixes.ref(level, row.number)} into {label}", project.coder)
        new = create_code(session, recorder, level, label, parent=parent)
        for item in items:
            if level == Level.PHENOMENON:
                coding = session.get(CodingRow, number) if (number := parse_number(item)) is not None else None
                if coding is None or coding.code_id != row.id:
                    raise GtcodeError(f"coding {item} is not a coding of {ref}: list them {where('quotes', ref)}")
                recorder.touch(coding)
                coding.code_id = new.id
                session.add(coding)
            else:
                child = resolve_code(session, prefixes, item)
                if child.parent_id != row.id:
                    raise GtcodeError(f"{item} is not under {ref}: split moves the code's own children")
                recorder.touch(child)
                child.parent_id = new.id
                session.add(child)
        recorder.touch(row)
        _bump(row, None, prefixes)
        session.add(row)
        recorder.save()
        return code_info(session, new, prefixes, project.coder)


@use_case(WRITER, "undo changes")
def undo(project: Project) -> str:
    """Undo the newest change to the code system."""
    from gtcode.services import changes

    with project.write() as session:
        return changes.undo(session)


@use_case(WRITER, "redo changes")
def redo(project: Project) -> str:
    """Redo the change undone last."""
    from gtcode.services import changes

    with project.write() as session:
        return changes.redo(session)
