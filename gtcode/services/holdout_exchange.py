"""The hold-out record in a ``.qdpx`` file: gtcode's own note, so that an export restores the hold-out exactly.

Export writes the record (documents, seed, method, fraction, phase, creation and release time, release memo, the
model snapshot taken at the release, and which codes and codings the saturation phase made) as JSON in a project
note named ``gtcode hold-out record``. Import restores it only from that note, and only into a project without
documents or hold-out of its own, by an owner; a set merely named like gtcode's hold-out set is no record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from gtcode.domain.levels import RELATIONSHIP_PREFIX, Level, Prefixes
from gtcode.exchange.refi import RefiProject
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, HoldoutRow, ProjectRow, RelationshipRow

HOLDOUT_NOTE = "gtcode hold-out record"
RECORD_FORMAT = 1
PHASES = ("building", "saturation")


@dataclass(frozen=True)
class HoldoutRecord:
    """A hold-out as a file carries it: documents and codings by their guids in that file, codes by reference."""

    phase: str
    fraction: float
    seed: int
    method: str
    created_at: datetime
    released_at: datetime | None
    release_memo: str
    snapshot: dict | None
    documents: tuple[str, ...]
    left_out: int  # hold-out documents the export did not carry (made while they were blinded)
    saturation_codings: frozenset[str]
    saturation_codes: frozenset[str]


def record_text(session: Session, prefixes: Prefixes, source_guid: dict[int, str],
                coding_guid: dict[int, str]) -> str | None:
    """The project's hold-out record as note text (None without a hold-out); the guids are what the file holds."""
    holdout = session.exec(select(HoldoutRow)).first()
    if holdout is None:
        return None
    saturation_codings = session.exec(select(CodingRow.id).where(CodingRow.phase == "saturation")).all()
    saturation_codes = session.exec(select(CodeRow.level, CodeRow.number).where(CodeRow.phase == "saturation")).all()
    record = {
        "format": RECORD_FORMAT, "phase": session.exec(select(ProjectRow.phase)).first(),
        "fraction": holdout.fraction, "seed": holdout.seed, "method": holdout.method,
        "created_at": holdout.created_at.isoformat(),
        "released_at": holdout.released_at.isoformat() if holdout.released_at else None,
        "release_memo": holdout.release_memo, "snapshot": _portable(holdout.snapshot, coding_guid),
        "documents": [source_guid[d] for d in holdout.documents if d in source_guid],
        "left_out": sum(1 for d in holdout.documents if d not in source_guid),
        "saturation_codings": sorted(coding_guid[c] for c in saturation_codings if c in coding_guid),
        "saturation_codes": sorted(prefixes.ref(Level(level), number) for level, number in saturation_codes),
    }
    return json.dumps(record, ensure_ascii=False, indent=1)


def read_record(refi: RefiProject) -> tuple[HoldoutRecord | None, list[str]]:
    """The record a file of ours carries in its project note, if any (a damaged one is a warning, not a record)."""
    note = next((n for n in refi.notes if n.name == HOLDOUT_NOTE and not n.target_guids), None)
    if note is None:
        return None, []
    try:
        data = json.loads(note.text)
        record = HoldoutRecord(
            phase=_one_of(data["phase"], PHASES), fraction=float(data["fraction"]), seed=int(data["seed"]),
            method=str(data["method"]), created_at=datetime.fromisoformat(data["created_at"]),
            released_at=datetime.fromisoformat(data["released_at"]) if data.get("released_at") else None,
            release_memo=str(data.get("release_memo") or ""),
            snapshot=data.get("snapshot") if isinstance(data.get("snapshot"), dict) else None,
            documents=tuple(str(g) for g in data["documents"]), left_out=int(data.get("left_out") or 0),
            saturation_codings=frozenset(str(g) for g in data.get("saturation_codings") or ()),
            saturation_codes=frozenset(str(r) for r in data.get("saturation_codes") or ()))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return None, [f"the {HOLDOUT_NOTE!r} note is not readable ({type(error).__name__}: {error}): "
                      "no hold-out restored, its documents come in as ordinary ones"]
    if (record.released_at is not None) != (record.phase == "saturation"):
        return None, [f"the {HOLDOUT_NOTE!r} note says phase {record.phase} but "
                      f"{'a' if record.released_at else 'no'} release: no hold-out restored"]
    return record, []


