"""The saturation test: what the hold-out added to the theory, the new-code curve, triage and suggestions.

The test (paper, section 3.4; code saturation in the sense of Saunders et al. 2018, tested on a hold-out)
compares the whole model now with the snapshot taken at the release, and counts novelty from the hold-out's
codings only. Three verdicts, each with its reason in one sentence:

- **not saturated**: a new code at a tested level (``levels``, default concept and category; main
  categories always) has hold-out support of at least ``min_support`` in the chosen unit (``support``:
  documents, the default, cases or quotations), or the model changed at or above the lowest tested level
  since release (a code merged, split, moved, renamed, redefined or deleted; a relationship, paradigm slot,
  core, outcome or story line changed). Evidence against saturation decides even on a partly coded hold-out.
- **undetermined**: the hold-out is not released, a hold-out document is uncoded or has less than
  ``min_coverage`` of its (respondent) sentences coded, or a new code from the hold-out with enough support
  is not grouped up to the lowest tested level yet ("ungrouped": it may be a new concept or belong to one).
- **saturated**: none of these.

New codes whose support comes from build documents only were made on build material during the test:
they are reported apart and are not hold-out novelty. The new-code curve (Guest, Namey & Chen 2020) is a
second, weaker signal shown beside the verdict with one sentence that reconciles the two.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel import Session, select

from gtcode.domain.levels import Level, parse_level, parse_number
from gtcode.domain.model_diff import ModelChange, ModelState, model_diff, state_from_snapshot
from gtcode.domain.curve_orders import CURVE_ORDERS
from gtcode.domain.saturation import new_code_counts, saturation_curve, saturation_over_orders
from gtcode.services.blinding import ensure_visible, visible_codings
from gtcode.services.documents import document_titles
from gtcode.services.errors import Forbidden, GtcodeError, NotFound, run, where
from gtcode.services.holdout import holdout_row
from gtcode.services.model_state import coding_codes, current_state
from gtcode.services.project import Project, project_row
from gtcode.store.tables import (
    AttributeRow, CodeRow, CodingRow, DimensionValueRow, DocumentRow, PropertyRow, SegmentRow,
)
from gtcode.text.keywords import BagCache

DEFAULT_LEVELS = "concept,category"
TEST_LEVELS = ("concept", "category", "main")
SUPPORT_UNITS = ("documents", "cases", "quotations")
DEFAULT_SUPPORT = "documents"
DEFAULT_MIN_SUPPORT = 2
DEFAULT_MIN_COVERAGE = 0.5
CURVE_LEVELS = ("phenomenon", "concept", "category", "main")
DEFAULT_CURVE_LEVEL = "concept"
DEFAULT_ORDER = "first-coding"
GROUP_LEVELS = (Level.CONCEPT, Level.CATEGORY, Level.MAIN)
INTERVIEWER = "interviewer"


@dataclass(frozen=True)
class Quotation:
    coding_id: int
    document_id: int
    document_title: str
    code_ref: str
    quote: str


@dataclass(frozen=True)
class Support:
    """How widely a code is backed: distinct documents, distinct cases, quotations (codings)."""

    documents: int
    cases: int
    quotations: int

    def of(self, unit: str) -> int:
        return getattr(self, unit)

    def text(self) -> str:
        return f"{self.documents} documents, {self.cases} cases, {self.quotations} quotations"


@dataclass(frozen=True)
class NewCode:
    """A code made after the release, with its support (from the hold-out, or from build material)."""

    ref: str
    level: str
    label: str
    parent_ref: str | None
    support: Support
    counts: bool  # at a tested level with at least the minimum support from the hold-out
    quotations: tuple[Quotation, ...]


@dataclass(frozen=True)
class Coverage:
    """How much of one hold-out document is coded: its (respondent) sentences and those a coding touches."""

    document_id: int
    title: str
    sentences: int
    coded: int
    share: float | None  # None: no sentences
    status: str  # covered | below the floor | uncoded | no sentences


@dataclass(frozen=True)
class PostPointCode:
    ref: str
    label: str
    position: int  # 1-based position of the document in the curve's order
    document_title: str
    holdout: bool  # first seen in a hold-out document


@dataclass(frozen=True)
class Curve:
    level: str
    order: str
    kinds: tuple[str, ...]  # () = every kind
    documents: tuple[tuple[int, str], ...]  # (id, title) in the chosen order
    new_counts: tuple[int, ...]
    cumulative: tuple[int, ...]
    left_out: int  # codings whose phenomenon is not grouped up to the curve's level
    base_size: int
    run_length: int
    threshold: float
    base_unique: int
    first_ratio: float | None
    determined: bool
    point: str | None
    documents_to_saturation: int | None
    post_point: tuple[PostPointCode, ...]
    message: str
    orders: int
    median: int | None
    interval_95: tuple[int | None, int | None]
    orders_message: str


@dataclass(frozen=True)
class SaturationReport:
    phase: str
    released_at: str | None
    holdout_documents: int
    holdout_coded: int
    codings: int
    phenomena: int
    attached: dict[str, int]  # existing phenomenon/concept/category/main, new concept, ungrouped
    levels: tuple[str, ...]  # tested levels (main always)
    tested: str  # the same in words: "concepts, categories and main categories"
    support: str
    min_support: int
    min_coverage: float
    coverage: tuple[Coverage, ...]
    new_codes: tuple[NewCode, ...]  # new codes with hold-out support
    ungrouped: tuple[NewCode, ...]  # new codes from the hold-out not grouped up to the lowest tested level
    build_changes: tuple[NewCode, ...]  # new codes backed by build documents only
    snapshot_complete: bool  # False: an older release snapshot of codes only
    changes: tuple[ModelChange, ...]  # the model diff since release (new codes included)
    counting_changes: tuple[ModelChange, ...]  # those at or above the lowest tested level (not new codes)
    verdict: str  # saturated | not saturated | undetermined
    reason: str  # one sentence
    reconciliation: str  # one sentence: the curve beside the verdict
    meaning: str  # meaning saturation (properties and dimensions) in one sentence, or why it is not measured
    curve: Curve

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Suggestion:
    ref: str
    level: str
    label: str
    score: float
    example: str


@dataclass(frozen=True)
class TriageItem:
    document_id: int
    document_title: str
    sentence: int
    start: int
    end: int
    text: str
    novelty: float  # 1 - highest similarity to any coded quotation
    nearest: str | None  # the code of that quotation


class _Codes:
    """The code tree in memory: references, parents and ancestors."""

    def __init__(self, session: Session, project: Project):
        self.rows = {row.id: row for row in session.exec(select(CodeRow)).all()}
        self.prefixes = project.prefixes
        self._chains: dict[int, list[CodeRow]] = {}
        self._levels: dict[Level, dict[int, CodeRow | None]] = {}

    def ref(self, code_id: int | None) -> str | None:
        row = self.rows.get(code_id)
        return self.prefixes.ref(Level(row.level), row.number) if row else None

    def chain(self, code_id: int) -> list[CodeRow]:
        """The code and its ancestors, lowest first (computed once per code: analyses ask per coding)."""
        found = self._chains.get(code_id)
        if found is None:
            found, seen, row = [], set(), self.rows.get(code_id)
            while row is not None and row.id not in seen:  # ids, not rows: comparing models is slow
                found.append(row)
                seen.add(row.id)
                row = self.rows.get(row.parent_id)
            self._chains[code_id] = found
        return found

    def at_level(self, code_id: int, level: Level) -> CodeRow | None:
        """The code or its ancestor of ``level`` (None when it is not grouped that far), found once per code."""
        found = self._levels.setdefault(level, {})
        if code_id not in found:
            found[code_id] = next((row for row in self.chain(code_id) if row.level == level.value), None)
        return found[code_id]


CODING_COLUMNS = (CodingRow.id, CodingRow.document_id, CodingRow.code_id, CodingRow.start, CodingRow.end)


def _visible_codings(session: Session, coder: str, quotes: bool = False) -> list:
    """The codings ``coder`` sees as column rows (id, document, code, start, end and, with ``quotes``, quote), in id
    order: an ORM object per coding cost most of a report over a large project."""
    columns = CODING_COLUMNS + ((CodingRow.quote,) if quotes else ())
    return session.connection().execute(visible_codings(session, coder, *columns).order_by(CodingRow.id)).all()


def _quotes(session: Session, ids: set[int]) -> dict[int, str]:
    """The quotes of these codings (read for the few that a report quotes), some thousands of ids at a time."""
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for begin in range(0, len(ordered), 5000):
        found.update(session.connection().execute(select(CodingRow.id, CodingRow.quote)
                                                  .where(CodingRow.id.in_(ordered[begin:begin + 5000]))).all())
    return found


def parse_levels(text: str) -> tuple[Level, ...]:
    """``concept,category`` as the tested levels, lowest first, main categories always among them."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    wrong = [name for name in names if name not in TEST_LEVELS]
    if not names or wrong:
        raise GtcodeError(f"--level {text!r}: give concept, category or main, comma-separated (e.g. concept,category)")
    return tuple(sorted({parse_level(name) for name in names} | {Level.MAIN}, key=lambda level: level.rank))


