"""The saturation test: what the hold-out added to the theory, the new-code curve, triage and suggestions.

Verdict: the theory is *saturated* when no code made after the release at the chosen level or above
(``category``: new categories and main categories; ``concept``: new concepts too) has at least
``min_support`` quotations. The default support of 2 means one idiosyncratic quotation is not yet a new
concept or category: it has to recur before it counts (a new code with one quotation is still listed).

The curve takes the coded documents of the whole corpus in coding order (by their first coding) and
counts, per document, codes seen for the first time; a coding counts as its ancestor at the chosen
level, or as its highest code when it is not grouped that far (so ungrouped new phenomena still count).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from sqlmodel import Session, select

from gtcode.domain.levels import Level, parse_level, parse_number
from gtcode.domain.saturation import new_code_counts, saturation_curve, saturation_over_orders
from gtcode.services.blinding import ensure_visible, visible_codings
from gtcode.services.documents import document_titles
from gtcode.services.errors import Forbidden, GtcodeError, NotFound
from gtcode.services.holdout import holdout_row
from gtcode.services.project import Project, project_row
from gtcode.store.tables import CodeRow, CodingRow, DocumentRow, SegmentRow
from gtcode.text.keywords import BagCache

DEFAULT_LEVEL = "category"
DEFAULT_MIN_SUPPORT = 2
REPORT_LEVELS = ("concept", "category")
GROUP_LEVELS = (Level.CONCEPT, Level.CATEGORY, Level.MAIN)


@dataclass(frozen=True)
class Quotation:
    coding_id: int
    document_id: int
    document_title: str
    code_ref: str
    quote: str


@dataclass(frozen=True)
class NewCode:
    ref: str
    level: str
    label: str
    parent_ref: str | None
    support: int
    counts: bool  # at or above the verdict's level with at least the minimum support
    quotations: tuple[Quotation, ...]


@dataclass(frozen=True)
class Curve:
    level: str
    documents: tuple[tuple[int, str], ...]  # (id, title) in coding order
    new_counts: tuple[int, ...]
    cumulative: tuple[int, ...]
    base_size: int
    run_length: int
    threshold: float
    base_unique: int
    first_ratio: float | None
    point: str | None
    documents_to_saturation: int | None
    message: str
    orders: int
    median: float | None
    interval_95: tuple[float | None, float | None]
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
    level: str
    min_support: int
    new_codes: tuple[NewCode, ...]
    verdict: str  # saturated | not saturated | not yet
    verdict_text: str
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
        self._keys: dict[tuple[int, Level], int] = {}

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
        return next((row for row in self.chain(code_id) if row.level == level.value), None)

    def curve_key(self, code_id: int, level: Level) -> int:
        """The ancestor at ``level``, else the highest code below it."""
        key = self._keys.get((code_id, level))
        if key is None:
            below = [row for row in self.chain(code_id) if Level(row.level).rank <= level.rank]
            key = self._keys[code_id, level] = below[-1].id
        return key


def _visible_codings(session: Session, coder: str) -> list[CodingRow]:
    return list(session.exec(visible_codings(session, coder).order_by(CodingRow.id)).all())


def _curve(session: Session, codes: _Codes, codings: list[CodingRow], level: Level, base_size: int,
           run_length: int, threshold: float, orders: int, seed: int) -> Curve:
    per_document: dict[int, set[int]] = {}
    for coding in codings:  # ordered by id, so documents come in the order of their first coding
        per_document.setdefault(coding.document_id, set()).add(codes.curve_key(coding.code_id, level))
    titles = document_titles(session, set(per_document))
    sets = list(per_document.values())
    counts = new_code_counts(sets)
    one = saturation_curve(counts, base_size, run_length, threshold)
    many = saturation_over_orders(sets, orders, seed, base_size, run_length, threshold)
    first_ratio = one.runs[0][2] if one.runs and not math.isnan(one.runs[0][2]) else None
    return Curve(
        level=level.value, documents=tuple((d, titles[d]) for d in per_document), new_counts=tuple(counts),
        cumulative=one.cumulative, base_size=base_size, run_length=run_length, threshold=threshold,
        base_unique=one.base_unique, first_ratio=first_ratio, point=one.point,
        documents_to_saturation=one.documents_to_saturation, message=one.message, orders=orders,
        median=many.median_documents, interval_95=many.interval_95, orders_message=many.message,
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


def _new_codes(session: Session, codes: _Codes, codings: list[CodingRow], existing: set[int], level: Level,
               min_support: int) -> list[NewCode]:
    titles = document_titles(session, {c.document_id for c in codings})
    under: dict[int, list[CodingRow]] = defaultdict(list)
    for coding in codings:
        for row in codes.chain(coding.code_id)[1:]:
            under[row.id].append(coding)
    result = []
    for row in sorted(codes.rows.values(), key=lambda r: (Level(r.level).rank, r.number)):
        if row.id in existing or Level(row.level) not in GROUP_LEVELS:
            continue
        quotes = tuple(Quotation(c.id, c.document_id, titles[c.document_id], codes.ref(c.code_id), c.quote)
                       for c in under[row.id])
        counts = Level(row.level).rank >= level.rank and len(quotes) >= min_support
        result.append(NewCode(codes.ref(row.id), row.level, row.label, codes.ref(row.parent_id), len(quotes),
                              counts, quotes))
    return result


def _verdict(released: bool, total: int, coded: int, level: Level, min_support: int,
             new_codes: list[NewCode]) -> tuple[str, str]:
    if not released:
        return "not yet", (f"not yet: the hold-out ({total} documents) is not released; build the theory, "
                           "then run `gtcode holdout release`")
    if coded == 0:
        return "not yet", f"not yet: none of the {total} hold-out documents is coded; code them, then report again"
    provisional = "" if coded == total else f" (provisional: {coded} of {total} hold-out documents coded)"
    counting = [c for c in new_codes if c.counts]
    scope = "concept or category" if level == Level.CONCEPT else "category"
    if not counting:
        return "saturated", (f"saturated: no new {scope} with at least {min_support} quotations emerged from "
                             f"{coded} hold-out documents{provisional}")
    refs = ", ".join(f"{c.ref} {c.label} ({c.support})" for c in counting)
    noun = "code" if len(counting) == 1 else "codes"
    return "not saturated", f"not saturated: {len(counting)} new {scope} {noun} emerged: {refs}{provisional}"


def saturation_report(project: Project, level: str = DEFAULT_LEVEL, min_support: int = DEFAULT_MIN_SUPPORT,
                      base_size: int = 4, run_length: int = 2, threshold: float = 0.05, orders: int = 1000,
                      seed: int = 0) -> SaturationReport:
    """What coding the hold-out added to the theory as it stood at the release, and the verdict."""
    if level not in REPORT_LEVELS:
        raise GtcodeError(f"unknown report level {level!r}: use concept or category")
    if min_support < 1:
        raise GtcodeError(f"--min-support {min_support}: a new code needs at least 1 quotation; give 1 or more")
    chosen = parse_level(level)
    with project.read() as session:
        holdout = holdout_row(session)
        if holdout is None:
            raise NotFound("there is no hold-out: run `gtcode holdout split` first, then build the theory")
        codes = _Codes(session, project)
        codings = _visible_codings(session, project.coder)
        held = set(session.exec(select(DocumentRow.id).where(DocumentRow.split == "holdout")).all())
        released = holdout.released_at is not None
        existing = {code["id"] for code in (holdout.snapshot or {}).get("codes", [])} if released else set(codes.rows)
        in_holdout = [c for c in codings if c.document_id in held]
        new_codes = _new_codes(session, codes, codings, existing, chosen, min_support)
        coded = len({c.document_id for c in in_holdout})
        verdict, text = _verdict(released, len(held), coded, chosen, min_support, new_codes)
        phenomena = {c.code_id for c in in_holdout}
        return SaturationReport(
            phase=project_row(session).phase,
            released_at=holdout.released_at.isoformat() if released else None,
            holdout_documents=len(held), holdout_coded=coded, codings=len(in_holdout), phenomena=len(phenomena),
            attached=_attachment(codes, phenomena, existing), level=level, min_support=min_support,
            new_codes=tuple(new_codes), verdict=verdict, verdict_text=text,
            curve=_curve(session, codes, codings, chosen, base_size, run_length, threshold, orders, seed),
        )


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
                        "run `gtcode holdout release` first")


def triage(project: Project, limit: int = 20) -> list[TriageItem]:
    """Uncoded hold-out sentences, most unlike any coded quotation first: where to look first (a hint only)."""
    from gtcode.text.keywords import tokenize

    if limit < 1:
        raise GtcodeError(f"--limit {limit}: give 1 or more")
    with project.read() as session:
        _require_released(session, "triage")
        codes = _Codes(session, project)
        codings = _visible_codings(session, project.coder)
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
            raise NotFound(f"no coding {ref}: list a document's codings with `gtcode show DOC`")
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
        for coding in reversed(_visible_codings(session, project.coder)):  # newest first
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

