"""Selective coding: the core category, the story line, the outcome and typed relationships.

A relationship goes from a code to a code or to another relationship (``R1``), which is how a
main category safeguards, regulates or supports the effect of another. Relationship numbers are
never reused, like code numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from gtcode.domain.levels import RELATIONSHIP_PREFIX, Level, Prefixes, parse_number
from gtcode.domain.records import CodeInfo
from gtcode.domain.relations import BUILTIN_TYPES, TYPE_ALIASES, RelationType, canonical_type
from gtcode.services.axial import ref_of
from gtcode.services.changes import ChangeRecorder
from gtcode.services.codes import allocate_number, code_info, create_code, find_label, resolve_code
from gtcode.services.errors import Conflict, Forbidden, GtcodeError, NotFound, run, where
from gtcode.services.memos import carry_memos, set_memo_in
from gtcode.services.project import Project, project_row
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import CodeRow, CodingRow, EvidenceRow, MemoRow, RelationshipRow, RelationTypeRow

NEXT_KEY = "relationship"


@dataclass(frozen=True)
class RelationshipInfo:
    ref: str
    source_ref: str
    source_label: str
    type: str
    target_ref: str
    target_label: str  # a code's label, or "Source → Target" of the relationship acted on
    memo: str = ""
    evidence: tuple[int, ...] = ()  # supporting codings
    contradicting: tuple[int, ...] = ()  # negative cases: codings that speak against it

    @property
    def acts_on_relationship(self) -> bool:
        return is_relationship_ref(self.target_ref)


def is_relationship_ref(text: str) -> bool:
    text = text.strip()
    return text[:1] == RELATIONSHIP_PREFIX and parse_number(text[1:]) is not None


def resolve_relationship(session: Session, ref: str) -> RelationshipRow:
    row = None
    if is_relationship_ref(ref):
        row = session.exec(select(RelationshipRow).where(RelationshipRow.number == int(ref.strip()[1:]))).first()
    if row is None:
        raise NotFound(f"no relationship {ref.strip()!r}: list them {where('relations')}")
    return row


# --- core, outcome, story line -------------------------------------------------------------


def _find_or_create(session: Session, recorder: ChangeRecorder, prefixes: Prefixes, level: Level, name: str) -> CodeRow:
    parsed = prefixes.parse_ref(name)
    if parsed is not None:
        row = resolve_code(session, prefixes, name)
        if row.level != level.value:
            raise GtcodeError(f"{name} ({row.label}) is a {row.level}: name a {level.value} or give a new label")
        return row
    return find_label(session, level, name) or create_code(session, recorder, level, name)


def _set_pointer(project: Project, level: Level, column: str, name: str, storyline: str | None = None) -> CodeInfo:
    prefixes = project.prefixes
    with project.write() as session:
        recorder = ChangeRecorder(session, f"{level.value} {name}", project.coder)
        row = _find_or_create(session, recorder, prefixes, level, name)
        settings = project_row(session)
        recorder.touch(settings)
        setattr(settings, column, row.id)
        session.add(settings)
        if storyline is not None:
            _write_storyline(session, recorder, storyline, project.coder)
        recorder.save()
        return code_info(session, row, prefixes, project.coder)


@use_case(WRITER, "name the core category")
def set_core(project: Project, name: str, storyline: str | None = None) -> CodeInfo:
    """Name the core category (an existing ``C`` code or a new one), optionally with the story line."""
    return _set_pointer(project, Level.CORE, "core_code_id", name, storyline)


@use_case(WRITER, "name the outcome")
def set_outcome(project: Project, name: str) -> CodeInfo:
    """Name the outcome node (the paper's "shared behavior"), an ``O`` code."""
    return _set_pointer(project, Level.OUTCOME, "outcome_code_id", name)


def _pointed(project: Project, column: str) -> CodeInfo | None:
    with project.read() as session:
        code_id = getattr(project_row(session), column)
        row = session.get(CodeRow, code_id) if code_id else None
        return code_info(session, row, project.prefixes, project.coder) if row else None


def core(project: Project) -> CodeInfo | None:
    return _pointed(project, "core_code_id")


def outcome(project: Project) -> CodeInfo | None:
    return _pointed(project, "outcome_code_id")


def _storyline_row(session: Session) -> MemoRow | None:
    return session.exec(select(MemoRow).where(MemoRow.target_kind == "storyline")).first()


def _write_storyline(session: Session, recorder: ChangeRecorder, text: str, coder: str) -> None:
    existing = _storyline_row(session)
    if existing is not None:
        recorder.touch(existing)
    memo = set_memo_in(session, "storyline", None, text.strip(), coder)
    if existing is None:
        recorder.created(memo)


@use_case(WRITER, "write the story line")
def set_storyline(project: Project, text: str) -> str:
    """Write the story line around the core category."""
    if not text.strip():
        raise GtcodeError("a story line cannot be empty: tell how the main categories tie to the core")
    with project.write() as session:
        recorder = ChangeRecorder(session, "story line", project.coder)
        _write_storyline(session, recorder, text, project.coder)
        recorder.save()
    return text.strip()


def storyline(project: Project) -> str:
    with project.read() as session:
        row = _storyline_row(session)
        return row.text if row else ""


# --- relation types --------------------------------------------------------------------------


def relation_types(project: Project) -> list[RelationType]:
    """The built-in types, then the project's own."""
    with project.read() as session:
        own = session.exec(select(RelationTypeRow).order_by(RelationTypeRow.name)).all()
    return list(BUILTIN_TYPES) + [RelationType(row.name, row.description) for row in own]


@use_case(WRITER, "define relation types")
def define_type(project: Project, name: str, description: str) -> RelationType:
    """Define (or describe anew) a relationship type of the project's own."""
    key = name.strip().lower()
    builtin = {t.name for t in BUILTIN_TYPES} | set(TYPE_ALIASES)
    if not key or any(ch.isspace() for ch in key):
        raise GtcodeError(f"relation type name {name!r}: use one word, e.g. hindering")
    if key in builtin:
        raise Conflict(f"{key!r} is a built-in relation type: choose another name")
    if not description.strip():
        raise GtcodeError(f"describe what the relation type {key!r} means")
    with project.write() as session:
        recorder = ChangeRecorder(session, f"relation type {key}", project.coder)
        row = session.get(RelationTypeRow, key)
        if row is None:
            row = RelationTypeRow(name=key, description=description.strip())
            session.add(row)
            recorder.created(row)
        else:
            recorder.touch(row)
            row.description = description.strip()
            session.add(row)
        recorder.save()
        return RelationType(row.name, row.description)


def _checked_type(session: Session, name: str) -> str:
    key = canonical_type(name)
    if key in {t.name for t in BUILTIN_TYPES} or session.get(RelationTypeRow, key) is not None:
        return key
    own = [row.name for row in session.exec(select(RelationTypeRow)).all()]
    choices = "|".join([t.name for t in BUILTIN_TYPES] + own)
    raise GtcodeError(f"unknown relation type {name!r}: use one of {choices}, or define it, {run('relation-type')}")


# --- relationships ---------------------------------------------------------------------------

MODEL_LEVELS = (Level.MAIN, Level.OUTCOME, Level.CORE)


def resolve_node(session: Session, prefixes: Prefixes, name: str) -> CodeRow:
    """A code by reference or label; a label several levels share means the main category (or outcome, core)."""
    if prefixes.parse_ref(name) is None:
        for level in MODEL_LEVELS:
            row = find_label(session, level, name)
            if row is not None:
                return row
    return resolve_code(session, prefixes, name)



def relationship_info(session: Session, prefixes: Prefixes, row: RelationshipRow) -> RelationshipInfo:
    source = session.get(CodeRow, row.source_id)
    if row.target_relationship_id is not None:
        target = session.get(RelationshipRow, row.target_relationship_id)
        inner = relationship_info(session, prefixes, target)
        target_ref, target_label = inner.ref, f"{inner.source_label} → {inner.target_label}"
    else:
        code = session.get(CodeRow, row.target_code_id)
        target_ref, target_label = ref_of(prefixes, code), code.label
    memo = row.memo
    if not memo:
        note = session.exec(select(MemoRow).where(MemoRow.target_kind == "relationship",
                                                  MemoRow.target_id == row.id)).first()
        memo = note.text if note else ""
    evidence = session.exec(select(EvidenceRow.coding_id, EvidenceRow.stance)
                            .where(EvidenceRow.relationship_id == row.id).order_by(EvidenceRow.coding_id)).all()
    return RelationshipInfo(f"{RELATIONSHIP_PREFIX}{row.number}", ref_of(prefixes, source), source.label, row.type,
                            target_ref, target_label, memo,
                            tuple(c for c, stance in evidence if stance != CONTRADICTING),
                            tuple(c for c, stance in evidence if stance == CONTRADICTING))


def _acted_on_chain(session: Session, row: RelationshipRow) -> set[int]:
    """Ids of the codes at either end of a relationship, following relationships it acts on."""
    codes = {row.source_id}
    while row.target_relationship_id is not None:
        row = session.get(RelationshipRow, row.target_relationship_id)
        codes.add(row.source_id)
    codes.add(row.target_code_id)
    return codes


def settle_relationships(session: Session, recorder: ChangeRecorder, prefixes: Prefixes, code_id: int) -> None:
    """After codes were merged into ``code_id``: refuse a relationship that now relates the code to itself or acts
    on one it belongs to; fold twins (one source, type and target) into the elder, with their evidence, memos and
    the relationships acting on them, so the model says each thing once."""
    ref = ref_of(prefixes, session.get(CodeRow, code_id))
    for row in session.exec(select(RelationshipRow).where(RelationshipRow.source_id == code_id)).all():
        acted_on = session.get(RelationshipRow, row.target_relationship_id) if row.target_relationship_id else None
        if row.target_code_id == code_id or (acted_on is not None and code_id in _acted_on_chain(session, acted_on)):
            raise GtcodeError(f"the merge would make R{row.number} relate {ref} to itself: remove R{row.number} "
                              f"first, {run('unrelate', f'R{row.number}')}")
    pending = list(session.exec(select(RelationshipRow).where(
        (RelationshipRow.source_id == code_id) | (RelationshipRow.target_code_id == code_id))).all())
    while pending:
        row = pending.pop()
        if session.get(RelationshipRow, row.id) is None:
            continue
        twins = session.exec(select(RelationshipRow).where(
            RelationshipRow.source_id == row.source_id, RelationshipRow.type == row.type,
            RelationshipRow.target_code_id == row.target_code_id,
            RelationshipRow.target_relationship_id == row.target_relationship_id)
            .order_by(RelationshipRow.number)).all()
        elder = twins[0]
        for twin in twins[1:]:
            pending += _fold_relationship(session, recorder, twin, elder)


def _fold_relationship(session: Session, recorder: ChangeRecorder, twin: RelationshipRow,
                       elder: RelationshipRow) -> list[RelationshipRow]:
    """Fold ``twin`` into ``elder``; returns the relationships that acted on it and now act on ``elder``."""
    recorder.repoint(EvidenceRow, "relationship_id", twin.id, elder.id, ("coding_id",))
    carry_memos(session, recorder, "relationship", [twin.id], elder.id)
    if twin.memo and twin.memo != elder.memo:
        recorder.touch(elder)
        elder.memo = "\n".join(text for text in (elder.memo, twin.memo) if text)
        session.add(elder)
    acting = list(session.exec(select(RelationshipRow).where(RelationshipRow.target_relationship_id == twin.id)))
    for row in acting:
        recorder.touch(row)
        row.target_relationship_id = elder.id
        session.add(row)
    session.flush()
    recorder.delete([twin])
    return acting


CONTRADICTING = "contradicting"


def _add_evidence(session: Session, recorder: ChangeRecorder, relationship: RelationshipRow,
                  codings: list[int | str], stance: str = "supporting") -> None:
    """Codings as supporting or contradicting evidence; a coding already evidence takes the new stance."""
    from gtcode.services.blinding import visible_codings
    from gtcode.services.roles import acting

    seen = visible_codings(session, acting(session).name)
    for item in codings:
        number = parse_number(item)
        coding = session.exec(seen.where(CodingRow.id == number)).first() if number is not None else None
        if coding is None:
            raise NotFound(f"no coding {item}: evidence is a coding id, list them {where('quotes')}")
        existing = session.exec(select(EvidenceRow).where(EvidenceRow.relationship_id == relationship.id,
                                                          EvidenceRow.coding_id == coding.id)).first()
        recorder.put(existing, EvidenceRow, dict(relationship_id=relationship.id, coding_id=coding.id), stance=stance)


@use_case(WRITER, "relate codes")
def relate(project: Project, source: str, type_name: str, target: str, memo: str = "",
           evidence: list[int | str] | tuple[int | str, ...] = (),
           contradicting: list[int | str] | tuple[int | str, ...] = ()) -> RelationshipInfo:
    """A new relationship from a code to a code or to a relationship; returns it with its ``R`` ref."""
    prefixes = project.prefixes
    with project.write() as session:
        source_row = resolve_node(session, prefixes, source)
        kind = _checked_type(session, type_name)
        target_code = target_rel = None
        if is_relationship_ref(target):
            target_rel = resolve_relationship(session, target)
            if source_row.id in _acted_on_chain(session, target_rel):
                raise GtcodeError(f"{ref_of(prefixes, source_row)} is already part of {target.strip()}: "
                                  "a relationship cannot act on one it belongs to")
        else:
            target_code = resolve_node(session, prefixes, target)
            if target_code.id == source_row.id:
                raise GtcodeError(f"{ref_of(prefixes, source_row)} cannot be related to itself: name another target")
        duplicate = session.exec(select(RelationshipRow).where(
            RelationshipRow.source_id == source_row.id, RelationshipRow.type == kind,
            RelationshipRow.target_code_id == (target_code.id if target_code else None),
            RelationshipRow.target_relationship_id == (target_rel.id if target_rel else None))).first()
        if duplicate is not None:
            raise Conflict(f"R{duplicate.number} already says this: edit it instead")
        recorder = ChangeRecorder(session, f"relate {source.strip()} {kind} {target.strip()}", project.coder)
        highest = max(session.exec(select(RelationshipRow.number)).all(), default=0)
        number = allocate_number(session, NEXT_KEY, highest)
        row = RelationshipRow(number=number, source_id=source_row.id, type=kind,
                              target_code_id=target_code.id if target_code else None,
                              target_relationship_id=target_rel.id if target_rel else None, memo=memo.strip())
        session.add(row)
        recorder.created(row)
        _add_evidence(session, recorder, row, list(evidence))
        _add_evidence(session, recorder, row, list(contradicting), CONTRADICTING)
        recorder.save()
        return relationship_info(session, prefixes, row)


@use_case(WRITER, "annotate relationships")
def annotate(project: Project, ref: str, memo: str | None = None,
             evidence: list[int | str] | tuple[int | str, ...] = (),
             drop_evidence: list[int | str] | tuple[int | str, ...] = (),
             contradicting: list[int | str] | tuple[int | str, ...] = ()) -> RelationshipInfo:
    """Change a relationship's memo and/or add supporting or contradicting evidence codings and drop them."""
    with project.write() as session:
        row = resolve_relationship(session, ref)
        recorder = ChangeRecorder(session, f"annotate R{row.number}", project.coder)
        if memo is not None:
            recorder.touch(row)
            row.memo = memo.strip()
            session.add(row)
        _add_evidence(session, recorder, row, list(evidence))
        _add_evidence(session, recorder, row, list(contradicting), CONTRADICTING)
        for item in drop_evidence:
            found = session.exec(select(EvidenceRow).where(EvidenceRow.relationship_id == row.id,
                                                           EvidenceRow.coding_id == parse_number(item))).first() \
                if parse_number(item) is not None else None
            if found is None:
                raise NotFound(f"coding {item} is not evidence of R{row.number}")
            recorder.touch(found)
            session.delete(found)
        recorder.save()
        session.flush()
        return relationship_info(session, project.prefixes, row)


def relations(project: Project) -> list[RelationshipInfo]:
    """Every relationship, in order of its number."""
    with project.read() as session:
        rows = session.exec(select(RelationshipRow).order_by(RelationshipRow.number)).all()
        return [relationship_info(session, project.prefixes, row) for row in rows]


@use_case(WRITER, "remove relationships")
def unrelate(project: Project, ref: str) -> RelationshipInfo:
    """Remove a relationship with its evidence and memo; refused while another acts on it."""
    with project.write() as session:
        row = resolve_relationship(session, ref)
        info = relationship_info(session, project.prefixes, row)
        acting = session.exec(select(RelationshipRow).where(RelationshipRow.target_relationship_id == row.id)).first()
        if acting is not None:
            raise Forbidden(f"R{acting.number} acts on {info.ref}: remove R{acting.number} first")
        recorder = ChangeRecorder(session, f"unrelate {info.ref}", project.coder)
        carry_memos(session, recorder, "relationship", [row.id], None)
        recorder.delete_where(EvidenceRow, "relationship_id", [row.id])
        recorder.delete([row])
        recorder.save()
        return info
