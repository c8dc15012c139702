"""A REFI-QDA code tree as codes of fixed levels (a :class:`ModelSnapshot`), and back.

Our codes travel named ``<ref> <label>`` (``A1 Information sharing``); a name that reads so
with the prefixes in use keeps its level and number. Any other code gets its level from the
tree (see docs/exchange.md): a root by its height (leaf -> phenomenon, 1 -> concept,
2 -> category, 3 or more -> main), each child one level below its parent; a code that would
be a main category under a main category becomes a root. A non-phenomenon with codings gets
a phenomenon of its own label under it (through a concept of that label for higher levels),
which takes the codings. Unnumbered codes get the next free numbers of their level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gtcode.domain.entries import description_text, parse_description
from gtcode.domain.levels import Level, Prefixes
from gtcode.domain.model import CodeSpec, ModelSnapshot
from gtcode.exchange.refi import RefiCode
from gtcode.exchange.refi.values import canonical_colour

_BY_HEIGHT = (Level.PHENOMENON, Level.CONCEPT, Level.CATEGORY, Level.MAIN)
_HEIGHT = {level: height for height, level in enumerate(_BY_HEIGHT)}
_REF_NAME = re.compile(r"(\S+?):?\s+(\S.*)", re.DOTALL)


def code_name(ref: str, label: str) -> str:
    """The REFI name of one of our codes."""
    return f"{ref} {label}"


def parse_code_name(name: str, prefixes: Prefixes) -> tuple[Level, int, str] | None:
    """(level, number, label) of a name like ``aa2 Data sharing`` or ``aa2: Data sharing``."""
    match = _REF_NAME.fullmatch(name.strip())
    parsed = prefixes.parse_ref(match.group(1)) if match else None
    if parsed is None:
        return None
    return parsed[0], parsed[1], match.group(2).strip()


@dataclass
class TreeCodes:
    """Codes derived from a tree: the snapshot, which ref each REFI code's codings go to, warnings."""

    snapshot: ModelSnapshot
    coding_refs: dict[str, str] = field(default_factory=dict)  # REFI code GUID -> phenomenon ref
    code_refs: dict[str, str] = field(default_factory=dict)  # REFI code GUID -> its ref
    warnings: list[str] = field(default_factory=list)


def _colour(code: RefiCode | None) -> str | None:
    colour = canonical_colour(code.colour) if code is not None and code.colour else None
    return colour.lower() if colour else None


def _entry(code: RefiCode | None) -> dict[str, str]:
    """A code's definition, codebook entry and memo from its Description (structured text,
    ``gtcode.domain.entries``)."""
    return parse_description(code.description or "") if code is not None else {}


def _height(code: RefiCode) -> int:
    return 1 + max((_height(child) for child in code.children), default=-1)