def _cases(session: Session, documents: set[int]) -> dict[int, str]:
    """Each document's case (``cases.document_cases``), else the document itself."""
    from gtcode.services.cases import document_cases

    named = document_cases(session, documents)
    return {document_id: f"case {named[document_id]}" if document_id in named else f"document {document_id}"
            for document_id in documents}


def _support(codings: list[CodingRow], cases: dict[int, str]) -> Support:
    documents = {c.document_id for c in codings}
    return Support(len(documents), len({cases[d] for d in documents}), len(codings))


def _order_key(session: Session, order: str, documents: dict[int, int]):
    """Sort key of a document id for the curve: first coding, import order, the sampling log (wave, then date) or a
    document attribute."""
    if order == "first-coding":
        return lambda d: documents[d]
    if order == "import":
        return lambda d: d
    if order == "sampling":
        from gtcode.services.sampling import sampling_ranks

        return sampling_ranks(session, set(documents)).__getitem__
    name = order.removeprefix("attribute:").strip()
    if not order.startswith("attribute:") or not name:
        raise GtcodeError(f"--order {order!r}: use {', '.join(CURVE_ORDERS)} (e.g. attribute:date)")
    rows = session.exec(select(AttributeRow).where(AttributeRow.name == name,
                                                   AttributeRow.document_id.in_(set(documents)))).all()
    if not rows:
        raise NotFound(f"--order {order}: no coded document has the attribute {name!r}: list them "
                       f"{where('attributes')}")

    def typed(row: AttributeRow) -> tuple:
        if row.type in ("integer", "float"):
            try:
                return (0, float(row.value), "")
            except ValueError:
                pass
        return (1, 0.0, row.value)

    values = {row.document_id: typed(row) for row in rows}
    return lambda d: (d not in values, values.get(d, (2, 0.0, "")), d)  # documents without it come last


