"""Where a project stands: counts per stage, for the CLI's `info` and the TUI's status line."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from gtcode.domain.levels import Level
from gtcode.services.blinding import visible_coding_counts
from gtcode.services.project import Project, project_row
from gtcode.store.tables import CodeRow, DocumentRow


def overview(project: Project) -> dict:
    """Documents (coded, hold-out), codings and codes per level: aggregate counts, none reads every coding."""
    info = project.info()
    with project.read() as session:
        documents = session.exec(select(func.count()).select_from(DocumentRow)).one()
        holdout = session.exec(select(func.count()).where(DocumentRow.split == "holdout")).one()
        codings, coded = visible_coding_counts(session, project.coder)
        per_level = dict(session.exec(select(CodeRow.level, func.count()).group_by(CodeRow.level)).all())
        row = project_row(session)
    return {
        "name": info.name, "database_url": info.database_url, "phase": row.phase, "coder": project.coder,
        "documents": documents, "documents_coded": coded, "holdout": holdout, "codings": codings,
        "codes": {level.value: per_level.get(level.value, 0) for level in Level},
    }
