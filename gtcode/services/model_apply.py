"""Apply a :class:`ModelSnapshot` to a project: start a project from it, or merge it into one.

``new`` needs a project without codes and takes everything over as it is (refs, numbers,
prefixes, name, citation). ``merge`` adds what is missing and fills empty fields; where the
project already says something else (same ref with another label, same label under another
parent, another definition, colour, memo, core, outcome or story line) it keeps its own and
reports a conflict. Either way the import is one unit of work: an error rejects all of it.

Matching in ``merge``: a code of the snapshot is the project's code of its level with the same
label (whatever its number); else the code with its ref when that is free, else a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from gtcode.domain.levels import RELATIONSHIP_PREFIX, Level, Prefixes, parse_number
from gtcode.domain.model import CodeSpec, ModelSnapshot, RelationshipSpec
from gtcode.domain.relations import BUILTIN_TYPES, canonical_type
from gtcode.services.axial import ref_of
from gtcode.services.changes import ChangeRecorder
from gtcode.services.codes import NewCode, allocate_number, create_codes
from gtcode.services.errors import Conflict, GtcodeError, run
from gtcode.services.memos import memo_texts, set_memo_in
from gtcode.services.project import Project, project_row
from gtcode.services.roles import WRITER, Role, require, use_case
from gtcode.store.tables import CodeRow, ParadigmEntryRow, RelationshipRow, RelationTypeRow

MODES = ("new", "merge")
_TOP_DOWN = sorted(Level, key=lambda level: -level.rank)
_BUILTIN = frozenset(t.name for t in BUILTIN_TYPES)


@dataclass(frozen=True)
class ApplyReport:
    """What an import did: refs created, refs matched to existing codes, conflicts left alone."""

    mode: str
    created: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    refs: dict[str, str] = field(default_factory=dict)  # snapshot ref -> project ref
    dry_run: bool = False


@dataclass
class Applied:
    """The mutable result of applying inside a unit of work."""

    mode: str
    codes: dict[str, CodeRow] = field(default_factory=dict)  # snapshot ref -> project row
    relationships: dict[str, RelationshipRow] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self, prefixes: Prefixes, dry_run: bool = False) -> ApplyReport:
        refs = {ref: ref_of(prefixes, row) for ref, row in self.codes.items()}
        refs |= {ref: f"{RELATIONSHIP_PREFIX}{row.number}" for ref, row in self.relationships.items()}
        return ApplyReport(self.mode, tuple(self.created), tuple(self.matched), tuple(self.conflicts),
                           tuple(self.notes), refs, dry_run)


class _DryRun(Exception):
    """Raised to roll a trial import back."""


@use_case(WRITER, "import a model")
def apply_snapshot(project: Project, snapshot: ModelSnapshot, mode: str = "new", *, dry_run: bool = False,
                   keep_name: bool = False) -> ApplyReport:
    """Apply ``snapshot`` in ``new`` or ``merge`` mode as one transaction; ``dry_run`` only reports."""
    report = None
    try:
        with project.write() as session:
            report = apply_snapshot_in(session, project.coder, snapshot, mode, keep_name=keep_name, dry_run=dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    project.forget_cached()
    return report


def apply_snapshot_in(session: Session, coder: str, snapshot: ModelSnapshot, mode: str = "new", *,
                      keep_name: bool = False, dry_run: bool = False) -> ApplyReport:
    """``apply_snapshot`` inside an open unit of work, recorded as one change for undo."""
    recorder = ChangeRecorder(session, f"import model {snapshot.name or ''}".strip(), coder)
    applied = apply_in(session, recorder, snapshot, mode, keep_name=keep_name)
    recorder.save()
    session.flush()
    return applied.report(Prefixes.from_mapping(project_row(session).prefixes), dry_run)


def apply_in(session: Session, recorder: ChangeRecorder, snapshot: ModelSnapshot, mode: str,
             keep_name: bool = False) -> Applied:
    """Apply inside an open unit of work (also used by REFI-QDA import)."""
    if mode not in MODES:
        raise GtcodeError(f"import mode {mode!r}: use new or merge")
    source_prefixes = _prefixes(snapshot)
    levels = _check_refs(snapshot, source_prefixes)
    settings = project_row(session)
    if mode == "new":
        if session.exec(select(CodeRow.id)).first() is not None:
            raise Conflict(f"the project has codes already: merge into them instead, {run('import-codebook')}")
        require(session, Role.OWNER, "replace the project's settings (name, prefixes) by an import")
        recorder.touch(settings)
        settings.prefixes = source_prefixes.as_mapping()
        if snapshot.name and not keep_name:
            settings.name = snapshot.name
        settings.description, settings.citation = snapshot.description, snapshot.citation
        session.add(settings)
    applied = Applied(mode)
    _Applier(session, recorder, applied, levels).run(snapshot)
    return applied


def _prefixes(snapshot: ModelSnapshot) -> Prefixes:
    try:
        return Prefixes.from_mapping(snapshot.prefixes)
    except GtcodeError as error:
        raise GtcodeError(f"the model's prefixes: {error}") from None


def _check_refs(snapshot: ModelSnapshot, prefixes: Prefixes) -> dict[str, tuple[Level, int]]:
    """Level and number of each code ref; a ref that does not fit its level rejects the import."""
    levels: dict[str, tuple[Level, int]] = {}
    for spec in snapshot.codes:
        parsed = prefixes.parse_ref(spec.ref)
        if parsed is None or parsed[0] != spec.level:
            raise GtcodeError(f"code {spec.ref!r} ({spec.label}) is not a {spec.level.value} ref with the model's "
                              "prefixes: fix the ref or the prefixes")
        if spec.ref in levels:
            raise GtcodeError(f"code ref {spec.ref} is used twice in the model: give each code its own ref")
        levels[spec.ref] = parsed
    for spec in snapshot.codes:
        if spec.parent is not None and spec.parent not in levels:
            raise GtcodeError(f"code {spec.ref} has parent {spec.parent}, which the model does not define")
    return levels


class _Applier:
    def __init__(self, session: Session, recorder: ChangeRecorder, applied: Applied,
                 levels: dict[str, tuple[Level, int]]) -> None:
        self.session, self.recorder, self.applied, self.levels = session, recorder, applied, levels
        self.merge = applied.mode == "merge"
        self.prefixes = Prefixes.from_mapping(project_row(session).prefixes)
        self.skipped: set[str] = set()

    def conflict(self, message: str) -> None:
        self.applied.conflicts.append(message)

    def here(self, row: CodeRow) -> str:
        return ref_of(self.prefixes, row)

    def run(self, snapshot: ModelSnapshot) -> None:
        for level in _TOP_DOWN:  # parents first: a level's parents have ids when it is created
            self.codes(level, sorted(snapshot.codes_at(level), key=lambda s: self.levels[s.ref][1]))
        self.session.flush()
        self.relation_types(snapshot)
        self.relationships(snapshot)
        self.paradigms(snapshot)
        self.pointers(snapshot)

    # --- codes ---------------------------------------------------------------------------

    def codes(self, level: Level, specs: list[CodeSpec]) -> None:
        """A level's codes: each matched by label, else refused when its number is another label's, else made;
        the level's labels and numbers read once, the new codes created together (``codes.create_codes``)."""
        if not specs:
            return
        existing = self.session.exec(select(CodeRow).where(CodeRow.level == level.value)).all()
        by_label = {row.label.strip().lower(): row for row in existing}
        by_number = {row.number: row for row in existing}
        made: dict[str, CodeSpec] = {}  # new labels (lower case) -> the first spec that makes them
        pending: list[tuple[CodeSpec, str]] = []  # a spec whose label another spec of the import makes first
        for spec in specs:
            number = self.levels[spec.ref][1]
            parent = None
            if spec.parent is not None:
                parent = self.applied.codes.get(spec.parent)
                if parent is None:
                    self.conflict(f"{spec.ref} {spec.label}: its parent {spec.parent} was not imported, left ungrouped")
            key = spec.label.strip().lower()
            if key in made:
                pending.append((spec, key))
            elif key in by_label:
                self.match(spec, by_label[key], parent)
            elif number in by_number:
                self.conflict(f"{spec.ref} is {by_number[number].label!r} here, not {spec.label!r}: not imported")
            else:
                made[key] = spec
                by_number[number] = spec  # type: ignore[assignment]  # taken now: a later spec conflicts
        new = list(made.values())
        rows = create_codes(self.session, self.recorder, level, [NewCode(
            spec.label, self.applied.codes.get(spec.parent) if spec.parent else None, self.levels[spec.ref][1],
            spec.definition, spec.colour, spec.when_to_use, spec.when_not_to_use, spec.in_vivo) for spec in new])
        for spec, row in zip(new, rows):
            self.applied.codes[spec.ref] = row
            self.applied.created.append(self.here(row))
            if spec.memo:
                self.recorder.created(set_memo_in(self.session, "code", row.id, spec.memo, self.recorder.coder))
        for spec, key in pending:
            self.match(spec, self.applied.codes[made[key].ref],
                       self.applied.codes.get(spec.parent) if spec.parent else None)

    def match(self, spec: CodeSpec, row: CodeRow, parent: CodeRow | None) -> None:
        self.applied.codes[spec.ref] = row
        here = self.here(row)
        self.applied.matched.append(here)
        if here != spec.ref:
            self.applied.notes.append(f"{spec.ref} {spec.label!r} is {here} here")
        changes = {}
        if parent is not None and row.parent_id != parent.id:
            if row.parent_id is None:
                changes["parent_id"] = parent.id
            else:
                now = self.session.get(CodeRow, row.parent_id)
                self.conflict(f"{here} {row.label!r} is under {self.here(now)} here, not under {spec.parent}: kept")
        for name, value in (("definition", spec.definition), ("colour", spec.colour), ("when_to_use", spec.when_to_use),
                            ("when_not_to_use", spec.when_not_to_use)):
            current = getattr(row, name)
            if value and not current:
                changes[name] = value
            elif value and current.strip().lower() != value.strip().lower():
                self.conflict(f"{here} {row.label!r} has another {name} here: kept")
        if changes:
            self.recorder.touch(row)
            for name, value in changes.items():
                setattr(row, name, value)
            row.version += 1
            self.session.add(row)
        if spec.memo:
            self.memo("code", row.id, spec.memo, f"{here} {row.label!r}")

    def memo(self, kind: str, target_id: int | None, text: str, what: str) -> None:
        existing = memo_texts(self.session, kind, target_id).get(target_id)
        if existing is None:
            self.recorder.created(set_memo_in(self.session, kind, target_id, text, self.recorder.coder))
        elif existing.strip() != text.strip():
            self.conflict(f"{what} has another memo here: kept")

    # --- relation types and relationships ------------------------------------------------

    def relation_types(self, snapshot: ModelSnapshot) -> None:
        for spec in snapshot.relation_types:
            name = canonical_type(spec.name)
            if name in _BUILTIN:
                continue
            row = self.session.get(RelationTypeRow, name)
            if row is None:
                row = RelationTypeRow(name=name, description=spec.description)
                self.session.add(row)
                self.recorder.created(row)
                self.applied.created.append(f"relation type {name}")
            elif row.description.strip() != spec.description.strip():
                self.conflict(f"relation type {name} is described otherwise here: kept")

    def relationships(self, snapshot: ModelSnapshot) -> None:
        pending = list(snapshot.relationships)
        known = {spec.ref for spec in pending}
        while pending:
            ready = [s for s in pending if s.target not in known or s.target in self.applied.relationships
                     or s.target in self.skipped]
            if not ready:
                raise GtcodeError(f"relationships {', '.join(s.ref for s in pending)} act on each other in a circle")
            for spec in ready:
                self.relationship(spec)
                pending.remove(spec)

    def relationship(self, spec: RelationshipSpec) -> None:
        kind = canonical_type(spec.type)
        if kind not in _BUILTIN and self.session.get(RelationTypeRow, kind) is None:
            raise GtcodeError(f"relationship {spec.ref} has type {spec.type!r}, which the model does not define")
        source = self.applied.codes.get(spec.source)
        target_rel = self.applied.relationships.get(spec.target)
        target_code = self.applied.codes.get(spec.target)
        if source is None or (target_rel is None and target_code is None):
            self.skipped.add(spec.ref)
            self.conflict(f"{spec.ref}: {spec.source} or {spec.target} was not imported, relationship left out")
            return
        query = select(RelationshipRow).where(
            RelationshipRow.source_id == source.id, RelationshipRow.type == kind,
            RelationshipRow.target_code_id == (target_code.id if target_code else None),
            RelationshipRow.target_relationship_id == (target_rel.id if target_rel else None))
        existing = self.session.exec(query).first()
        if existing is not None:
            self.applied.relationships[spec.ref] = existing
            self.applied.matched.append(f"{RELATIONSHIP_PREFIX}{existing.number}")
            if spec.memo and not existing.memo:
                self.recorder.touch(existing)
                existing.memo = spec.memo
                self.session.add(existing)
            elif spec.memo and existing.memo.strip() != spec.memo.strip():
                self.conflict(f"R{existing.number} has another memo here: kept")
            return
        number = self.relationship_number(spec)
        row = RelationshipRow(number=number, source_id=source.id, type=kind,
                              target_code_id=target_code.id if target_code else None,
                              target_relationship_id=target_rel.id if target_rel else None, memo=spec.memo)
        self.session.add(row)
        self.recorder.created(row)
        self.applied.relationships[spec.ref] = row
        self.applied.created.append(f"{RELATIONSHIP_PREFIX}{number}")

    def relationship_number(self, spec: RelationshipSpec) -> int:
        """The spec's own number when no relationship ever had it, else the next one."""
        highest = max(self.session.exec(select(RelationshipRow.number)).all(), default=0)
        wanted = parse_number(spec.ref[len(RELATIONSHIP_PREFIX):])
        number = allocate_number(self.session, "relationship", highest, wanted)
        if number != wanted:
            self.applied.notes.append(f"{spec.ref} is R{number} here")
        return number

    # --- paradigms, core, outcome, story line --------------------------------------------

    def paradigms(self, snapshot: ModelSnapshot) -> None:
        for paradigm in snapshot.paradigms:
            main = self.applied.codes.get(paradigm.main)
            if main is None:
                self.conflict(f"paradigm of {paradigm.main}: the main category was not imported, left out")
                continue
            for spec in paradigm.slots:
                entries = self.session.exec(select(ParadigmEntryRow).where(
                    ParadigmEntryRow.main_id == main.id, ParadigmEntryRow.slot == spec.slot.value)).all()
                position = max((e.position for e in entries), default=-1) + 1
                present = {e.category_id for e in entries}
                for ref in spec.categories:
                    category = self.applied.codes.get(ref)
                    if category is None:
                        self.conflict(f"paradigm of {paradigm.main}, {spec.slot.value}: {ref} was not imported")
                        continue
                    if category.id in present:
                        continue
                    self.entry(ParadigmEntryRow(main_id=main.id, slot=spec.slot.value, category_id=category.id,
                                                position=position))
                    present.add(category.id)
                    position += 1
                if spec.text:
                    text_entry = next((e for e in entries if e.category_id is None and e.text), None)
                    if text_entry is None:
                        self.entry(ParadigmEntryRow(main_id=main.id, slot=spec.slot.value, text=spec.text,
                                                    position=position))
                    elif text_entry.text.strip() != spec.text.strip():
                        self.conflict(f"paradigm of {self.here(main)}, {spec.slot.value}: another sentence here, kept")

    def entry(self, row: ParadigmEntryRow) -> None:
        self.session.add(row)
        self.recorder.created(row)

    def pointers(self, snapshot: ModelSnapshot) -> None:
        settings = project_row(self.session)
        for column, ref in (("core_code_id", snapshot.core), ("outcome_code_id", snapshot.outcome)):
            row = self.applied.codes.get(ref) if ref else None
            if row is None:
                continue
            current = getattr(settings, column)
            if current is None:
                self.recorder.touch(settings)
                setattr(settings, column, row.id)
                self.session.add(settings)
            elif current != row.id:
                self.conflict(f"the project has another {column.split('_')[0]} category: {ref} not set")
        if snapshot.citation and not settings.citation:
            self.recorder.touch(settings)
            settings.citation = snapshot.citation
            self.session.add(settings)
        if snapshot.storyline:
            self.memo("storyline", None, snapshot.storyline, "the story line")