def _one_of(value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def restore_refusal(session: Session, record: HoldoutRecord, refi: RefiProject, owner: bool) -> str | None:
    """Why the record cannot be restored here (None: it can)."""
    if not owner:
        return "only an owner restores a hold-out"
    if session.exec(select(HoldoutRow.id)).first() is not None:
        return "this project has a hold-out of its own"
    if session.exec(select(DocumentRow.id)).first() is not None:
        return "this project has documents of its own; restore into a new project with `gtcode init DIR --from FILE`"
    if record.left_out:
        return f"the file lacks {record.left_out} of its hold-out documents, exported while they were blinded"
    missing = set(record.documents) - {s.guid for s in refi.sources}
    if missing:
        return f"{len(missing)} of its documents are not in the file"
    return None


def restore(session: Session, record: HoldoutRecord, prefixes: Prefixes) -> None:
    """Put the project in the record's phase and give the saturation phase's codes their phase back (before
    any coding is added, so that the hold-out rule judges each coding by the phase it was made in)."""
    for row in session.exec(select(CodeRow)).all():
        if prefixes.ref(Level(row.level), row.number) in record.saturation_codes:
            row.phase = "saturation"
            session.add(row)
    project = session.exec(select(ProjectRow)).one()
    project.phase = record.phase
    session.add(project)
    session.flush()


def restore_documents(session: Session, record: HoldoutRecord, documents: dict[str, int],
                      codings: dict[str, int], prefixes: Prefixes) -> HoldoutRow:
    """The hold-out row itself, once its documents and codings exist (``documents``, ``codings``: the file's
    guids to this project's ids); the release snapshot names this project's codes, relationships and codings."""
    codes = {prefixes.ref(Level(level), number): code_id
             for code_id, level, number in session.exec(select(CodeRow.id, CodeRow.level, CodeRow.number)).all()}
    relationships = {f"{RELATIONSHIP_PREFIX}{number}": rel_id
                     for rel_id, number in session.exec(select(RelationshipRow.id, RelationshipRow.number)).all()}
    row = HoldoutRow(fraction=record.fraction, seed=record.seed, method=record.method,
                     documents=sorted(documents[g] for g in record.documents), created_at=record.created_at,
                     released_at=record.released_at, release_memo=record.release_memo,
                     snapshot=_local(record.snapshot, codes, relationships, codings))
    session.add(row)
    return row


def _translated(snapshot: dict, code, relationship, coding) -> dict:
    """The snapshot with every code, relationship and coding it names passed through the three functions."""
    out = dict(snapshot)
    out["codes"] = [{**c, "id": code(c["id"]), "parent_id": code(c.get("parent_id")),
                     **({"codings": [i for i in map(coding, c["codings"]) if i is not None]} if "codings" in c else {})}
                    for c in snapshot.get("codes", [])]
    if "relationships" in snapshot:
        out["relationships"] = [{**r, "id": relationship(r["id"]), "source_id": code(r["source_id"]),
                                 "target_code_id": code(r.get("target_code_id")),
                                 "target_relationship_id": relationship(r.get("target_relationship_id"))}
                                for r in snapshot["relationships"]]
    if "paradigm" in snapshot:
        out["paradigm"] = [{**p, "main_id": code(p["main_id"]), "categories": [code(i) for i in p["categories"]]}
                           for p in snapshot["paradigm"]]
    for key in ("core_id", "outcome_id"):
        if key in snapshot:
            out[key] = code(snapshot[key])
    return out


def _portable(snapshot: dict | None, coding_guid: dict[int, str]) -> dict | None:
    """The release snapshot as a file carries it: codes and relationships by reference, codings by guid."""
    if not snapshot or not isinstance(snapshot.get("codes"), list):
        return snapshot
    code_ref = {c["id"]: c["ref"] for c in snapshot["codes"]}
    rel_ref = {r["id"]: r["ref"] for r in snapshot.get("relationships", [])}
    return _translated(snapshot, code_ref.get, rel_ref.get, coding_guid.get)


def _local(snapshot: dict | None, codes: dict[str, int], relationships: dict[str, int],
           codings: dict[str, int]) -> dict | None:
    """A portable snapshot with this project's ids; a code or relationship gone since the release (merged,
    deleted) gets an id of its own below zero, which no row has, as the original's id named no row any more."""
    if not snapshot or not isinstance(snapshot.get("codes"), list):
        return snapshot
    gone: dict[tuple[str, str], int] = {}

    def local(kind: str, known: dict[str, int]):
        def lookup(ref: str | None) -> int | None:
            if ref is None:
                return None
            return known[ref] if ref in known else gone.setdefault((kind, ref), -1 - len(gone))
        return lookup

    return _translated(snapshot, local("code", codes), local("relationship", relationships), codings.get)