def _curve(session: Session, codes: _Codes, codings: list[CodingRow], held: set[int], level: Level, order: str,
           kinds: tuple[str, ...], base_size: int, run_length: int, threshold: float, orders: int,
           seed: int) -> Curve:
    kind_of = dict(session.exec(select(DocumentRow.id, DocumentRow.kind)).all()) if kinds else {}
    up = {code_id: None if (row := codes.at_level(code_id, level)) is None else row.id for code_id in codes.rows}
    per_document: dict[int, set[int]] = {}
    first: dict[int, int] = {}
    left_out = 0
    for coding_id, document_id, code_id, _start, _end in codings:  # in id order: a document's first is its first
        if kinds and kind_of.get(document_id) not in kinds:
            continue
        present = per_document.get(document_id)
        if present is None:
            present = per_document[document_id] = set()
            first[document_id] = coding_id
        found = up.get(code_id)
        if found is None:
            left_out += 1
        else:
            present.add(found)
    ids = sorted(per_document, key=_order_key(session, order, first)) if per_document else []
    titles = document_titles(session, set(ids))
    sets = [per_document[d] for d in ids]
    counts = new_code_counts(sets)
    one = saturation_curve(counts, base_size, run_length, threshold)
    many = saturation_over_orders(sets, orders, seed, base_size, run_length, threshold)
    first_ratio = one.runs[0][2] if one.runs and not math.isnan(one.runs[0][2]) else None
    post_point: list[PostPointCode] = []
    if one.documents_to_saturation is not None:
        seen: set[int] = set().union(*sets[:one.documents_to_saturation + run_length])
        for position in range(one.documents_to_saturation + run_length, len(ids)):
            for code_id in sorted(sets[position] - seen, key=lambda c: codes.ref(c) or ""):
                post_point.append(PostPointCode(codes.ref(code_id), codes.rows[code_id].label, position + 1,
                                                titles[ids[position]], ids[position] in held))
            seen |= sets[position]
    return Curve(
        level=level.value, order=order, kinds=kinds, documents=tuple((d, titles[d]) for d in ids),
        new_counts=tuple(counts), cumulative=one.cumulative, left_out=left_out, base_size=base_size,
        run_length=run_length, threshold=threshold, base_unique=one.base_unique, first_ratio=first_ratio,
        determined=one.determined, point=one.point, documents_to_saturation=one.documents_to_saturation,
        post_point=tuple(post_point), message=one.message, orders=orders, median=many.median_documents,
        interval_95=many.interval_95, orders_message=many.message,
    )


