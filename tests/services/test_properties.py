"""Properties and dimensions: ranges, codings located on them, the per-category view, refusals, undo, hold-out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span, uncode
from gtcode.services.corpus import add_document
from gtcode.services.errors import Forbidden, GtcodeError
from gtcode.services.properties import (
    add_property, code_properties, dimension_locations, parse_range, remove_property, set_dimension,
)
from gtcode.store.tables import DimensionValueRow, DocumentRow
from tests.conftest import raw_write

EN = "Respondent: The video consultation is free. The bus to the county is costly."
ZH = "受访者：直播课不要钱。上网的流量费很贵。"


def at(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def category(project):
    en = add_document(project, "Clinic", EN).document
    zh = add_document(project, "访谈", ZH, lang="zh").document
    first = code_span(project, en.id, *at(EN, "video consultation is free"), "Free consultation")
    second = code_span(project, en.id, *at(EN, "bus to the county is costly"), "Costly bus")
    third = code_span(project, zh.id, *at(ZH, "流量费很贵"), "流量费贵")
    codebook.group(project, "concept", "Cost of access", ["a1", "a2", "a3"])
    codebook.group(project, "category", "成本", ["aa1"])
    return project, en, zh, (first, second, third)


def test_a_category_property_counts_quotations_per_value_and_document(category):
    project, en, zh, (first, second, third) = category
    view = add_property(project, "A1", "cost", "free, affordable, costly")
    assert (view.kind, view.range, view.range_text) == ("ordinal", ("free", "affordable", "costly"), "free - affordable - costly")
    add_property(project, "成本", "程度", "1..5")
    set_dimension(project, first.id, "cost", "free")
    set_dimension(project, second.id, "cost", "costly")
    set_dimension(project, third.id, "cost", "costly")
    set_dimension(project, third.id, "程度", "4.0")
    cost, degree = code_properties(project, "A1")
    assert [(v.value, v.coding_ids, v.document_ids) for v in cost.values] == [
        ("free", (first.id,), (en.id,)), ("affordable", (), ()), ("costly", (second.id, third.id), (en.id, zh.id))]
    assert [(v.value, v.count) for v in degree.values] == [("4", 1)] and degree.range == ("1", "5")
    set_dimension(project, second.id, "cost", "affordable")  # moved along the dimension
    assert [v.count for v in code_properties(project, "A1")[0].values] == [1, 1, 1]
    set_dimension(project, second.id, "cost", None)
    assert [v.count for v in code_properties(project, "A1")[0].values] == [1, 0, 1]
    assert {ref: [p.name for p in props] for ref, props in dimension_locations(project).items()} == {"A1": ["cost", "程度"]}


@pytest.mark.parametrize(("name", "value", "says"), [
    ("cost", "expensive", "'expensive' is not in A1's cost range (free, affordable, costly)"),
    ("程度", "9", "'9' is outside A1's 程度 range 1..5"),
    ("程度", "much", "'much' is outside"),
    ("size", "big", "no property 'size'"),
])
def test_a_value_outside_the_range_is_refused_in_one_line_and_changes_nothing(category, name, value, says):
    project, _en, _zh, (first, *_rest) = category
    add_property(project, "A1", "cost", "free,affordable,costly")
    add_property(project, "A1", "程度", "1..5")
    set_dimension(project, first.id, "cost", "free")
    with pytest.raises(GtcodeError) as refused:
        set_dimension(project, first.id, name, value)
    assert says in str(refused.value) and "\n" not in str(refused.value)
    with project.read() as session:
        assert [(r.coding_id, r.value) for r in session.exec(select(DimensionValueRow))] == [(first.id, "free")]


@pytest.mark.parametrize(("code", "value_range", "says"), [
    ("a1", "a,b", "is a phenomenon"), ("A1", "only", "at least two"), ("A1", "5..1", "low end"),
    ("A1", "a,a", "must differ"), ("A9", "a,b", "A9"),
])
def test_bad_properties_are_refused(category, code, value_range, says):
    project, *_ = category
    with pytest.raises(GtcodeError, match=says):
        add_property(project, code, "x", value_range)
    assert code_properties(project, "A1") == []


def test_ranges_take_chinese_separators():
    assert parse_range("免费，便宜、昂贵") == ("ordinal", ["免费", "便宜", "昂贵"], None, None)
    assert parse_range("0 .. 2.5") == ("numeric", [], 0.0, 2.5)


def test_undo_and_removals_keep_values_with_their_codings(category):
    project, _en, _zh, (first, second, _third) = category
    add_property(project, "A1", "cost", "free,affordable,costly")
    set_dimension(project, first.id, "cost", "free")
    uncode(project, first.id)
    assert code_properties(project, "A1")[0].values[0].count == 0
    codebook.undo(project)  # the coding comes back with its value
    assert code_properties(project, "A1")[0].values[0].coding_ids == (first.id,)
    remove_property(project, "A1", "cost")
    assert code_properties(project, "A1") == []
    codebook.undo(project)
    assert code_properties(project, "A1")[0].values[0].coding_ids == (first.id,)
    codebook.group(project, "category", "Money", ["aa1"])  # not a merge: the property stays on A1
    codebook.merge(project, "A2", "A1")
    assert [p.name for p in code_properties(project, "A1")] == ["cost"]


def test_values_located_by_hold_out_codings_stay_hidden(category):
    project, en, zh, (first, second, third) = category
    add_property(project, "A1", "cost", "free,affordable,costly")
    set_dimension(project, third.id, "cost", "costly")
    set_dimension(project, first.id, "cost", "free")
    with raw_write(project) as session:  # coded, then held out by hand (as an old import could leave it)
        session.get(DocumentRow, zh.id).split = "holdout"
    assert [(v.value, v.coding_ids) for v in code_properties(project, "A1")[0].values] == [
        ("free", (first.id,)), ("affordable", ()), ("costly", ())]
    with pytest.raises(Forbidden, match="hold-out"):
        set_dimension(project, third.id, "cost", "free")