class _TreeReader:
    def __init__(self, base: ModelSnapshot, prefixes: Prefixes, taken: dict[Level, int], coded: set[str]) -> None:
        self.base, self.prefixes, self.coded = base, prefixes, coded
        self.known = {spec.ref: spec for spec in base.codes}
        self.next = dict(taken)
        for spec in base.codes:
            parsed = prefixes.parse_ref(spec.ref)
            if parsed:
                self.next[parsed[0]] = max(self.next.get(parsed[0], 0), parsed[1])
        self.specs: list[CodeSpec] = []
        self.result = TreeCodes(base)

    def fresh_ref(self, level: Level) -> str:
        self.next[level] = self.next.get(level, 0) + 1
        return self.prefixes.ref(level, self.next[level])

    def add(self, level: Level, label: str, parent: str | None, code: RefiCode | None = None) -> str:
        ref = self.fresh_ref(level)
        colour = _colour(code)
        self.specs.append(CodeSpec(ref, level, label, colour=colour, parent=parent, **_entry(code)))
        return ref

    def walk(self, code: RefiCode, parent: tuple[str, Level] | None) -> None:
        named = parse_code_name(code.name, self.prefixes)
        ref = None
        if named is not None and named[1] > 0:
            level, number, label = named
            ref = self.prefixes.ref(level, number)
            if ref not in self.known and not any(s.ref == ref for s in self.specs):
                self.next[level] = max(self.next.get(level, 0), number)
                colour = _colour(code)
                self.specs.append(CodeSpec(ref, level, label, colour=colour,
                                           parent=self.parent_ref(parent, level, code), **_entry(code)))
        else:
            height = _HEIGHT[_BY_HEIGHT[min(_height(code), 3)]]
            if parent is not None and height <= _HEIGHT.get(parent[1], 0) - 1:
                level = _BY_HEIGHT[_HEIGHT[parent[1]] - 1]
            else:
                level = _BY_HEIGHT[height]
            ref = self.add(level, code.name.strip() or "(unnamed)", self.parent_ref(parent, level, code), code)
        level = self.prefixes.parse_ref(ref)[0]
        self.result.code_refs[code.guid] = ref
        if code.guid in self.coded:
            self.result.coding_refs[code.guid] = self.phenomenon_under(ref, level, code)
        for child in code.children:
            self.walk(child, (ref, level))

    def parent_ref(self, parent: tuple[str, Level] | None, level: Level, code: RefiCode) -> str | None:
        if parent is None:
            return None
        if level.parent_level != parent[1]:
            self.result.warnings.append(f"code {code.name!r}: a {level.value} cannot sit under a {parent[1].value}, "
                                        "imported ungrouped")
            return None
        return parent[0]

    def phenomenon_under(self, ref: str, level: Level, code: RefiCode) -> str:
        """The phenomenon that takes a code's codings: itself, or a new one of its label below it."""
        if level == Level.PHENOMENON:
            return ref
        if _HEIGHT.get(level) is None:
            self.result.warnings.append(f"code {code.name!r} is a {level.value}: its codings are left out")
            return ""
        label = self.label(ref)
        while level != Level.PHENOMENON:
            level = _BY_HEIGHT[_HEIGHT[level] - 1]
            ref = self.add(level, label, ref)
        self.result.warnings.append(f"code {code.name!r} has codings: they go to a new phenomenon {ref} under it")
        return ref

    def label(self, ref: str) -> str:
        spec = self.known.get(ref) or next(s for s in self.specs if s.ref == ref)
        return spec.label


def tree_codes(codes: tuple[RefiCode, ...], prefixes: Prefixes, *, base: ModelSnapshot | None = None,
               taken: dict[Level, int] | None = None, coded: set[str] = frozenset()) -> TreeCodes:
    """Add a REFI code tree to ``base`` (codes whose refs ``base`` has are its own)."""
    base = base or ModelSnapshot(prefixes=prefixes.as_mapping())
    reader = _TreeReader(base, prefixes, taken or {}, set(coded))
    for code in codes:
        reader.walk(code, None)
    reader.result.snapshot = replace(base, prefixes=base.prefixes or prefixes.as_mapping(),
                                     codes=base.codes + tuple(reader.specs))
    return reader.result


def code_tree(snapshot: ModelSnapshot, guid_of, memos: bool = False) -> tuple[RefiCode, ...]:
    """Our codes as a REFI tree following parent links; names carry refs, descriptions definitions (and, with
    ``memos``, the code's memo as a section: a ``.qdc`` has no notes of its own); the codebook entry (when to
    use, when not, examples) follows the definition as sections (``gtcode.domain.entries``)."""
    children: dict[str | None, list[CodeSpec]] = {}
    for spec in snapshot.codes:
        children.setdefault(spec.parent, []).append(spec)

    def build(spec: CodeSpec) -> RefiCode:
        colour = canonical_colour(spec.colour) if spec.colour else None
        return RefiCode(guid_of(spec.ref), code_name(spec.ref, spec.label), True, colour,
                        description_text(spec.definition, when_to_use=spec.when_to_use,
                                         when_not_to_use=spec.when_not_to_use, examples=spec.examples,
                                         atypical_examples=spec.atypical_examples,
                                         memo=spec.memo if memos else "") or None,
                        tuple(build(c) for c in children.get(spec.ref, ())))

    return tuple(build(spec) for spec in children.get(None, ()))