def _attachment(codes: _Codes, phenomena: set[int], existing: set[int]) -> dict[str, int]:
    counts = Counter({key: 0 for key in ("phenomenon", "concept", "category", "main", "new concept", "ungrouped")})
    for code_id in phenomena:
        counts["phenomenon"] += code_id in existing
        for level in GROUP_LEVELS:
            parent = codes.at_level(code_id, level)
            counts[level.value] += parent is not None and parent.id in existing
        concept = codes.at_level(code_id, Level.CONCEPT)
        if concept is None:
            counts["ungrouped"] += 1
        elif concept.id not in existing:
            counts["new concept"] += 1
    return dict(counts)


def _coverage(session: Session, held: set[int], codings: list[CodingRow], floor: float) -> list[Coverage]:
    """Per hold-out document: its sentences (the respondent's, in an interview with roles) and the coded share."""
    titles = document_titles(session, held)
    segments = session.exec(select(SegmentRow).where(SegmentRow.document_id.in_(held))
                            .order_by(SegmentRow.document_id, SegmentRow.idx)).all()
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for coding in codings:
        spans[coding.document_id].append((coding.start, coding.end))
    sentences: dict[int, list[SegmentRow]] = defaultdict(list)
    for segment in segments:
        if segment.role != INTERVIEWER:
            sentences[segment.document_id].append(segment)
    rows = []
    for document_id in sorted(held):
        mine = sentences[document_id]
        coded = sum(any(s < seg.end and e > seg.start for s, e in spans[document_id]) for seg in mine)
        share = coded / len(mine) if mine else None
        if not spans[document_id]:
            status = "uncoded"
        elif share is None:
            status = "no sentences"
        else:
            status = "covered" if share >= floor else "below the floor"
        rows.append(Coverage(document_id, titles[document_id], len(mine), coded, share, status))
    return rows


def _new_codes(session: Session, codes: _Codes, codings: list[CodingRow], existing: set[int], held: set[int],
               levels: tuple[Level, ...], unit: str, min_support: int) -> tuple[list[NewCode], list[NewCode], list[NewCode]]:
    """New codes from the hold-out (counting or not), the hold-out's ungrouped ones, and build-only ones."""
    new = [row for row in sorted(codes.rows.values(), key=lambda r: (Level(r.level).rank, r.number))
           if row.id not in existing and Level(row.level).rank <= Level.MAIN.rank]
    if not new:
        return [], [], []
    wanted = {row.id for row in new}
    under: dict[int, list] = defaultdict(list)
    reaches: dict[int, list[int]] = {}  # a code -> the new codes among it and its ancestors
    for coding in codings:
        targets = reaches.get(coding.code_id)
        if targets is None:
            targets = reaches[coding.code_id] = [row.id for row in codes.chain(coding.code_id) if row.id in wanted]
        for target in targets:
            under[target].append(coding)
    places = {c.document_id for of_code in under.values() for c in of_code}
    titles, cases = document_titles(session, places), _cases(session, places)
    lowest = levels[0]
    from_holdout, ungrouped, build = [], [], []
    found = []
    for row in new:
        level = Level(row.level)
        mine = [c for c in under[row.id] if c.document_id in held]
        if level.rank < lowest.rank and (row.parent_id is not None or not mine):
            continue  # below the tested levels: only a new code at the top of its chain is "ungrouped"
        used = mine or under[row.id]
        tested = level in levels or level.rank < lowest.rank  # an ungrouped code counts towards "undetermined"
        found.append((row, used, bool(mine), tested, level))
    quoted = _quotes(session, {c.id for _row, used, _mine, _tested, _level in found for c in used})
    for row, used, mine, tested, level in found:
        support = _support(used, cases)
        quotes = tuple(Quotation(c.id, c.document_id, titles[c.document_id], codes.ref(c.code_id), quoted[c.id])
                       for c in used)
        counts = mine and tested and support.of(unit) >= min_support
        code = NewCode(codes.ref(row.id), row.level, row.label, codes.ref(row.parent_id), support, counts, quotes)
        (build if not mine else ungrouped if level.rank < lowest.rank else from_holdout).append(code)
    return from_holdout, ungrouped, build


