"""The native YAML model format: round trips, stable ordering, Unicode and every validation rule."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gtcode.domain.errors import GtcodeError
from gtcode.domain.levels import Level, Prefixes
from gtcode.domain.model import CodeSpec, ModelSnapshot, ParadigmSpec, RelationshipSpec, RelationTypeSpec, SlotSpec
from gtcode.domain.paradigm import Slot
from gtcode.domain.relations import BUILTIN_TYPES
from gtcode.exchange.model_yaml import (
    SCHEMA,
    ModelFormatError,
    canonical_model,
    dump_model,
    load_model,
)

SPR_FILE = Path(__file__).resolve().parents[2] / "codebooks" / "spr-sharing.yaml"
DOC_FILE = Path(__file__).resolve().parents[2] / "docs" / "model-format.md"

# ----------------------------------------------------------------------------- generated snapshots

TEXT = st.text(max_size=24) | st.text(alphabet="资源共享数字城乡 \n", max_size=40)
LONG_TEXT = TEXT | st.text(max_size=160) | st.lists(st.sampled_from(
    ["Policy", "guarantee", "共享", "a: b", "#x", "- y", "  ", "\n", "\n\n", "'", '"', "…"]),
    max_size=40).map(" ".join)
PREFIX_SETS = (
    {},
    {"phenomenon": "p"},
    {"phenomenon": "x", "concept": "xx", "category": "X", "main": "K", "core": "Z", "outcome": "Q"},
)
CUSTOM_TYPES = ("mediating", "enabling", "阻碍")
TOP_DOWN = (Level.CORE, Level.MAIN, Level.CATEGORY, Level.CONCEPT, Level.PHENOMENON, Level.OUTCOME)


@st.composite
def snapshots(draw) -> ModelSnapshot:
    """Valid snapshots, already in canonical order."""
    prefix_map = draw(st.sampled_from(PREFIX_SETS))
    prefixes = Prefixes.from_mapping(prefix_map)
    codes: list[tuple[int, CodeSpec]] = []
    refs: dict[Level, list[str]] = {}
    for level in TOP_DOWN:
        refs[level] = []
        for number in sorted(draw(st.sets(st.integers(0, 40), max_size=4))):
            ref = prefixes.ref(level, number)
            parents = refs.get(level.parent_level, []) if level.parent_level else []
            parent = draw(st.none() | st.sampled_from(parents)) if parents else None
            codes.append((number, CodeSpec(
                ref=ref, level=level, label=draw(TEXT), definition=draw(LONG_TEXT),
                colour=draw(st.none() | st.sampled_from(["#abc", "#1f77b4", "#FFAA00"])),
                parent=parent, memo=draw(LONG_TEXT),
            )))
            refs[level].append(ref)
    codes.sort(key=lambda pair: (pair[1].level.rank, pair[0]))

    paradigms = []
    for main in refs[Level.MAIN]:
        if not draw(st.booleans()):
            continue
        slots = []
        for slot in Slot:
            chosen = draw(st.lists(st.sampled_from(refs[Level.CATEGORY]), unique=True, max_size=3)
                          if refs[Level.CATEGORY] else st.just([]))
            text = draw(st.just("") | LONG_TEXT)
            if chosen or text:
                slots.append(SlotSpec(slot, tuple(chosen), text))
        paradigms.append(ParadigmSpec(main, tuple(slots)))

    declared = sorted(draw(st.sets(st.sampled_from(CUSTOM_TYPES), max_size=2)))
    types = [t.name for t in BUILTIN_TYPES] + declared
    all_codes = [c.ref for _, c in codes]
    relationships: list[RelationshipSpec] = []
    if len(all_codes) >= 2:
        for number in sorted(draw(st.sets(st.integers(1, 30), max_size=5))):
            ref = f"R{number}"
            source = draw(st.sampled_from(all_codes))
            targets = [r for r in all_codes if r != source] + [r.ref for r in relationships]
            relationships.append(RelationshipSpec(
                ref=ref, source=source, type=draw(st.sampled_from(types)),
                target=draw(st.sampled_from(targets)), memo=draw(st.just("") | LONG_TEXT)))

    def pick(level: Level) -> str | None:
        return draw(st.none() | st.sampled_from(refs[level])) if refs[level] else None

    return ModelSnapshot(
        name=draw(TEXT), description=draw(LONG_TEXT), citation=draw(LONG_TEXT),
        prefixes=prefix_map, codes=tuple(code for _, code in codes), paradigms=tuple(paradigms),
        relationships=tuple(relationships),
        relation_types=tuple(RelationTypeSpec(name, draw(TEXT)) for name in declared),
        core=pick(Level.CORE), storyline=draw(LONG_TEXT), outcome=pick(Level.OUTCOME),
    )


def shuffled(snapshot: ModelSnapshot, rnd) -> ModelSnapshot:
    """The same model with every list in another order (slot category order is meaningful)."""
    def mix(items):
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)
    return ModelSnapshot(
        **{**snapshot.__dict__,
           "codes": mix(snapshot.codes),
           "paradigms": mix(ParadigmSpec(p.main, mix(p.slots)) for p in snapshot.paradigms),
           "relationships": mix(snapshot.relationships),
           "relation_types": mix(snapshot.relation_types)})


@settings(max_examples=150, deadline=None, database=None)
@given(snapshots())
def test_round_trip_is_exact(snapshot):
    text = dump_model(snapshot)
    assert canonical_model(snapshot) == snapshot
    assert load_model(text) == snapshot
    assert dump_model(load_model(text)) == text


@settings(max_examples=50, deadline=None, database=None)
@given(snapshots(), st.randoms(use_true_random=False))
def test_order_of_input_does_not_change_the_text(snapshot, rnd):
    assert dump_model(shuffled(snapshot, rnd)) == dump_model(snapshot)


def test_dumping_twice_gives_identical_text():
    model = load_model(SPR_FILE.read_text(encoding="utf-8"))
    assert dump_model(model) == dump_model(model)


def test_spr_file_is_in_canonical_form_and_round_trips():
    text = SPR_FILE.read_text(encoding="utf-8")
    model = load_model(text, str(SPR_FILE))
    assert dump_model(model) == text
    assert load_model(dump_model(model)) == model


def test_documented_example_loads_and_round_trips():
    doc = DOC_FILE.read_text(encoding="utf-8")
    example = doc.split("## A short example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    model = load_model(example, str(DOC_FILE))
    assert model.relationships[1] == RelationshipSpec(
        "R2", "M2", "safeguard", "R1", "Government guarantee acts on the relationship R1, not on a code.")
    assert model.code("a1").parent == "aa1" and model.code("M1").parent == "C1"
    assert load_model(dump_model(model)) == model


def test_canonical_drops_empty_slots_and_spells_types_canonically():
    snapshot = ModelSnapshot(
        codes=(CodeSpec("M1", Level.MAIN, "m"), CodeSpec("A1", Level.CATEGORY, "c", parent="M1")),
        paradigms=(ParadigmSpec("M1", (SlotSpec(Slot.STRATEGY, ("A1",)), SlotSpec(Slot.CAUSAL))),),
        relationships=(RelationshipSpec("R1", "A1", "Causality", "M1"),),
    )
    loaded = load_model(dump_model(snapshot))
    assert loaded.paradigms == (ParadigmSpec("M1", (SlotSpec(Slot.STRATEGY, ("A1",)),)),)
    assert loaded.relationships[0].type == "causal"


# ----------------------------------------------------------------------------- layout


def _chinese_model() -> ModelSnapshot:
    return ModelSnapshot(
        name="城乡数字共享",
        codes=(
            CodeSpec("a1", Level.PHENOMENON, "信息驱动", parent="aa1", memo="大数据驱动的本质是信息驱动"),
            CodeSpec("aa1", Level.CONCEPT, "信息共享", parent="A1"),
            CodeSpec("A1", Level.CATEGORY, "信息共享", definition="保障数字资源体系开放\n优化公共资源布局",
                     parent="M1"),
            CodeSpec("M1", Level.MAIN, "资源供给", colour="#ff7f0e"),
        ),
    )


def test_chinese_is_written_as_chinese_and_round_trips():
    text = dump_model(_chinese_model())
    assert "信息驱动" in text and "资源供给" in text
    assert "\\u" not in text and "\\x" not in text
    assert load_model(text) == canonical_model(_chinese_model())


def test_codes_are_nested_and_multiline_text_is_a_literal_block():
    document = yaml.safe_load(dump_model(_chinese_model()))
    main = document["codes"]["main_categories"][0]
    assert main["ref"] == "M1"
    assert main["categories"][0]["concepts"][0]["phenomena"][0]["ref"] == "a1"
    assert "definition: |-\n" in dump_model(_chinese_model())
    assert list(document) == ["schema", "name", "codes"]
    assert document["schema"] == SCHEMA


def test_long_single_line_text_is_folded():
    model = ModelSnapshot(storyline="word " * 40 + "end")
    text = dump_model(model)
    assert "storyline: >-\n" in text
    assert load_model(text) == model


def test_codes_without_parent_are_listed_at_their_level():
    model = ModelSnapshot(codes=(CodeSpec("aa3", Level.CONCEPT, "loose"), CodeSpec("A2", Level.CATEGORY, "free")))
    document = yaml.safe_load(dump_model(model))
    assert [c["ref"] for c in document["codes"]["categories"]] == ["A2"]
    assert [c["ref"] for c in document["codes"]["concepts"]] == ["aa3"]


def test_siblings_are_ordered_by_number_not_text():
    model = ModelSnapshot(codes=tuple(CodeSpec(f"A{n}", Level.CATEGORY, str(n)) for n in (10, 2, 1)))
    document = yaml.safe_load(dump_model(model))
    assert [c["ref"] for c in document["codes"]["categories"]] == ["A1", "A2", "A10"]


def test_slot_shorthand_and_null_text_are_accepted():
    text = """
