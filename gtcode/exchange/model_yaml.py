"""The native YAML codebook/model format, ``schema: gtcode-model/1``.

``dump_model`` writes a :class:`ModelSnapshot` as a readable tree in a stable order;
``load_model`` reads one back, checks it and reports the first problem on one line.
``load_model(dump_model(x)) == canonical_model(x)``, and ``== x`` when ``x`` is canonical.
The layout is documented in ``docs/model-format.md``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from typing import Any, NoReturn

import yaml

from gtcode.domain.errors import GtcodeError
from gtcode.domain.levels import RELATIONSHIP_PREFIX, Level, Prefixes, parse_level
from gtcode.domain.limits import Budget, Limits
from gtcode.domain.model import (
    CodeSpec,
    ModelSnapshot,
    ParadigmSpec,
    RelationshipSpec,
    RelationTypeSpec,
    SlotSpec,
)
from gtcode.domain.paradigm import Slot
from gtcode.domain.relations import BUILTIN_TYPES, canonical_type

SCHEMA = "gtcode-model/1"

_NOUNS: dict[Level, tuple[str, str]] = {
    Level.CORE: ("core category", "core categories"),
    Level.MAIN: ("main category", "main categories"),
    Level.CATEGORY: ("category", "categories"),
    Level.CONCEPT: ("concept", "concepts"),
    Level.PHENOMENON: ("phenomenon", "phenomena"),
    Level.OUTCOME: ("outcome", "outcomes"),
}
#: The key a list of codes of each level goes under, in the order the tree is written.
LEVEL_KEYS: dict[Level, str] = {level: plural.replace(" ", "_") for level, (_, plural) in _NOUNS.items()}
_LEVEL_OF_KEY = {key: level for level, key in LEVEL_KEYS.items()}
_CHILD_LEVEL = {level.parent_level: level for level in Level if level.parent_level}
_TOP_KEYS = (
    "schema", "name", "description", "citation", "prefixes", "core", "outcome",
    "storyline", "codes", "paradigms", "relation_types", "relationships",
)
_CODE_KEYS = ("ref", "label", "in_vivo", "definition", "when_to_use", "when_not_to_use", "examples",
              "atypical_examples", "colour", "memo")
_BUILTIN_NAMES = frozenset(t.name for t in BUILTIN_TYPES)
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_FOLD_AT = 60


class ModelFormatError(GtcodeError):
    """A model that cannot be read or written; the message is one line: file, place, what to do."""

    def __init__(self, source: str, place: str, problem: str) -> None:
        self.source = source
        self.place = place
        self.problem = problem
        where = f"{source}: {place}" if place else source
        super().__init__(" ".join(f"{where}: {problem}".split()))


def _noun(level: Level, plural: bool = False) -> str:
    return _NOUNS[level][plural]


def _rel_number(ref: str) -> int | None:
    match = re.fullmatch(re.escape(RELATIONSHIP_PREFIX) + r"(\d+)", ref)
    if match and f"{RELATIONSHIP_PREFIX}{int(match.group(1))}" == ref:
        return int(match.group(1))
    return None


# --------------------------------------------------------------------------- canonical order


def canonical_model(snapshot: ModelSnapshot) -> ModelSnapshot:
    """The snapshot in the order and spelling ``load_model`` returns (what ``dump_model`` writes)."""
    try:
        prefixes = Prefixes.from_mapping(snapshot.prefixes)
    except GtcodeError:
        prefixes = Prefixes()

    def number(ref: str) -> float:
        parsed = prefixes.parse_ref(ref) if isinstance(ref, str) else None
        return parsed[1] if parsed else math.inf

    def rel_key(rel: RelationshipSpec) -> tuple[float, str]:
        found = _rel_number(rel.ref)
        return (math.inf if found is None else found, rel.ref)

    slot_order = list(Slot)
    paradigms = tuple(
        replace(p, slots=tuple(sorted(
            (s for s in p.slots if s.categories or s.text),
            key=lambda s: slot_order.index(s.slot),
        )))
        for p in sorted(snapshot.paradigms, key=lambda p: (number(p.main), p.main))
    )
    return replace(
        snapshot,
        codes=tuple(sorted(snapshot.codes, key=lambda c: (c.level.rank, number(c.ref), c.ref))),
        paradigms=paradigms,
        relationships=tuple(
            replace(r, type=canonical_type(r.type)) for r in sorted(snapshot.relationships, key=rel_key)
        ),
        relation_types=tuple(sorted(
            (replace(t, name=canonical_type(t.name)) for t in snapshot.relation_types),
            key=lambda t: t.name,
        )),
    )


# --------------------------------------------------------------------------- writing


class _Refs(list):
    """A list of refs, written in flow style: ``[A6, A9, A12]``."""


class _Dumper(yaml.SafeDumper):
    """Safe dumper that indents lists under their key and keeps long text in block style."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _writes_back(text: str, style: str | None) -> bool:
    """Whether PyYAML writes ``text`` in ``style`` so that it reads back unchanged."""
    str_tag = "tag:yaml.org,2002:str"
    node = yaml.MappingNode("tag:yaml.org,2002:map", [
        (yaml.ScalarNode(str_tag, "k"), yaml.ScalarNode(str_tag, text, style=style)),
    ])
    written = yaml.serialize(node, Dumper=yaml.SafeDumper, allow_unicode=True)
    try:
        return yaml.safe_load(written) == {"k": text}
    except yaml.YAMLError:
        return False