def _names(codes: list[NewCode] | tuple[NewCode, ...], unit: str) -> str:
    return ", ".join(f"{c.ref} {c.label} ({c.support.of(unit)} {unit})" for c in codes)


_LEVEL_NOUNS = {"phenomenon": ("phenomenon", "phenomena"), "concept": ("concept", "concepts"),
                "category": ("category", "categories"), "main": ("main category", "main categories")}


def _noun(level: str, n: int) -> str:
    one, many = _LEVEL_NOUNS[level]
    return one if n == 1 else many


def _tested(levels: tuple[Level, ...]) -> str:
    names = [_noun(level.value, 2) for level in levels]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _verdict(released: bool, total: int, levels: tuple[Level, ...], unit: str, min_support: int, floor: float,
             counting: list[NewCode], changes: list[ModelChange], coverage: list[Coverage],
             ungrouped: list[NewCode]) -> tuple[str, str]:
    """The verdict and its reason in one sentence (see the module's docstring for the rules)."""
    if not released:
        return "undetermined", (f"the hold-out ({total} documents) is not released yet: build the theory, "
                                "then release the hold-out")
    short = [c for c in coverage if c.status in ("uncoded", "below the floor")]
    against = []
    if counting:
        by_level = Counter(c.level for c in counting)
        what = " and ".join(f"{n} new {_noun(level, n)}" for level, n in sorted(by_level.items(),
                                                                               key=lambda kv: Level(kv[0]).rank))
        against.append(f"{what} with support in at least {min_support} hold-out {unit}: {_names(counting, unit)}")
    if changes:
        against.append("the model changed since release: " + "; ".join(c.text for c in changes))
    if against:
        pending = (f"; coding the rest of the hold-out cannot undo this ({len(short)} of {total} documents are "
                   "below the coverage floor)" if short else "")
        return "not saturated", "; ".join(against) + pending
    if short:
        worst = ", ".join(f"hold-out document {c.document_id} "
                          + ("uncoded" if c.status == "uncoded" else f"{c.share:.0%}") for c in short[:5])
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        return "undetermined", (f"{len(short)} of {total} hold-out documents are coded below the floor of "
                                f"{floor:.0%} of their sentences ({worst}{more}): code them, then report again")
    waiting = [c for c in ungrouped if c.counts]
    if waiting:
        return "undetermined", (f"{len(waiting)} new codes from the hold-out are not grouped up to a "
                                f"{_noun(levels[0].value, 1)} yet ({_names(waiting, unit)}): group them into "
                                "existing or new ones, then report again")
    return "saturated", (f"no new {_tested(levels)} with support in at least {min_support} hold-out {unit} emerged from "
                         f"the {total} hold-out documents (each coded to at least {floor:.0%} of its sentences), "
                         "and the model is unchanged at these levels since release")


def _reconcile(verdict: str, curve: Curve) -> str:
    """One sentence putting the curve beside the hold-out verdict."""
    scope = f"{len(curve.documents)} coded documents" + (f" ({', '.join(curve.kinds)})" if curve.kinds else "")
    if not curve.determined:
        return (f"The new-code curve cannot be determined ({curve.message.rstrip('.')}), so the hold-out verdict "
                "stands alone.")
    if curve.point is None:
        tail = ("the hold-out verdict, which tests the finished model on unseen material, is the test"
                if verdict != "not saturated" else "this agrees with the hold-out verdict")
        return f"The curve over {scope} in {curve.order} order never levels off; {tail}."
    held = sum(p.holdout for p in curve.post_point)
    n = len(curve.post_point)
    after = (f"{n} new {curve.level} {'code' if n == 1 else 'codes'} still appeared after it "
             f"({', '.join(p.ref for p in curve.post_point[:6])}{', ...' if len(curve.post_point) > 6 else ''}; "
             f"{held} of them in hold-out documents)" if curve.post_point else "no new codes appeared after it")
    if verdict == "saturated":
        return (f"The curve over {scope} in {curve.order} order levels off at {curve.point} and {after}; "
                "it agrees with the hold-out verdict.")
    return (f"The curve over {scope} in {curve.order} order levels off at {curve.point} and {after}, but a flat run "
            f"of {curve.run_length} documents is a stopping heuristic: the hold-out verdict ({verdict}) decides.")


