"""The audit trail: every recorded change with its coder, time, state and what it changed, in words.

Changes are the undoable ones (`services/changes.py`): the code system, codings, memos, the paradigm and the
relationships. Undone changes are kept: ``undone`` (redo can bring it back) or ``superseded`` (undone, and a
newer change ended its redo). The visibility rule holds here too: a change that touched a coding or memo on
a blinded hold-out document (or another coder's coding on a document this coder codes blind) is shown only as
"a change on material you may not see", without its description or rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import Session, select

from gtcode.services.blinding import hidden_document_ids
from gtcode.services.changes import change_entries
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project
from gtcode.store.tables import ChangeRow, CodeRow, CodingRow

QUIET_COLUMNS = {"version", "updated_at", "next_numbers"}  # changed by every write: not worth a word
SHORT = 60  # characters of a value shown in a change's words
HIDDEN = "a change on material you may not see"


@dataclass(frozen=True)
class ChangeEntry:
    """One change in the audit trail."""

    id: int
    time: datetime
    coder: str
    description: str
    status: str  # done | undone | superseded
    undone_at: datetime | None
    details: tuple[str, ...]  # what changed, row by row, before → after


def parse_since(value: str) -> datetime:
    """A date or time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:30); without a zone it is UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise GtcodeError(f"--since {value!r}: give a date or time such as 2026-12-01 or 2026-12-01T09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _short(value) -> str:
    text = "∅" if value is None or value == "" else str(value)
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


def _what(table: str, values: dict, refs: dict[int, str], prefixes) -> str:
    """A row named in words: "code a3 «Waiting»", "coding 12 (a1, document 3, 10-20)", "memo 4 on code a1"."""
    row_id = values.get("id", values.get("name"))
    if table == "code":
        from gtcode.domain.levels import Level

        ref = prefixes.ref(Level(values["level"]), values["number"]) if "level" in values else refs.get(row_id, row_id)
        return f"code {ref} «{_short(values.get('label'))}»"
    if table == "coding":
        code_id = values.get("code_id")
        return (f"coding {row_id} ({refs.get(code_id, f'code #{code_id}')}, document {values.get('document_id')}, "
                f"{values.get('start')}-{values.get('end')})")
    if table == "memo":
        target = values.get("target_kind")
        named = refs.get(values.get("target_id")) if target == "code" else values.get("target_id")
        return f"memo {row_id} on {target}" + (f" {named}" if named is not None else "")
    if table == "relationship":
        return f"relationship R{values.get('number')}"
    if table == "slot_evidence":
        main_id = values.get("main_id")
        return (f"{values.get('stance')} evidence {row_id} (coding {values.get('coding_id')} on "
                f"{refs.get(main_id, f'code #{main_id}')} {values.get('slot')})")
    return f"{table.replace('_', ' ')} {row_id}"


def _words(entry: dict, refs: dict[int, str], prefixes) -> str:
    before, after, table = entry["before"], entry["after"], entry["table"]
    if before is None and after is not None:
        return f"{_what(table, after, refs, prefixes)} added"
    if after is None and before is not None:
        return f"{_what(table, before, refs, prefixes)} removed"
    if before is None:
        return f"{table} {entry['id']}: nothing"
    changed = [f"{key} {_short(before.get(key))} → {_short(after.get(key))}"
               for key in sorted(set(before) | set(after))
               if key not in QUIET_COLUMNS and before.get(key) != after.get(key)]
    return f"{_what(table, after, refs, prefixes)}: " + ("; ".join(changed) if changed else "rewritten as it was")


class _Hidden:
    """Which rows of a change the acting coder may not see (the visibility rule on the rows a change keeps)."""

    def __init__(self, session: Session, coder: str):
        from gtcode.services.roles import blinded_document_ids

        self.hidden = hidden_document_ids(session)
        self.blind = blinded_document_ids(session, coder)
        self.coder = coder
        self.session = session
        self._coding_docs: dict[int, int | None] = {}

    def coding_document(self, coding_id, rows: list[dict]) -> int | None:
        for entry in rows:
            if entry["table"] == "coding" and entry["id"] == coding_id:
                return (entry["after"] or entry["before"] or {}).get("document_id")
        if coding_id not in self._coding_docs:
            row = self.session.get(CodingRow, coding_id) if isinstance(coding_id, int) else None
            self._coding_docs[coding_id] = row.document_id if row else None
        return self._coding_docs[coding_id]

    def row(self, entry: dict, rows: list[dict]) -> bool:
        for values in (entry["before"], entry["after"]):
            if not values:
                continue
            table = entry["table"]
            if table == "coding" and (values.get("document_id") in self.hidden or (
                    values.get("document_id") in self.blind and values.get("coder") != self.coder)):
                return True
            if "coding_id" in values and self.coding_document(values["coding_id"], rows) in self.hidden:
                return True  # what hangs on a coding: dimension values, evidence, examples
            if table in ("memo", "memo_link"):
                kind, target = values.get("target_kind"), values.get("target_id")
                if kind == "document" and target in self.hidden:
                    return True
                if kind == "coding" and self.coding_document(target, rows) in self.hidden:
                    return True
        return False


def audit_log(project: Project, coder: str | None = None, since: str | datetime | None = None,
              code: str | None = None, limit: int | None = None) -> list[ChangeEntry]:
    """The changes, newest first, by ``coder``, since a time, or touching a code (``a7``, a label)."""
    from gtcode.domain.levels import Level
    from gtcode.services.codes import resolve_code

    moment = parse_since(since) if isinstance(since, str) else since
    with project.read() as session:
        codes = session.exec(select(CodeRow.id, CodeRow.level, CodeRow.number)).all()
        refs = {row_id: project.prefixes.ref(Level(level), number) for row_id, level, number in codes}
        code_id = resolve_code(session, project.prefixes, code).id if code else None
        query = select(ChangeRow).order_by(ChangeRow.id.desc())
        if coder:
            query = query.where(ChangeRow.coder == coder)
        if moment is not None:
            query = query.where(ChangeRow.created_at >= moment)
        hidden = _Hidden(session, project.coder)
        result = []
        for change in session.exec(query):
            rows = change_entries(change.rows)
            if code_id is not None and not any(_touches(entry, code_id) for entry in rows):
                continue
            unseen = [entry for entry in rows if hidden.row(entry, rows)]
            details = tuple(_words(entry, refs, project.prefixes) for entry in rows if entry not in unseen)
            if unseen:
                details += (f"{len(unseen)} rows you may not see (hold-out or blind coding)",)
            status = "superseded" if change.superseded else "undone" if change.undone else "done"
            result.append(ChangeEntry(change.id, change.created_at, change.coder,
                                      HIDDEN if unseen else change.description, status, change.undone_at, details))
            if limit is not None and len(result) >= limit:
                break
        return result


def _touches(entry: dict, code_id: int) -> bool:
    for values in (entry["before"], entry["after"]):
        if not values:
            continue
        table = entry["table"]
        if table == "code" and (values.get("id") == code_id or values.get("parent_id") == code_id):
            return True
        if table == "coding" and values.get("code_id") == code_id:
            return True
        if table in ("memo", "memo_link") and values.get("target_kind") == "code" and values.get("target_id") == code_id:
            return True
        if table in ("paradigm_entry", "slot_evidence") and code_id in (values.get("main_id"), values.get("category_id")):
            return True
        if table == "relationship" and code_id in (values.get("source_id"), values.get("target_code_id")):
            return True
    return False


def export_log(project: Project, path: str | Path, coder: str | None = None, since: str | None = None,
               code: str | None = None) -> Path:
    """Write the audit trail (filtered as `audit_log`) as CSV: one row per change, its details joined."""
    import pandas as pd

    from gtcode.exchange.tables import write_table

    entries = audit_log(project, coder=coder, since=since, code=code)
    frame = pd.DataFrame(
        [(e.id, e.time.isoformat(), e.coder, e.status, e.undone_at.isoformat() if e.undone_at else "", e.description,
          " | ".join(e.details)) for e in entries],
        columns=["id", "time", "coder", "status", "undone_at", "description", "changed"])
    return write_table(frame, path, "csv")
