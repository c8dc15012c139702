"""The hold-out (paper, section 3.4): a reproducible third of the material kept unseen, then released.

``split_holdout`` marks documents ``split="holdout"`` and records fraction, seed and method in a
``HoldoutRow``; the blinding rule (services/blinding.py) hides them while the theory is built.
``release_holdout`` snapshots the model as it stood and moves the project into the saturation phase.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import func
from sqlmodel import Session, select

from gtcode.domain.levels import Level, parse_number
from gtcode.domain.limits import MAX_NUMBER
from gtcode.services.errors import Conflict, Forbidden, GtcodeError, NotFound, run, where
from gtcode.services.documents import document_titles
from gtcode.services.project import Project, project_row
from gtcode.services.roles import Role, use_case
from gtcode.store.tables import AttributeRow, CodeRow, CodingRow, DocumentRow, HoldoutRow, utcnow

DEFAULT_FRACTION = 1 / 3
THEORY_LEVELS = (Level.CONCEPT, Level.CATEGORY, Level.MAIN)


@dataclass(frozen=True)
class HoldoutDocument:
    id: int
    title: str
    kind: str
    codings: int  # codings made in it (visible counts only; no text)


@dataclass(frozen=True)
class HoldoutStatus:
    phase: str  # building | saturation
    exists: bool
    fraction: float | None = None
    seed: int | None = None
    method: str = ""
    created_at: datetime | None = None
    released_at: datetime | None = None
    release_memo: str = ""
    total_documents: int = 0
    documents: tuple[HoldoutDocument, ...] = ()

    @property
    def coded(self) -> int:
        return sum(1 for d in self.documents if d.codings)


def parse_fraction(text: str | float) -> float:
    """A fraction from ``1/3``, ``0.33`` or ``33%``; GtcodeError unless strictly between 0 and 1."""
    raw = str(text).strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(Fraction(raw))
    except (ValueError, ZeroDivisionError):
        raise GtcodeError(f"fraction {raw!r} is not a number: write e.g. 1/3, 0.33 or 33%") from None
    if not 0 < value < 1:
        raise GtcodeError(f"fraction {raw!r} is outside (0, 1): hold out part of the material, e.g. 1/3")
    return value


def _stratum(kind: str, attributes: dict[int, str], document: DocumentRow) -> str:
    return document.kind if kind == "kind" else attributes.get(document.id, "(none)")


def _allocate(strata: dict[str, list[DocumentRow]], total: int) -> dict[str, int]:
    """How many documents each stratum gives (largest remainder, ties by stratum name)."""
    n = sum(len(docs) for docs in strata.values())
    quotas = {key: total * len(docs) / n for key, docs in strata.items()}
    counts = {key: math.floor(q) for key, q in quotas.items()}
    left = total - sum(counts.values())
    for key in sorted(quotas, key=lambda k: (-(quotas[k] - counts[k]), k))[:left]:
        counts[key] += 1
    return counts


def _draw(session: Session, fraction: float, seed: int, stratify: str | None,
          attribute: str | None) -> tuple[list[DocumentRow], str]:
    documents = list(session.exec(select(DocumentRow).order_by(DocumentRow.id)).all())
    if len(documents) < 2:
        raise GtcodeError(f"a hold-out needs at least 2 documents, the project has {len(documents)}: import more")
    total = round(fraction * len(documents))
    if not 1 <= total < len(documents):
        raise GtcodeError(f"a fraction of {fraction:.3g} of {len(documents)} documents holds out {total}: "
                          "choose a fraction that keeps at least one document on each side")
    if stratify == "case":
        return _draw_cases(documents, total, seed), "by case (a case's documents on one side)"
    attributes: dict[int, str] = {}
    if stratify == "attribute":
        rows = session.exec(select(AttributeRow).where(AttributeRow.name == attribute)).all()
        if not rows:
            raise NotFound(f"no document has the attribute {attribute!r}: list them {where('attributes')}")
        attributes = {row.document_id: row.value for row in rows}
    strata: dict[str, list[DocumentRow]] = {}
    for document in documents:
        key = _stratum(stratify, attributes, document) if stratify else ""
        strata.setdefault(key, []).append(document)
    rng = random.Random(seed)
    chosen: list[DocumentRow] = []
    for key, count in sorted(_allocate(strata, total).items()):
        chosen.extend(rng.sample(strata[key], count))
    method = "random" if not stratify else f"stratified by {stratify if stratify == 'kind' else 'attribute ' + attribute}"
    return sorted(chosen, key=lambda d: d.id), method


def _draw_cases(documents: list[DocumentRow], total: int, seed: int) -> list[DocumentRow]:
    """Whole cases (a document in none is a case of its own) in a seeded order, as many as fit in ``total``."""
    cases: dict[str, list[DocumentRow]] = {}
    for document in documents:
        cases.setdefault(f"c{document.case_id}" if document.case_id else f"d{document.id}", []).append(document)
    order = sorted(cases)
    random.Random(seed).shuffle(order)
    chosen: list[DocumentRow] = []
    for key in order:
        if len(chosen) + len(cases[key]) <= total:
            chosen.extend(cases[key])
    if not chosen:
        raise GtcodeError(f"no case fits in a hold-out of {total} documents: choose a larger fraction")
    return sorted(chosen, key=lambda d: d.id)


def _chosen(session: Session, refs: list[str]) -> list[DocumentRow]:
    from gtcode.services.documents import resolve_document

    rows = {row.id: row for row in (resolve_document(session, ref, visible=False) for ref in refs)}
    if len(rows) == session.exec(select(func.count()).select_from(DocumentRow)).one():
        raise GtcodeError("the hold-out cannot be every document: leave some to build the theory from")
    return sorted(rows.values(), key=lambda d: d.id)


@use_case(Role.OWNER, "split the hold-out")
def split_holdout(project: Project, fraction: float | str = DEFAULT_FRACTION, seed: int | None = None,
                  stratify: str | None = None, attribute: str | None = None,
                  documents: list[str] | None = None) -> HoldoutStatus:
    """Mark the hold-out: chosen documents, or a seeded random (optionally stratified) draw.

    The same seed over the same documents draws the same hold-out. Documents already coded helped build
    the theory and cannot be held out.
    """
    fraction = parse_fraction(fraction)
    if stratify not in (None, "kind", "attribute", "case"):
        raise GtcodeError(f"cannot stratify by {stratify!r}: use kind, case or attribute NAME")
    if stratify == "attribute" and not (attribute and attribute.strip()):
        raise GtcodeError("name the attribute to stratify by, e.g. --stratify attribute gender")
    if seed is not None:
        number = None if isinstance(seed, bool) else parse_number(seed)
        if number is None:
            raise GtcodeError(f"seed {seed!r}: give a whole number from 0 to {MAX_NUMBER}")
        seed = number
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    with project.write() as session:
        existing = session.exec(select(HoldoutRow)).first()
        if existing is not None:
            raise Conflict(f"a hold-out exists already ({len(existing.documents)} documents, {existing.method}, "
                           f"seed {existing.seed}, {existing.created_at:%Y-%m-%d}): it is split once; " + run("holdout.status"))
        if documents:
            rows, method = _chosen(session, documents), "chosen"
            fraction = len(rows) / session.exec(select(func.count()).select_from(DocumentRow)).one()
        else:
            rows, method = _draw(session, fraction, seed, stratify, attribute)
        coded = session.exec(select(CodingRow.document_id).where(
            CodingRow.document_id.in_([r.id for r in rows]))).first()
        if coded is not None:
            row = session.get(DocumentRow, coded)
            raise Conflict(f"document {row.id} ({row.title}) is coded already, so it helped build the theory and "
                           "cannot be held out: split before coding, or choose other documents with --docs")
        for row in rows:
            row.split = "holdout"
            session.add(row)
        session.add(HoldoutRow(fraction=fraction, seed=seed, method=method, documents=[r.id for r in rows]))
    return holdout_status(project)


def model_snapshot(session: Session, project: Project) -> dict:
    """The whole model as it stands (codes with levels, parents, labels, definitions and codings; relationships;
    paradigm slots; core, outcome, story line), as the JSON-ready release snapshot (domain/model_diff.py)."""
    from gtcode.services.model_state import current_state

    return current_state(session, project).as_dict(utcnow().isoformat())


@use_case(Role.OWNER, "release the hold-out")
def release_holdout(project: Project, memo: str | None = None) -> HoldoutStatus:
    """End theory building: snapshot the model and start the saturation phase (hold-out becomes visible)."""
    with project.write() as session:
        holdout = session.exec(select(HoldoutRow)).first()
        if holdout is None:
            raise NotFound(f"there is no hold-out to release: {run('holdout.split')} first")
        if holdout.released_at is not None:
            raise Conflict(f"the hold-out was released on {holdout.released_at:%Y-%m-%d}: the saturation phase is on")
        levels = [level.value for level in THEORY_LEVELS]
        if session.exec(select(CodeRow).where(CodeRow.level.in_(levels))).first() is None:
            raise Forbidden("no theory to test yet: group phenomena into concepts and categories before releasing the hold-out")
        holdout.snapshot = model_snapshot(session, project)
        holdout.released_at = utcnow()
        holdout.release_memo = (memo or "").strip()
        session.add(holdout)
        row = project_row(session)
        row.phase = "saturation"
        session.add(row)
    return holdout_status(project)


def holdout_row(session: Session) -> HoldoutRow | None:
    return session.exec(select(HoldoutRow)).first()


def holdout_status(project: Project) -> HoldoutStatus:
    """The project's phase and its hold-out: when, how and which documents (ids and, once released, titles)."""
    with project.read() as session:
        phase = project_row(session).phase
        total = session.exec(select(func.count()).select_from(DocumentRow)).one()
        holdout = holdout_row(session)
        if holdout is None:
            return HoldoutStatus(phase=phase, exists=False, total_documents=total)
        rows = session.exec(select(DocumentRow.id, DocumentRow.kind).where(DocumentRow.split == "holdout")
                            .order_by(DocumentRow.id)).all()
        titles = document_titles(session, {r.id for r in rows})
        counts = dict(session.exec(select(CodingRow.document_id, func.count())
                                   .where(CodingRow.document_id.in_([r.id for r in rows]))
                                   .group_by(CodingRow.document_id)).all())
        return HoldoutStatus(
            phase=phase, exists=True, fraction=holdout.fraction, seed=holdout.seed, method=holdout.method,
            created_at=holdout.created_at, released_at=holdout.released_at, release_memo=holdout.release_memo,
            total_documents=total,
            documents=tuple(HoldoutDocument(r.id, titles[r.id], r.kind, counts.get(r.id, 0)) for r in rows),
        )