MEANING_HOOK = ("Meaning saturation (new properties or dimension values from hold-out codings, Hennink et al. 2017) "
                "is not measured: this project records no properties or dimensions of codes.")


def _meaning(session: Session, project: Project, codings: list[CodingRow], held: set[int]) -> str:
    """Meaning saturation (Hennink et al. 2017), one sentence: whether hold-out codings placed quotations on a
    property or a dimension value that no other coding had (``codings``: those the coder may see)."""
    properties = {row.id: row for row in session.exec(select(PropertyRow)).all()}
    if not properties:
        return MEANING_HOOK
    holdout_coding = {c.id for c in codings if c.document_id in held}
    visible = {c.id for c in codings}
    seen: dict[tuple[int, str], set[int]] = defaultdict(set)  # (property, value) -> codings there
    for property_id, value, coding_id in session.exec(select(DimensionValueRow.property_id, DimensionValueRow.value,
                                                            DimensionValueRow.coding_id)).all():
        if coding_id in visible:
            seen[(property_id, value)].add(coding_id)
    placed = sum(len(ids & holdout_coding) for ids in seen.values())
    grounded = {p for (p, _value), ids in seen.items() if ids - holdout_coding}  # properties outside the hold-out
    new: dict[tuple[int, str | None], int] = Counter()  # (property, value or None for the whole property) -> quotations
    for (property_id, value), ids in sorted(seen.items()):
        if ids <= holdout_coding:
            new[(property_id, None if property_id not in grounded else value)] += len(ids)
    news = []
    for (property_id, value), count in new.items():
        row = properties[property_id]
        code = session.get(CodeRow, row.code_id)
        what = f"property {row.name!r}" if value is None else f"value {value!r} of {row.name!r}"
        news.append(f"{project.prefixes.ref(Level(code.level), code.number)} {code.label}: {what} "
                    f"({count} hold-out quotations)")
    if not placed:
        return (f"Meaning saturation (Hennink et al. 2017) is undetermined: no hold-out quotation is placed on any of "
                f"the {len(properties)} properties yet (place them with `v` in the reader or `gtcode property set`).")
    if news:
        return (f"Meaning is not saturated (Hennink et al. 2017): hold-out codings placed {placed} quotations on "
                f"properties and added what no other coding had: {'; '.join(news)}.")
    return (f"Meaning is saturated (Hennink et al. 2017): hold-out codings placed {placed} quotations on properties "
            f"and added no new property or dimension value.")


def saturation_report(project: Project, levels: str = DEFAULT_LEVELS, min_support: int = DEFAULT_MIN_SUPPORT,
                      base_size: int = 4, run_length: int = 2, threshold: float = 0.05, orders: int = 1000,
                      seed: int = 0, *, support: str = DEFAULT_SUPPORT, min_coverage: float = DEFAULT_MIN_COVERAGE,
                      curve_level: str = DEFAULT_CURVE_LEVEL, order: str = DEFAULT_ORDER,
                      kinds: tuple[str, ...] = ()) -> SaturationReport:
    """The hold-out test of the model as it stood at the release, its verdict, and the new-code curve."""
    tested = parse_levels(levels)
    if support not in SUPPORT_UNITS:
        raise GtcodeError(f"--support {support!r}: use documents, cases or quotations")
    if min_support < 1:
        raise GtcodeError(f"--min-support {min_support}: a new code needs support of at least 1; give 1 or more")
    if not 0 <= min_coverage <= 1:
        raise GtcodeError(f"--min-coverage {min_coverage}: give a share from 0 to 1, e.g. 0.5")
    if curve_level not in CURVE_LEVELS:
        raise GtcodeError(f"--curve-level {curve_level!r}: use phenomenon, concept, category or main")
    with project.read() as session:
        holdout = holdout_row(session)
        if holdout is None:
            raise NotFound(f"there is no hold-out: {run('holdout.split')} first, then build the theory")
        codes = _Codes(session, project)
        codings = _visible_codings(session, project.coder)
        held = set(session.exec(select(DocumentRow.id).where(DocumentRow.split == "holdout")).all())
        released = holdout.released_at is not None
        now = current_state(session, project, {c.id: c.code_id for c in codings})
        then: ModelState = state_from_snapshot(holdout.snapshot or {}) if released else now
        existing = set(then.codes)
        in_holdout = [c for c in codings if c.document_id in held]
        new, ungrouped, build = _new_codes(session, codes, codings, existing, held, tested, support, min_support)
        changes = model_diff(then, now, {c.id: c.code_id for c in codings}) if released else ()
        counting_changes = _counting(changes, tested)
        coverage = _coverage(session, held, in_holdout, min_coverage) if released else []
        verdict, reason = _verdict(released, len(held), tested, support, min_support, min_coverage,
                                   [c for c in new if c.counts], counting_changes, coverage, ungrouped)
        curve = _curve(session, codes, codings, held, parse_level(curve_level), order, tuple(kinds), base_size, run_length,
                       threshold, orders, seed)
        phenomena = {c.code_id for c in in_holdout}
        return SaturationReport(
            phase=project_row(session).phase,
            released_at=holdout.released_at.isoformat() if released else None,
            holdout_documents=len(held), holdout_coded=len({c.document_id for c in in_holdout}),
            codings=len(in_holdout), phenomena=len(phenomena), attached=_attachment(codes, phenomena, existing),
            levels=tuple(level.value for level in tested), tested=_tested(tested), support=support, min_support=min_support,
            min_coverage=min_coverage, coverage=tuple(coverage), new_codes=tuple(new), ungrouped=tuple(ungrouped),
            build_changes=tuple(build), snapshot_complete=then.complete, changes=tuple(changes),
            counting_changes=tuple(counting_changes), verdict=verdict, reason=reason,
            reconciliation=_reconcile(verdict, curve), meaning=_meaning(session, project, codings, held), curve=curve,
        )