@lru_cache(maxsize=4096)
def _text_style(text: str) -> str | None:
    """Literal block for lines, folded for long text, else PyYAML's choice; double quotes if those fail."""
    wanted = "|" if "\n" in text else ">" if len(text) > _FOLD_AT else None
    if wanted is None and text.isprintable():
        return None
    for style in (wanted, None) if wanted else (None,):
        if _writes_back(text, style):
            return style
    return '"'


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=_text_style(text))


def _represent_refs(dumper: yaml.SafeDumper, refs: _Refs) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", refs, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Refs, _represent_refs)


def dump_model(snapshot: ModelSnapshot) -> str:
    """The snapshot as ``gtcode-model/1`` YAML; raises ModelFormatError if it would not load."""
    snap = canonical_model(snapshot)
    document = _document(snap)
    _Reader("<snapshot>").model(document)
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=_FOLD_AT + 8)


def _document(snap: ModelSnapshot) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema": SCHEMA}
    for key, value in (("name", snap.name), ("description", snap.description),
                       ("citation", snap.citation)):
        if value:
            doc[key] = value
    if snap.prefixes:
        order = [level.value for level in Level]
        doc["prefixes"] = {key: snap.prefixes[key] for key in sorted(
            snap.prefixes, key=lambda k: (order.index(k) if k in order else len(order), str(k)))}
    if snap.core is not None:
        doc["core"] = snap.core
    if snap.outcome is not None:
        doc["outcome"] = snap.outcome
    if snap.storyline:
        doc["storyline"] = snap.storyline
    codes = _code_tree(snap.codes)
    if codes:
        doc["codes"] = codes
    if snap.paradigms:
        doc["paradigms"] = [_paradigm_entry(i, p) for i, p in enumerate(snap.paradigms)]
    if snap.relation_types:
        doc["relation_types"] = [
            {"name": t.name, **({"description": t.description} if t.description else {})}
            for t in snap.relation_types
        ]
    if snap.relationships:
        doc["relationships"] = [
            {"ref": r.ref, "source": r.source, "type": r.type, "target": r.target,
             **({"memo": r.memo} if r.memo else {})}
            for r in snap.relationships
        ]
    return doc


def _code_tree(codes: tuple[CodeSpec, ...]) -> dict[str, list[dict[str, Any]]]:
    """Codes nested under their parents; codes without a parent listed at their own level."""
    by_ref = {code.ref: code for code in codes}
    children: dict[str, list[CodeSpec]] = defaultdict(list)
    roots: dict[Level, list[CodeSpec]] = defaultdict(list)
    for code in codes:
        if code.parent is None:
            roots[code.level].append(code)
            continue
        parent, wanted = by_ref.get(code.parent), code.level.parent_level
        if wanted is None:
            problem = f"{code.ref!r} is a {_noun(code.level)}, which has no parent; clear the parent"
        elif parent is None or parent.level != wanted:
            problem = f"{code.ref!r} has parent {code.parent!r}, which is not a {_noun(wanted)}; fix the parent"
        else:
            children[code.parent].append(code)
            continue
        raise ModelFormatError("<snapshot>", f"codes.{code.ref}.parent", problem)

    def entry(code: CodeSpec) -> dict[str, Any]:
        item: dict[str, Any] = {"ref": code.ref, "label": code.label}
        if code.in_vivo:
            item["in_vivo"] = True
        if code.definition:
            item["definition"] = code.definition
        for key in ("when_to_use", "when_not_to_use"):
            if getattr(code, key):
                item[key] = getattr(code, key)
        for key in ("examples", "atypical_examples"):
            if getattr(code, key):
                item[key] = list(getattr(code, key))
        if code.colour is not None:
            item["colour"] = code.colour
        if code.memo:
            item["memo"] = code.memo
        if children[code.ref]:
            item[LEVEL_KEYS[_CHILD_LEVEL[code.level]]] = [entry(c) for c in children[code.ref]]
        return item

    return {LEVEL_KEYS[level]: [entry(c) for c in roots[level]] for level in LEVEL_KEYS if roots[level]}


