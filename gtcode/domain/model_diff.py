"""The theory as plain data at one moment (:class:`ModelState`) and what changed between two moments.

A state holds every code (level, parent, label, definition, and for phenomena the codings they hold),
every relationship (including those that point at another relationship), the paradigm slots, the core
category, the outcome and the story line, all keyed by database id (ids are never reused, so an id names
the same code at release and now). ``model_diff`` names each change in one sentence, e.g. "A8 moved from
M6 to M5", with the level it happened at, so a saturation verdict can weigh changes at the tested levels.

A state read from a release snapshot of an older gtcode holds codes only (``complete`` is False): then
definitions, relationships, the paradigm, core, outcome and story line are not compared.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gtcode.domain.levels import Level
from gtcode.domain.paradigm import Slot

SNAPSHOT_VERSION = 2
"""Version of the release snapshot format; snapshots without a version hold codes only (gtcode before v2)."""


@dataclass(frozen=True)
class CodeState:
    id: int
    ref: str
    level: str
    label: str
    parent_id: int | None
    definition: str | None = None  # None: not recorded (older snapshot)
    codings: frozenset[int] = frozenset()  # coding ids a phenomenon held


@dataclass(frozen=True)
class RelationshipState:
    id: int
    ref: str
    source_id: int
    type: str
    target_code_id: int | None
    target_relationship_id: int | None


@dataclass(frozen=True)
class ModelState:
    codes: dict[int, CodeState]
    relationships: dict[int, RelationshipState] = field(default_factory=dict)
    paradigm: dict[tuple[int, str], tuple[tuple[int, ...], str]] = field(default_factory=dict)
    core_id: int | None = None
    outcome_id: int | None = None
    storyline: str = ""
    complete: bool = True  # False: an older snapshot of codes only

    def as_dict(self, taken_at: str) -> dict:
        """The JSON-ready release snapshot (``SNAPSHOT_VERSION``)."""
        return {
            "version": SNAPSHOT_VERSION, "taken_at": taken_at,
            "codes": [{"id": c.id, "ref": c.ref, "level": c.level, "label": c.label, "parent_id": c.parent_id,
                       "parent_ref": self.codes[c.parent_id].ref if c.parent_id in self.codes else None,
                       "definition": c.definition or "", "codings": sorted(c.codings)}
                      for c in self.codes.values()],
            "relationships": [{"id": r.id, "ref": r.ref, "source_id": r.source_id, "type": r.type,
                               "target_code_id": r.target_code_id, "target_relationship_id": r.target_relationship_id}
                              for r in self.relationships.values()],
            "paradigm": [{"main_id": main, "slot": slot, "categories": list(categories), "text": text}
                         for (main, slot), (categories, text) in self.paradigm.items()],
            "core_id": self.core_id, "outcome_id": self.outcome_id, "storyline": self.storyline,
        }


def state_from_snapshot(data: dict) -> ModelState:
    """A state from a stored release snapshot: the current format, or an older one of codes only."""
    complete = data.get("version", 1) >= SNAPSHOT_VERSION
    codes = {c["id"]: CodeState(c["id"], c["ref"], c["level"], c["label"], c.get("parent_id"),
                                c.get("definition", "") if complete else None, frozenset(c.get("codings", ())))
             for c in data.get("codes", [])}
    if not complete:
        return ModelState(codes, complete=False)
    relationships = {r["id"]: RelationshipState(r["id"], r["ref"], r["source_id"], r["type"], r.get("target_code_id"),
                                                r.get("target_relationship_id"))
                     for r in data.get("relationships", [])}
    paradigm = {(p["main_id"], p["slot"]): (tuple(p["categories"]), p.get("text") or "")
                for p in data.get("paradigm", [])}
    return ModelState(codes, relationships, paradigm, data.get("core_id"), data.get("outcome_id"),
                      data.get("storyline") or "")


@dataclass(frozen=True)
class ModelChange:
    """One change of the model since release, in one sentence."""

    kind: str  # new | merged | split | moved | renamed | redefined | deleted | relationship | paradigm | core | outcome | story line
    level: str  # the level it happened at: a code's level; relationships and paradigm "main"; core, outcome, story "core"
    ref: str
    text: str


_SLOT_NAMES = {Slot.CAUSAL.value: "causal conditions", Slot.PHENOMENON.value: "phenomenon",
               Slot.CONTEXT.value: "context", Slot.INTERVENING.value: "intervening conditions",
               Slot.STRATEGY.value: "strategies", Slot.CONSEQUENCE.value: "consequences"}


class _Diff:
    def __init__(self, then: ModelState, now: ModelState, coding_codes: dict[int, int]):
        self.then, self.now, self.coding_codes = then, now, coding_codes
        self.changes: list[ModelChange] = []
        self.merged_into: dict[int, int] = {}
        self.split_into: dict[int, set[int]] = {}
        self.children: dict[int, list[int]] = {}  # released children of each released code
        for code in then.codes.values():
            if code.parent_id is not None:
                self.children.setdefault(code.parent_id, []).append(code.id)

    def ref(self, code_id: int | None) -> str:
        code = self.now.codes.get(code_id) or self.then.codes.get(code_id)
        return code.ref if code else "(none)"

    def add(self, kind: str, level: str, ref: str, text: str) -> None:
        self.changes.append(ModelChange(kind, level, ref, text))

    def members_now(self, code: CodeState) -> Counter:
        """Where a released code's members (child codes, or a phenomenon's codings) sit now."""
        if code.level == Level.PHENOMENON.value:
            return Counter(self.coding_codes[c] for c in code.codings if c in self.coding_codes)
        return Counter(self.now.codes[c].parent_id for c in self.children.get(code.id, ()) if c in self.now.codes)

    def codes(self) -> None:
        then, now = self.then.codes, self.now.codes
        for code in then.values():
            places = self.members_now(code)
            if code.id not in now:
                targets = [t for t in places if t is not None and t in then and t != code.id]
                if len(targets) == 1:
                    self.merged_into[code.id] = targets[0]
                    self.add("merged", code.level, code.ref,
                             f"{code.ref} {code.label} merged into {self.ref(targets[0])}")
                else:
                    self.add("deleted", code.level, code.ref, f"{code.ref} {code.label} deleted")
                continue
            fresh = sorted({t for t in places if t is not None and t not in then}, key=self.ref)
            if fresh:
                self.split_into[code.id] = set(fresh)
                unit = "codings" if code.level == Level.PHENOMENON.value else "codes"
                self.add("split", code.level, code.ref, f"{code.ref} {code.label} split: " + ", ".join(
                    f"{self.ref(t)} took {places[t]} of its {sum(places.values())} {unit}" for t in fresh))
        for code in sorted(now.values(), key=lambda c: (-Level(c.level).rank, c.ref)):
            old = then.get(code.id)
            if old is None:
                self.add("new", code.level, code.ref, f"{code.ref} {code.label} is new")
                continue
            if old.label != code.label:
                self.add("renamed", code.level, code.ref, f"{code.ref} renamed from {old.label!r} to {code.label!r}")
            if old.definition is not None and old.definition != code.definition:
                self.add("redefined", code.level, code.ref, f"{code.ref} {code.label}: definition changed")
            if old.parent_id != code.parent_id and not self._follows(old.parent_id, code.parent_id):
                self.add("moved", code.level, code.ref, f"{code.ref} {code.label} moved from "
                         f"{self.ref(old.parent_id)} to {self.ref(code.parent_id)}")

    def _follows(self, old_parent: int | None, new_parent: int | None) -> bool:
        """A move that only follows its parent's merge or split (already named)."""
        return (old_parent is not None and new_parent is not None
                and (self.merged_into.get(old_parent) == new_parent or new_parent in self.split_into.get(old_parent, ())))

    def rel_text(self, rel: RelationshipState) -> str:
        target = (self._rel_ref(rel.target_relationship_id) if rel.target_relationship_id is not None
                  else self.ref(rel.target_code_id))
        return f"{rel.ref} ({self.ref(rel.source_id)} {rel.type} {target})"

    def _rel_ref(self, rel_id: int) -> str:
        rel = self.now.relationships.get(rel_id) or self.then.relationships.get(rel_id)
        return rel.ref if rel else "(none)"

    def relationships(self) -> None:
        then, now = self.then.relationships, self.now.relationships
        for rel in then.values():
            if rel.id not in now:
                self.add("relationship", Level.MAIN.value, rel.ref, f"relationship {self.rel_text(rel)} removed")
        for rel in now.values():
            old = then.get(rel.id)
            if old is None:
                self.add("relationship", Level.MAIN.value, rel.ref, f"relationship {self.rel_text(rel)} is new")
            elif old.type != rel.type:
                self.add("relationship", Level.MAIN.value, rel.ref,
                         f"relationship {rel.ref} retyped from {old.type} to {rel.type}")
            elif (old.source_id, old.target_code_id, old.target_relationship_id) != (
                    rel.source_id, rel.target_code_id, rel.target_relationship_id):
                self.add("relationship", Level.MAIN.value, rel.ref,
                         f"relationship {rel.ref} now links {self.rel_text(rel)}, was {self.rel_text(old)}")

    def paradigm(self) -> None:
        then, now = self.then.paradigm, self.now.paradigm
        order = {slot.value: n for n, slot in enumerate(Slot)}
        for main, slot in sorted(set(then) | set(now), key=lambda k: (self.ref(k[0]), order.get(k[1], 9))):
            old_cats, old_text = then.get((main, slot), ((), ""))
            new_cats, new_text = now.get((main, slot), ((), ""))
            parts = []
            added = [self.ref(c) for c in new_cats if c not in old_cats]
            removed = [self.ref(c) for c in old_cats if c not in new_cats]
            if added:
                parts.append(", ".join(added) + " added")
            if removed:
                parts.append(", ".join(removed) + " removed")
            if old_text != new_text:
                parts.append("its sentence changed")
            if parts:
                self.add("paradigm", Level.MAIN.value, self.ref(main),
                         f"paradigm of {self.ref(main)}, {_SLOT_NAMES.get(slot, slot)}: {'; '.join(parts)}")

    def selective(self) -> None:
        for kind, old, new in (("core", self.then.core_id, self.now.core_id),
                               ("outcome", self.then.outcome_id, self.now.outcome_id)):
            if old != new:
                name = "core category" if kind == "core" else "outcome"
                self.add(kind, Level.CORE.value, self.ref(new if new is not None else old),
                         f"{name} changed from {self.ref(old)} to {self.ref(new)}")
        if self.then.storyline != self.now.storyline:
            self.add("story line", Level.CORE.value, "story line", "the story line was rewritten")


def model_diff(then: ModelState, now: ModelState, coding_codes: dict[int, int]) -> tuple[ModelChange, ...]:
    """Every change from ``then`` to ``now``; ``coding_codes`` maps each coding id now to its code id.

    Codes: new, merged (a removed code whose members all sit under one released code now), split (a
    released code some of whose members sit under a new code now), moved, renamed, redefined, deleted.
    A move that only follows a merge or split of the parent is not named again. Relationships: new,
    removed, retyped, re-linked. Paradigm slots: categories added or removed, sentence changed. Core
    category, outcome and story line. Only codes are compared when ``then`` is an older snapshot.
    """
    diff = _Diff(then, now, coding_codes)
    diff.codes()
    if then.complete:
        diff.relationships()
        diff.paradigm()
        diff.selective()
    return tuple(diff.changes)