@dataclass(frozen=True)
class ModelDiff:
    """The model's changes since the release, and those at the tested levels (which make it not saturated)."""

    released_at: datetime
    levels: tuple[str, ...]
    snapshot_complete: bool
    changes: tuple[ModelChange, ...]
    counting: tuple[ModelChange, ...]


def _counting(changes, tested: tuple[Level, ...]) -> list[ModelChange]:
    """Changes at or above the lowest tested level; new codes are judged by their support instead."""
    return [c for c in changes if c.kind != "new" and Level(c.level).rank >= tested[0].rank]


def model_changes(project: Project, levels: str = DEFAULT_LEVELS) -> ModelDiff:
    """New, merged, split, moved, renamed, redefined and deleted codes, relationship, paradigm and core changes."""
    tested = parse_levels(levels)
    with project.read() as session:
        holdout = holdout_row(session)
        if holdout is None or holdout.released_at is None:
            raise NotFound("the hold-out is not released, so there is no release snapshot to compare with: "
                           f"{run('holdout.release')} when the theory is built")
        codings = coding_codes(session, project.coder)
        then = state_from_snapshot(holdout.snapshot or {})
        changes = model_diff(then, current_state(session, project, codings), codings)
        return ModelDiff(holdout.released_at, tuple(level.value for level in tested), then.complete, changes,
                         tuple(_counting(changes, tested)))


class _Index:
    """TF-IDF vectors of coded quotations, for the highest cosine of a sentence to any of them."""

    def __init__(self, entries: list[tuple[str, list[str]]]):
        self.labels = [label for label, _ in entries]
        df = Counter(token for _, tokens in entries for token in set(tokens))
        self.size = len(entries)
        self.idf = {token: math.log((self.size + 1) / (1 + n)) + 1 for token, n in df.items()}
        self.vectors = [self._vector(tokens) for _, tokens in entries]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, (_, tokens) in enumerate(entries):
            for token in set(tokens):
                self.postings[token].append(index)

    def _vector(self, tokens: list[str]) -> tuple[dict[str, float], float]:
        default = math.log(self.size + 1) + 1
        weights = {t: (1 + math.log(n)) * self.idf.get(t, default) for t, n in Counter(tokens).items()}
        return weights, math.sqrt(sum(w * w for w in weights.values()))

    def nearest(self, tokens: list[str]) -> tuple[str | None, float]:
        query, norm = self._vector(tokens)
        best: tuple[float, str | None] = (0.0, None)
        for index in {i for token in query for i in self.postings.get(token, ())}:
            weights, other = self.vectors[index]
            score = sum(w * weights.get(t, 0.0) for t, w in query.items()) / (norm * other)
            best = max(best, (score, self.labels[index]), key=lambda pair: pair[0])
        return best[1], best[0]


def _require_released(session: Session, what: str) -> None:
    holdout = holdout_row(session)
    if holdout is None or holdout.released_at is None:
        raise Forbidden(f"{what} reads the hold-out, which stays unseen while the theory is built: "
                        f"{run('holdout.release')} first")