def _paradigm_entry(index: int, paradigm: ParadigmSpec) -> dict[str, Any]:
    item: dict[str, Any] = {"main": paradigm.main}
    for spec in paradigm.slots:
        if spec.slot.value in item:
            raise ModelFormatError("<snapshot>", f"paradigms[{index}].{spec.slot.value}",
                                   "slot given twice; merge the two")
        slot: dict[str, Any] = {}
        if spec.categories:
            slot["categories"] = _Refs(spec.categories)
        if spec.text:
            slot["text"] = spec.text
        item[spec.slot.value] = slot
    return item


# --------------------------------------------------------------------------- reading


_FAST = getattr(yaml, "CSafeLoader", None)  # libyaml's safe loader when PyYAML has it: a big model (a 200,000-coding
# project's) loads several times faster


def load_model(text: str, source: str = "<string>", limits: Limits | None = None) -> ModelSnapshot:
    """Parse and validate ``gtcode-model/1`` YAML within ``limits``; raises ModelFormatError (LimitExceeded) naming ``source``."""
    try:
        document = _load(text, Budget(limits or Limits(), source))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ModelFormatError(source, place, f"not valid YAML ({problem}); fix the syntax there") from None
    return _Reader(source).model(document)


def _load(text: str, budget: Budget) -> Any:
    """The YAML document within ``budget``: by libyaml when it reads it, else (a YAML error) by PyYAML's own parser,
    whose checks and messages (line and column, libyaml's nesting limit of 1,000 not ours) are the ones shown."""
    if _FAST is not None:
        try:
            check_yaml_shape(text, Budget(budget.limits, budget.name), _FAST)
            return yaml.load(text, Loader=_FAST)
        except yaml.YAMLError:
            pass
    check_yaml_shape(text, budget)
    return yaml.safe_load(text)


def check_yaml_shape(text: str, budget: Budget, loader: type = yaml.SafeLoader) -> None:
    """Count the YAML nodes and their nesting from the event stream (PyYAML's loader recurses per level)."""
    budget.text(len(text))
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            budget.depth(depth)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif not isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            continue
        budget.element(1, "YAML nodes")


