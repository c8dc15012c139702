"""A project's theory as a :class:`ModelSnapshot`: codes, paradigms, relationships, core, story line, outcome."""

from __future__ import annotations

from sqlmodel import select

from gtcode.domain.levels import RELATIONSHIP_PREFIX, Level
from gtcode.domain.model import CodeSpec, ModelSnapshot, ParadigmSpec, RelationshipSpec, RelationTypeSpec, SlotSpec
from gtcode.domain.paradigm import Slot
from gtcode.services.axial import ref_of
from gtcode.services.project import Project, project_row
from gtcode.services.entries import examples_by_code
from gtcode.services.memos import memo_texts
from gtcode.store.tables import CodeRow, MemoRow, ParadigmEntryRow, RelationshipRow, RelationTypeRow, SlotEvidenceRow


def evidence_counts(session, coder: str, model=None) -> dict[tuple, int]:
    """(relationship id, stance) -> how many codings the coder may see back or contradict it; with ``model``
    SlotEvidenceRow, (main id, slot, stance) -> the same for paradigm slots."""
    from sqlalchemy import func

    from gtcode.services.blinding import visible_codings
    from gtcode.store.tables import CodingRow, EvidenceRow

    model = model or EvidenceRow
    keys = (model.relationship_id,) if model is EvidenceRow else (model.main_id, model.slot)
    query = visible_codings(session, coder, *keys, model.stance, func.count(func.distinct(CodingRow.id))) \
        .select_from(CodingRow).join(model, model.coding_id == CodingRow.id).group_by(*keys, model.stance)
    return {tuple(found[:-1]): found[-1] for found in session.exec(query).all()}


def snapshot(project: Project) -> ModelSnapshot:
    """Everything of the project's theory that is not the corpus, as plain data."""
    prefixes = project.prefixes
    with project.read() as session:
        settings = project_row(session)
        codes = session.exec(select(CodeRow)).all()
        by_id = {row.id: row for row in codes}
        refs = {row.id: ref_of(prefixes, row) for row in codes}
        memos = memo_texts(session, "code")
        examples = examples_by_code(session, project.coder)
        specs = tuple(
            CodeSpec(ref=refs[row.id], level=Level(row.level), label=row.label, definition=row.definition,
                     colour=row.colour, parent=refs.get(row.parent_id), memo=memos.get(row.id, ""),
                     when_to_use=row.when_to_use, when_not_to_use=row.when_not_to_use, in_vivo=bool(row.in_vivo),
                     examples=tuple(e.quote for e in examples.get(row.id, []) if e.kind == "typical"),
                     atypical_examples=tuple(e.quote for e in examples.get(row.id, []) if e.kind == "atypical"))
            for row in sorted(codes, key=lambda r: (Level(r.level).rank, r.number))
        )
        entries = session.exec(select(ParadigmEntryRow).order_by(ParadigmEntryRow.position, ParadigmEntryRow.id)).all()
        weighed = evidence_counts(session, project.coder, SlotEvidenceRow)
        paradigms = []
        for main in sorted({e.main_id for e in entries} | {key[0] for key in weighed}, key=lambda i: by_id[i].number):
            slots = []
            for slot in Slot:
                mine = [e for e in entries if e.main_id == main and e.slot == slot.value]
                categories = tuple(refs[e.category_id] for e in mine if e.category_id in refs)
                text = next((e.text for e in mine if e.category_id is None and e.text), "")
                supporting, contradicting = (weighed.get((main, slot.value, stance), 0)
                                             for stance in ("supporting", "contradicting"))
                if categories or text or supporting or contradicting:
                    slots.append(SlotSpec(slot, categories, text, supporting, contradicting))
            paradigms.append(ParadigmSpec(refs[main], tuple(slots)))
        rows = session.exec(select(RelationshipRow).order_by(RelationshipRow.number)).all()
        numbers = {row.id: row.number for row in rows}
        notes = memo_texts(session, "relationship")
        counts = evidence_counts(session, project.coder)
        relationships = tuple(
            RelationshipSpec(
                ref=f"{RELATIONSHIP_PREFIX}{row.number}", source=refs[row.source_id], type=row.type,
                target=(f"{RELATIONSHIP_PREFIX}{numbers[row.target_relationship_id]}"
                        if row.target_relationship_id else refs[row.target_code_id]),
                memo=row.memo or notes.get(row.id, ""),
                supporting=counts.get((row.id, "supporting"), 0), contradicting=counts.get((row.id, "contradicting"), 0),
            )
            for row in rows
        )
        types = tuple(RelationTypeSpec(t.name, t.description)
                      for t in session.exec(select(RelationTypeRow).order_by(RelationTypeRow.name)))
        story = session.exec(select(MemoRow).where(MemoRow.target_kind == "storyline")).first()
        return ModelSnapshot(
            name=settings.name, description=settings.description, citation=settings.citation,
            prefixes=prefixes.as_mapping(), codes=specs, paradigms=tuple(paradigms), relationships=relationships,
            relation_types=types, core=refs.get(settings.core_code_id), storyline=story.text if story else "",
            outcome=refs.get(settings.outcome_code_id),
        )