schema: gtcode-model/1
codes:
  main_categories:
    - ref: M1
      label: m
      categories:
        - {ref: A1, label: c, memo: null}
paradigms:
  - main: M1
    causal: [A1]
    context: the action vein
"""
    model = load_model(text)
    assert model.paradigms[0].slot(Slot.CAUSAL).categories == ("A1",)
    assert model.paradigms[0].slot(Slot.CONTEXT).text == "the action vein"


# ----------------------------------------------------------------------------- validation

BASE = """
schema: gtcode-model/1
core: C1
codes:
  core_categories:
    - ref: C1
      label: Core
  main_categories:
    - ref: M1
      label: Social demand
      colour: "#d62728"
      categories:
        - ref: A1
          label: Public demand
          concepts:
            - ref: aa1
              label: Needs
              phenomena:
                - ref: a1
                  label: Rural needs
        - ref: A2
          label: Social concern
  outcomes:
    - ref: O1
      label: Shared behavior
paradigms:
  - main: M1
    causal:
      categories: [A1]
relationships:
  - {ref: R1, source: M1, type: causal, target: O1}
  - {ref: R2, source: A2, type: supporting, target: R1}
"""


def _main(doc):
    return doc["codes"]["main_categories"][0]


def _set(path, value):
    def change(doc):
        *head, last = path
        node = doc
        for key in head:
            node = node[key]
        node[last] = value
    return change


def _wrong_parent(doc):
    _main(doc)["concepts"] = _main(doc)["categories"][0].pop("concepts")


def _cycle(doc):
    doc["relationships"][0]["target"] = "R2"


def _typo_key(doc):
    doc["relationship"] = doc.pop("relationships")


def _rel(index, key, value):
    return _set(("relationships", index, key), value)


CASES = {
    "unknown schema": (_set(("schema",), "gtcode-model/2"), "schema", "unsupported version"),
    "missing schema": (lambda d: d.pop("schema"), "schema", "add 'schema: gtcode-model/1'"),
    "foreign schema": (_set(("schema",), "qdpx"), "schema", "not a gtcode model schema"),
    "prefix of another level": (lambda d: _main(d)["categories"][1].update(ref="aa7"),
                                "codes.main_categories[0].categories[1].ref", "is a concept ref"),
    "not a code ref": (lambda d: _main(d)["categories"][1].update(ref="2A"),
                       "codes.main_categories[0].categories[1].ref", "not a code ref"),
    "zero-padded ref": (lambda d: _main(d)["categories"][1].update(ref="A02"),
                        "codes.main_categories[0].categories[1].ref", "write A2"),
    "duplicate ref": (lambda d: _main(d)["categories"][1].update(ref="A1"),
                      "codes.main_categories[0].categories[1].ref", "duplicate ref 'A1'"),
    "parent of the wrong level": (_wrong_parent, "codes.main_categories[0].concepts",
                                  "holds categories, not concepts"),
    "children of a phenomenon": (
        lambda d: _main(d)["categories"][0]["concepts"][0]["phenomena"][0].update(
            concepts=[{"ref": "aa9", "label": "x"}]),
        "codes.main_categories[0].categories[0].concepts[0].phenomena[0].concepts", "holds no codes"),
    "missing label": (lambda d: _main(d)["categories"][1].pop("label"),
                      "codes.main_categories[0].categories[1]", "missing 'label'"),
    "label is a number": (lambda d: _main(d)["categories"][1].update(label=2020),
                          "codes.main_categories[0].categories[1].label", "quote the value"),
    "bad colour": (lambda d: _main(d).update(colour="blue-ish"), "codes.main_categories[0].colour",
                   "not a colour"),
    "unknown key": (_typo_key, "relationship", "unknown key 'relationship'"),
    "core is not a core category": (_set(("core",), "M1"), "core", "is a main category, not a core category"),
    "outcome missing": (_set(("outcome",), "O9"), "outcome", "no code 'O9'"),
    "slot names a concept": (_set(("paradigms", 0, "causal", "categories"), ["aa1"]),
                             "paradigms[0].causal.categories[0]", "paradigm slots hold categories"),
    "slot names a missing code": (_set(("paradigms", 0, "causal", "categories"), ["A9"]),
                                  "paradigms[0].causal.categories[0]", "no code 'A9'"),
    "unknown slot": (_set(("paradigms", 0, "reason"), ["A1"]), "paradigms[0].reason", "unknown slot"),
    "paradigm of a category": (_set(("paradigms", 0, "main"), "A1"), "paradigms[0].main",
                               "is a category, not a main category"),
    "two paradigms for one main": (lambda d: d["paradigms"].append({"main": "M1"}),
                                   "paradigms[1].main", "second paradigm"),
    "relationship to a missing ref": (_rel(1, "target", "R9"), "relationships[1].target",
                                      "no code or relationship 'R9'"),
    "relationship to itself": (_rel(1, "target", "R2"), "relationships[1].target", "points to itself"),
    "relationship from a code to itself": (_rel(0, "target", "M1"), "relationships[0].target",
                                           "its own source"),
    "relationship from a missing code": (_rel(0, "source", "M7"), "relationships[0].source", "no such code"),
    "unknown relation type": (_rel(1, "type", "mediating"), "relationships[1].type",
                              "declare it under relation_types"),
    "relationship ref": (_rel(1, "ref", "X2"), "relationships[1].ref", "not a relationship ref"),
    "duplicate relationship": (_rel(1, "ref", "R1"), "relationships[1].ref", "duplicate ref 'R1'"),
    "circle of relationships": (_cycle, "relationships[0].target", "circle of relationships"),
    "redeclared built-in type": (_set(("relation_types",), [{"name": "Causality"}]),
                                 "relation_types[0].name", "is built in"),
    "type name with spaces": (_set(("relation_types",), [{"name": "works against"}]),
                              "relation_types[0].name", "one word"),
    "type declared twice": (_set(("relation_types",), [{"name": "x"}, {"name": "X"}]),
                            "relation_types[1].name", "declared twice"),
    "bad prefixes": (_set(("prefixes",), {"concept": "A"}), "prefixes", "used twice"),
    "unknown level in prefixes": (_set(("prefixes",), {"theme": "T"}), "prefixes.theme", "unknown level"),
    "codes is a list": (_set(("codes",), []), "codes", "expected a mapping"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_invalid_model_is_reported_on_one_line(name):
    change, place, phrase = CASES[name]
    document = copy.deepcopy(yaml.safe_load(BASE))
    change(document)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    with pytest.raises(ModelFormatError) as caught:
        load_model(text, source="models/case.yaml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"models/case.yaml: {place}: "), message
    assert phrase in message, message
    assert isinstance(caught.value, GtcodeError)


def test_base_of_the_invalid_cases_is_valid():
    model = load_model(BASE)
    assert model.relationships[1] == RelationshipSpec("R2", "A2", "supporting", "R1")
    assert model.core == "C1"


def test_declared_relation_type_is_accepted():
    document = yaml.safe_load(BASE)
    document["relation_types"] = [{"name": "mediating", "description": "The source mediates."}]
    document["relationships"][1]["type"] = "mediating"
    model = load_model(yaml.safe_dump(document))
    assert model.relation_types == (RelationTypeSpec("mediating", "The source mediates."),)
    assert model.relationships[1].type == "mediating"


@pytest.mark.parametrize("text, phrase", [
    ("schema: [unclosed", "not valid YAML"),
    ("", "the model is empty"),
    ("- a list", "expected a mapping"),
])
def test_unreadable_text_names_the_file(text, phrase):
    with pytest.raises(ModelFormatError) as caught:
        load_model(text, source="broken.yaml")
    assert str(caught.value).startswith("broken.yaml")
    assert phrase in str(caught.value)
    assert "\n" not in str(caught.value)


def test_yaml_tags_are_not_executed():
    with pytest.raises(ModelFormatError):
        load_model("schema: !!python/object/apply:os.system ['true']\n")


@pytest.mark.parametrize("snapshot, phrase", [
    (ModelSnapshot(codes=(CodeSpec("A1", Level.CATEGORY, "x", parent="M9"),)), "parent 'M9'"),
    (ModelSnapshot(codes=(CodeSpec("A1", Level.CATEGORY, "x"), CodeSpec("M1", Level.MAIN, "m")),
                   relationships=(RelationshipSpec("R1", "M1", "hinders", "A1"),)), "unknown relation type"),
    (ModelSnapshot(codes=(CodeSpec("M1", Level.MAIN, "m"),),
                   paradigms=(ParadigmSpec("M1", (SlotSpec(Slot.CAUSAL, text="a"),
                                                  SlotSpec(Slot.CAUSAL, text="b"))),)), "slot given twice"),
])
def test_dumping_an_invalid_snapshot_fails_instead_of_writing_a_broken_file(snapshot, phrase):
    with pytest.raises(ModelFormatError) as caught:
        dump_model(snapshot)
    assert str(caught.value).startswith("<snapshot>")
    assert phrase in str(caught.value)