class _Reader:
    """Turns a parsed YAML document into a canonical ModelSnapshot, failing at the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.prefixes = Prefixes()
        self.code_levels: dict[str, Level] = {}
        self.code_places: dict[str, str] = {}

    def fail(self, place: str, problem: str) -> NoReturn:
        raise ModelFormatError(self.source, place, problem)

    # small typed readers

    def mapping(self, node: Any, place: str, keys: tuple[str, ...], what: str,
                unknown: str = "key") -> dict[str, Any]:
        if not isinstance(node, dict):
            self.fail(place, f"expected a mapping ({what}), got {_kind(node)}; write key: value lines")
        for key in node:
            if key not in keys:
                self.fail(f"{place}.{key}" if place else str(key),
                          f"unknown {unknown} {key!r}; use one of {', '.join(keys)}")
        return node

    def sequence(self, node: Any, place: str) -> list[Any]:
        if node is None:
            return []
        if not isinstance(node, list):
            self.fail(place, f"expected a list, got {_kind(node)}; write one '- ' item a line")
        return node

    def text(self, node: Any, place: str, *, required: bool = False) -> str:
        if node is None and not required:
            return ""
        if not isinstance(node, str):
            self.fail(place, f"expected text, got {_kind(node)}; quote the value")
        if required and not node.strip():
            self.fail(place, "is empty; fill it in")
        return node

    def flag(self, node: Any, place: str) -> bool:
        if node is None:
            return False
        if not isinstance(node, bool):
            self.fail(place, f"expected true or false, got {_kind(node)}")
        return node

    def texts(self, node: Any, place: str) -> tuple[str, ...]:
        """A list of texts (a code's example quotations)."""
        return tuple(self.text(item, f"{place}[{i}]", required=True) for i, item in enumerate(self.sequence(node, place)))

    def word(self, node: Any, place: str) -> str:
        """A required single-line value such as a ref or a type name."""
        value = self.text(node, place, required=True)
        if value != value.strip() or "\n" in value:
            self.fail(place, f"{value!r} has surrounding spaces or line breaks; write it on one line")
        return value

    # the document

    def model(self, doc: Any) -> ModelSnapshot:
        if doc is None:
            self.fail("", f"the model is empty; start it with 'schema: {SCHEMA}'")
        doc = self.mapping(doc, "", _TOP_KEYS, "a gtcode model")
        self.schema(doc.get("schema"))
        prefixes = self.read_prefixes(doc.get("prefixes"))
        codes = self.read_codes(doc.get("codes"))
        core = self.level_ref(doc.get("core"), "core", Level.CORE)
        outcome = self.level_ref(doc.get("outcome"), "outcome", Level.OUTCOME)
        declared = self.read_relation_types(doc.get("relation_types"))
        snapshot = ModelSnapshot(
            name=self.text(doc.get("name"), "name"),
            description=self.text(doc.get("description"), "description"),
            citation=self.text(doc.get("citation"), "citation"),
            prefixes=prefixes,
            codes=tuple(codes),
            paradigms=tuple(self.read_paradigms(doc.get("paradigms"))),
            relationships=tuple(self.read_relationships(doc.get("relationships"), declared)),
            relation_types=tuple(declared.values()),
            core=core,
            storyline=self.text(doc.get("storyline"), "storyline"),
            outcome=outcome,
        )
        return canonical_model(snapshot)

    def schema(self, value: Any) -> None:
        if value is None:
            self.fail("schema", f"missing; add 'schema: {SCHEMA}' as the first line")
        if value != SCHEMA:
            if isinstance(value, str) and value.startswith("gtcode-model/"):
                self.fail("schema", f"unsupported version {value!r}; this gtcode reads {SCHEMA}: "
                                    "upgrade gtcode or convert the file")
            self.fail("schema", f"{value!r} is not a gtcode model schema; use '{SCHEMA}'")

    def read_prefixes(self, node: Any) -> dict[str, str]:
        if node is None:
            return {}
        if not isinstance(node, dict):
            self.fail("prefixes", f"expected a mapping of level: prefix, got {_kind(node)}")
        result: dict[str, str] = {}
        for key, value in node.items():
            place = f"prefixes.{key}"
            try:
                level = parse_level(self.text(key, place, required=True))
            except GtcodeError as exc:
                self.fail(place, str(exc))
            result[level.value] = self.word(value, place)
        try:
            self.prefixes = Prefixes.from_mapping(result)
        except GtcodeError as exc:
            self.fail("prefixes", str(exc))
        return result

    # codes

    def read_codes(self, node: Any) -> list[CodeSpec]:
        if node is None:
            return []
        keys = tuple(LEVEL_KEYS.values())
        node = self.mapping(node, "codes", keys, "one list of codes per level")
        codes: list[CodeSpec] = []
        for key, items in node.items():
            for index, item in enumerate(self.sequence(items, f"codes.{key}")):
                self.read_code(item, f"codes.{key}[{index}]", _LEVEL_OF_KEY[key], None, codes)
        return codes

    def read_code(self, node: Any, place: str, level: Level, parent: str | None,
                  out: list[CodeSpec]) -> None:
        item = self.mapping(node, place, _CODE_KEYS + tuple(LEVEL_KEYS.values()), f"a {_noun(level)}")
        for key in ("ref", "label"):
            if key not in item:
                self.fail(place, f"missing {key!r}; every code needs a ref and a label")
        ref = self.code_ref(item["ref"], f"{place}.ref", level)
        colour = item.get("colour")
        if colour is not None and (not isinstance(colour, str) or not _COLOUR.fullmatch(colour)):
            self.fail(f"{place}.colour", f"{colour!r} is not a colour; write '#rrggbb', e.g. '#1f77b4'")
        out.append(CodeSpec(
            ref=ref,
            level=level,
            label=self.text(item["label"], f"{place}.label", required=False),
            definition=self.text(item.get("definition"), f"{place}.definition"),
            colour=colour,
            parent=parent,
            memo=self.text(item.get("memo"), f"{place}.memo"),
            when_to_use=self.text(item.get("when_to_use"), f"{place}.when_to_use"),
            when_not_to_use=self.text(item.get("when_not_to_use"), f"{place}.when_not_to_use"),
            examples=self.texts(item.get("examples"), f"{place}.examples"),
            atypical_examples=self.texts(item.get("atypical_examples"), f"{place}.atypical_examples"),
            in_vivo=self.flag(item.get("in_vivo"), f"{place}.in_vivo"),
        ))
        for key, children in item.items():
            if key not in _LEVEL_OF_KEY:
                continue
            child_level = _LEVEL_OF_KEY[key]
            if _CHILD_LEVEL.get(level) != child_level:
                self.wrong_parent(f"{place}.{key}", level, child_level)
            for index, child in enumerate(self.sequence(children, f"{place}.{key}")):
                self.read_code(child, f"{place}.{key}[{index}]", child_level, ref, out)

    def wrong_parent(self, place: str, level: Level, child_level: Level) -> NoReturn:
        holds = _CHILD_LEVEL.get(level)
        what = f"holds {_noun(holds, True)}, not {_noun(child_level, True)}" if holds else "holds no codes"
        home = child_level.parent_level
        where = f"under a {_noun(home)}" if home else f"under codes.{LEVEL_KEYS[child_level]}"
        self.fail(place, f"a {_noun(level)} {what}; move these {_noun(child_level, True)} {where}")

    def code_ref(self, node: Any, place: str, level: Level) -> str:
        ref = self.word(node, place)
        parsed = self.prefixes.parse_ref(ref)
        prefix = self.prefixes.prefix(level)
        if parsed is None:
            self.fail(place, f"{ref!r} is not a code ref; write {prefix}<number>")
        if parsed[0] != level:
            self.fail(place, f"{ref!r} is a {_noun(parsed[0])} ref but this list holds "
                             f"{_noun(level, True)}; use the prefix {prefix!r} or move the code")
        if self.prefixes.ref(*parsed) != ref:
            self.fail(place, f"{ref!r} is not written plainly; write {self.prefixes.ref(*parsed)}")
        if ref in self.code_places:
            self.fail(place, f"duplicate ref {ref!r} (first at {self.code_places[ref]}); renumber one")
        self.code_places[ref] = place
        self.code_levels[ref] = level
        return ref

    def level_ref(self, node: Any, place: str, level: Level) -> str | None:
        """A ref that must name an existing code of ``level`` (core, outcome, paradigm main)."""
        if node is None:
            return None
        ref = self.word(node, place)
        found = self.code_levels.get(ref)
        if found is None:
            self.fail(place, f"no code {ref!r}; add it under codes.{LEVEL_KEYS[level]} or fix the ref")
        if found != level:
            self.fail(place, f"{ref!r} is a {_noun(found)}, not a {_noun(level)}; "
                             f"name a {_noun(level)} ({self.prefixes.prefix(level)}...)")
        return ref

    # paradigms

    def read_paradigms(self, node: Any) -> list[ParadigmSpec]:
        keys = ("main",) + tuple(slot.value for slot in Slot)
        result: list[ParadigmSpec] = []
        seen: dict[str, str] = {}
        for index, entry in enumerate(self.sequence(node, "paradigms")):
            place = f"paradigms[{index}]"
            item = self.mapping(entry, place, keys, "main and slots", unknown="slot")
            if "main" not in item:
                self.fail(place, "missing 'main'; name the main category this paradigm belongs to")
            main = self.level_ref(item["main"], f"{place}.main", Level.MAIN)
            if main in seen:
                self.fail(f"{place}.main", f"second paradigm for {main!r} (first at {seen[main]}); merge them")
            seen[main] = f"{place}.main"
            slots = [self.read_slot(Slot(key), item[key], f"{place}.{key}") for key in keys[1:] if key in item]
            result.append(ParadigmSpec(main=main, slots=tuple(s for s in slots if s.categories or s.text)))
        return result

    def read_slot(self, slot: Slot, node: Any, place: str) -> SlotSpec:
        if isinstance(node, list):
            node = {"categories": node}
        elif isinstance(node, str) or node is None:
            node = {"text": node}
        item = self.mapping(node, place, ("categories", "text"), "categories and/or text")
        refs: list[str] = []
        for index, value in enumerate(self.sequence(item.get("categories"), f"{place}.categories")):
            at = f"{place}.categories[{index}]"
            ref = self.word(value, at)
            level = self.code_levels.get(ref)
            if level is None:
                self.fail(at, f"no code {ref!r}; add it under codes or remove it here")
            if level != Level.CATEGORY:
                self.fail(at, f"{ref!r} is a {_noun(level)}; paradigm slots hold categories "
                              f"({self.prefixes.prefix(Level.CATEGORY)}...) only")
            if ref in refs:
                self.fail(at, f"{ref!r} is listed twice in this slot; remove one")
            refs.append(ref)
        return SlotSpec(slot=slot, categories=tuple(refs), text=self.text(item.get("text"), f"{place}.text"))

    # relationships

    def read_relation_types(self, node: Any) -> dict[str, RelationTypeSpec]:
        declared: dict[str, RelationTypeSpec] = {}
        for index, entry in enumerate(self.sequence(node, "relation_types")):
            place = f"relation_types[{index}]"
            item = self.mapping(entry, place, ("name", "description"), "name and description")
            if "name" not in item:
                self.fail(place, "missing 'name'; give the relation type a name")
            name = canonical_type(self.word(item["name"], f"{place}.name"))
            if any(ch.isspace() for ch in name):
                self.fail(f"{place}.name", f"{name!r} has spaces; name a relation type with one word")
            if name in _BUILTIN_NAMES:
                self.fail(f"{place}.name", f"{name!r} is built in; remove it or choose another name")
            if name in declared:
                self.fail(f"{place}.name", f"relation type {name!r} declared twice; remove one")
            declared[name] = RelationTypeSpec(name, self.text(item.get("description"), f"{place}.description"))
        return declared

    def read_relationships(self, node: Any, declared: dict[str, RelationTypeSpec]) -> list[RelationshipSpec]:
        entries = self.sequence(node, "relationships")
        keys = ("ref", "source", "type", "target", "memo")
        items: list[tuple[str, dict[str, Any]]] = []
        refs: dict[str, str] = {}
        for index, entry in enumerate(entries):
            place = f"relationships[{index}]"
            item = self.mapping(entry, place, keys, "ref, source, type, target")
            for key in keys[:4]:
                if key not in item:
                    self.fail(place, f"missing {key!r}; a relationship needs ref, source, type and target")
            ref = self.word(item["ref"], f"{place}.ref")
            if _rel_number(ref) is None:
                self.fail(f"{place}.ref", f"{ref!r} is not a relationship ref; write {RELATIONSHIP_PREFIX}<number>")
            if ref in refs:
                self.fail(f"{place}.ref", f"duplicate ref {ref!r} (first at {refs[ref]}); renumber one")
            refs[ref] = f"{place}.ref"
            items.append((place, item))
        result: list[RelationshipSpec] = []
        for place, item in items:
            ref = item["ref"]
            source = self.word(item["source"], f"{place}.source")
            target = self.word(item["target"], f"{place}.target")
            if source not in self.code_levels:
                what = "a relationship; a relationship starts at a code" if source in refs else "no such code"
                self.fail(f"{place}.source", f"{source!r} is {what}; fix the source")
            if target in (ref, source):
                what = "itself" if target == ref else f"its own source {source!r}"
                self.fail(f"{place}.target", f"{ref} points to {what}; choose another target")
            if target not in self.code_levels and target not in refs:
                self.fail(f"{place}.target", f"no code or relationship {target!r}; add it or fix the target")
            kind = canonical_type(self.word(item["type"], f"{place}.type"))
            if kind not in _BUILTIN_NAMES and kind not in declared:
                known = ", ".join(sorted(_BUILTIN_NAMES | set(declared)))
                self.fail(f"{place}.type", f"unknown relation type {kind!r}; use one of {known} "
                                           "or declare it under relation_types")
            memo = self.text(item.get("memo"), f"{place}.memo")
            result.append(RelationshipSpec(ref=ref, source=source, type=kind, target=target, memo=memo))
        self.check_no_cycles(result, refs)
        return result

    def check_no_cycles(self, relationships: list[RelationshipSpec], places: dict[str, str]) -> None:
        """Relationships acting on relationships must end at a code, not go round in a circle."""
        target_of = {r.ref: r.target for r in relationships}
        for rel in relationships:
            seen = {rel.ref}
            current = rel.target
            while current in target_of:
                if current in seen:
                    self.fail(places[rel.ref].removesuffix(".ref") + ".target",
                              f"{rel.ref} acts on a circle of relationships; end the chain at a code")
                seen.add(current)
                current = target_of[current]


def _kind(node: Any) -> str:
    if node is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number"}.get(type(node), type(node).__name__)