def triage(project: Project, limit: int = 20) -> list[TriageItem]:
    """Uncoded hold-out sentences, most unlike any coded quotation first: where to look first (a hint only)."""
    from gtcode.text.keywords import tokenize

    if limit < 1:
        raise GtcodeError(f"--limit {limit}: give 1 or more")
    with project.read() as session:
        _require_released(session, "triage")
        codes = _Codes(session, project)
        codings = _visible_codings(session, project.coder, quotes=True)
        documents = {d.id: d for d in session.exec(select(DocumentRow)).all()}
        index = _Index([(codes.ref(c.code_id), tokenize(c.quote, documents[c.document_id].lang)) for c in codings])
        spans = defaultdict(list)
        for coding in codings:
            spans[coding.document_id].append((coding.start, coding.end))
        held = [d for d in documents.values() if d.split == "holdout"]
        segments = session.exec(select(SegmentRow).where(SegmentRow.document_id.in_([d.id for d in held]))
                                .order_by(SegmentRow.document_id, SegmentRow.idx)).all()
    items = []
    for segment in segments:
        document = documents[segment.document_id]
        if any(s < segment.end and e > segment.start for s, e in spans[document.id]):
            continue
        text = document.text[segment.start:segment.end]
        tokens = tokenize(text, document.lang)
        if not tokens:
            continue
        nearest, score = index.nearest(tokens)
        items.append(TriageItem(document.id, document.title, segment.idx, segment.start, segment.end,
                                text.strip(), round(1 - score, 3), nearest))
    items.sort(key=lambda item: (-item.novelty, item.document_id, item.sentence))
    return items[:limit]


def _query(session: Session, coding_or_text: str) -> tuple[str, str, int | None]:
    """The text, language and coding id to find similar codes for."""
    from gtcode.text.language import detect_language

    text = coding_or_text.strip()
    if not text:
        raise GtcodeError("give a coding id or some text to find similar codes for")
    ref = text.removeprefix("coding:")
    if ref.isdigit():
        coding = session.get(CodingRow, number) if (number := parse_number(ref)) is not None else None
        if coding is None:
            raise NotFound(f"no coding {ref}: list a document's codings {where('show')}")
        document = session.get(DocumentRow, coding.document_id)
        ensure_visible(session, document)
        return coding.quote, document.lang, coding.id
    return text, detect_language(text), None


SUGGEST_QUOTES = 3  # newest visible quotations per phenomenon under a candidate that a suggestion compares with
_BAG_CACHES: dict[str, BagCache] = {}  # per project database: tokenised candidates of the last suggestion


def suggest(project: Project, coding_or_text: str, k: int = 5) -> list[Suggestion]:
    """Existing concepts, categories and main categories most like a coding's quotation or a text.

    Each candidate is its label, definition and the ``SUGGEST_QUOTES`` newest visible quotations of each
    phenomenon under it (so its text grows with its codes, not with their codings); ranking is TF-IDF cosine over jieba words
    (Chinese) or word tokens (English), in the language of the query. Candidates are tokenised again only
    when their text changed since the last suggestion in this project.
    """
    from gtcode.text.keywords import rank_bags

    with project.read() as session:
        query, lang, own = _query(session, coding_or_text)
        codes = _Codes(session, project)
        texts: dict[int, list[str]] = {row.id: [row.label, row.definition] for row in codes.rows.values()
                                       if Level(row.level) in GROUP_LEVELS}
        examples: dict[int, str] = {}
        sampled: Counter[tuple[int, int]] = Counter()  # (candidate, phenomenon): quotations taken
        for coding in reversed(_visible_codings(session, project.coder, quotes=True)):  # newest first
            if coding.id == own:
                continue
            for row in codes.chain(coding.code_id)[1:]:
                if row.id in texts and sampled[row.id, coding.code_id] < SUGGEST_QUOTES:
                    sampled[row.id, coding.code_id] += 1
                    texts[row.id].append(coding.quote)
                    examples.setdefault(row.id, coding.quote)
    cache = _BAG_CACHES.setdefault(project.url, BagCache())
    ranked = rank_bags(query, cache.bags({key: "\n".join(parts) for key, parts in texts.items()}, lang), lang, k)
    return [Suggestion(codes.ref(key), codes.rows[key].level, codes.rows[key].label, round(score, 3),
                       examples.get(key, "")) for key, score in ranked]

