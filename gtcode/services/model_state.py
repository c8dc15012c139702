"""The project's theory now as a :class:`~gtcode.domain.model_diff.ModelState`, for the release snapshot and the diff."""

from __future__ import annotations

from sqlmodel import Session, select

from gtcode.domain.levels import RELATIONSHIP_PREFIX, Level
from gtcode.domain.model_diff import CodeState, ModelState, RelationshipState
from gtcode.services.blinding import visible_codings
from gtcode.services.project import Project, project_row
from gtcode.store.tables import CodeRow, CodingRow, MemoRow, ParadigmEntryRow, RelationshipRow


def coding_codes(session: Session, coder: str) -> dict[int, int]:
    """Each visible coding's id and the code (phenomenon) it belongs to."""
    return dict(session.exec(visible_codings(session, coder, CodingRow.id, CodingRow.code_id)).all())


def current_state(session: Session, project: Project, codings: dict[int, int] | None = None) -> ModelState:
    """Codes (with the codings each phenomenon holds), relationships, paradigm, core, outcome and story line."""
    codings = coding_codes(session, project.coder) if codings is None else codings
    held: dict[int, set[int]] = {}
    for coding_id, code_id in codings.items():
        held.setdefault(code_id, set()).add(coding_id)
    rows = sorted(session.exec(select(CodeRow)).all(), key=lambda r: (Level(r.level).rank, r.number))
    codes = {row.id: CodeState(row.id, project.prefixes.ref(Level(row.level), row.number), row.level, row.label,
                               row.parent_id, row.definition or "", frozenset(held.get(row.id, ())))
             for row in rows}
    relationships = {row.id: RelationshipState(row.id, f"{RELATIONSHIP_PREFIX}{row.number}", row.source_id, row.type,
                                               row.target_code_id, row.target_relationship_id)
                     for row in session.exec(select(RelationshipRow).order_by(RelationshipRow.number)).all()}
    paradigm: dict[tuple[int, str], tuple[list[int], str]] = {}
    for entry in session.exec(select(ParadigmEntryRow).order_by(ParadigmEntryRow.position, ParadigmEntryRow.id)):
        categories, text = paradigm.setdefault((entry.main_id, entry.slot), ([], ""))
        if entry.category_id is not None:
            categories.append(entry.category_id)
        elif entry.text and not text:
            paradigm[entry.main_id, entry.slot] = (categories, entry.text)
    settings = project_row(session)
    story = session.exec(select(MemoRow).where(MemoRow.target_kind == "storyline")).first()
    return ModelState(codes, relationships,
                      {key: (tuple(sorted(categories)), text) for key, (categories, text) in paradigm.items()},
                      settings.core_code_id, settings.outcome_code_id, story.text if story else "")
