"""Negative cases: relationships and paradigm slots carry supporting and contradicting evidence, counted in
exports and screens."""

from __future__ import annotations

import pytest

from gtcode.domain.paradigm import Slot
from gtcode.exchange.tables import paradigm_table, relationships_table
from gtcode.services import axial, selective
from gtcode.services import codes as codebook
from gtcode.services.coding import code_span, uncode
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError, NotFound
from gtcode.services.model_snapshot import snapshot
from tests.cli.helpers import run, run_json

TEXT = "村民说：网上挂号很方便。 另一位说：我们不会用手机，还是去县城排队。 Demand rises every year."


@pytest.fixture
def related(project):
    doc = add_document(project, "村民访谈", TEXT, lang="zh").document
    ids = [code_span(project, doc.id, TEXT.index(q), TEXT.index(q) + len(q), label).id for q, label in (
        ("网上挂号很方便", "挂号方便"), ("我们不会用手机", "不会用手机"), ("Demand rises", "Demand"))]
    for n, label in enumerate(("Use", "Barrier", "Demand"), start=1):
        codebook.group(project, "concept", label, [f"a{n}"])
        codebook.group(project, "category", label, [f"aa{n}"])
        codebook.group(project, "main", label, [f"A{n}"])
    return project, ids


def test_a_relationship_has_supporting_and_contradicting_evidence(related):
    project, (fits, against, demand) = related
    rel = selective.relate(project, "M3", "causal", "M1", evidence=[fits], contradicting=[against])
    assert (rel.evidence, rel.contradicting) == ((fits,), (against,))
    again = selective.annotate(project, "R1", evidence=[against])  # a coding read again changes sides
    assert (again.evidence, again.contradicting) == ((fits, against), ())
    selective.annotate(project, "R1", contradicting=[against, demand])
    model = snapshot(project)
    assert (model.relationships[0].supporting, model.relationships[0].contradicting) == (1, 2)
    table = relationships_table(model, evidence=True)
    assert table["Evidence"].tolist() == ["1 supporting, 2 contradicting"]
    assert "Evidence" not in relationships_table(model).columns  # Table 5 as the paper prints it
    codebook.undo(project)
    assert selective.relations(project)[0].contradicting == ()
    with pytest.raises(NotFound, match="no coding 77"):
        selective.annotate(project, "R1", contradicting=[77])


def test_the_cli_adds_negative_cases_and_exports_the_column(related, tmp_path):
    project, (fits, against, _demand) = related
    folder = project.directory
    run(folder, "relate", "M3", "causal", "M1", "--evidence", fits, "--contradicting", against)
    assert run_json(folder, "relations")[0]["contradicting"] == [against]
    shown = run(folder, "evidence", "R1", fits, "--contradicting").stdout
    assert f"[contradicting: {fits}, {against}]" in shown
    run(folder, "evidence", "R1", fits, "--drop")
    assert run_json(folder, "relations")[0]["contradicting"] == [against]
    run(folder, "export", "tables", tmp_path / "t", "--format", "csv", "--evidence")
    assert "0 supporting, 1 contradicting" in (tmp_path / "t" / "relationships.csv").read_text(encoding="utf-8")


def test_a_paradigm_slot_has_supporting_and_contradicting_evidence(related):
    project, (fits, against, demand) = related
    axial.set_slot(project, "M1", "causal", ["A3"])
    info = axial.slot_evidence(project, "Use", "causal", supporting=[fits], contradicting=[against])
    causal = info.slot(Slot.CAUSAL)
    assert (causal.supporting, causal.contradicting) == ((fits,), (against,))
    assert info.slot(Slot.CONTEXT).contradicting == ()  # evidence belongs to one slot
    info = axial.slot_evidence(project, "M1", "causal", supporting=[against])  # read again: it changes sides
    assert (info.slot(Slot.CAUSAL).supporting, info.slot(Slot.CAUSAL).contradicting) == ((fits, against), ())
    axial.slot_evidence(project, "M1", "causal", contradicting=[against, demand])
    model = snapshot(project)
    spec = model.paradigms[0].slot(Slot.CAUSAL)
    assert (spec.supporting, spec.contradicting) == (1, 2)
    table = paradigm_table(model, model.paradigms[0], evidence=True)
    assert table.loc[table["Slot"] == Slot.CAUSAL.title, "Evidence"].tolist() == ["1 supporting, 2 contradicting"]
    assert "Evidence" not in paradigm_table(model, model.paradigms[0]).columns
    quotes = axial.slot_quotes(project, "M1", "causal")
    assert [q.id for q in quotes["contradicting"]] == [against, demand]
    assert [q.id for q in quotes["supporting"]] == [fits]
    codebook.undo(project)
    assert axial.paradigm(project, "M1").slot(Slot.CAUSAL).contradicting == ()


@pytest.mark.parametrize("kwargs, message", [
    ({"supporting": ["against"], "contradicting": [77]}, "no coding 77"),  # the good one is not kept either
    ({"drop": ["fits"]}, "coding .* is not evidence of causal in M1"),
    ({}, "say which codings"),
])
def test_bad_slot_evidence_is_refused_and_changes_nothing(related, kwargs, message):
    project, (fits, against, _demand) = related
    named = {"fits": fits, "against": against}
    axial.slot_evidence(project, "M1", "consequence", supporting=[fits])
    before = axial.paradigm(project, "M1")
    with pytest.raises(GtcodeError, match=message):
        axial.slot_evidence(project, "M1", "causal", **{k: [named.get(v, v) for v in vs] for k, vs in kwargs.items()})
    assert axial.paradigm(project, "M1") == before


def test_slot_evidence_goes_with_its_coding_and_comes_back_on_undo(related):
    project, (fits, against, _demand) = related
    axial.slot_evidence(project, "M1", "strategy", contradicting=[against])
    uncode(project, against)
    assert axial.paradigm(project, "M1").slot(Slot.STRATEGY).contradicting == ()
    codebook.undo(project)
    assert axial.paradigm(project, "M1").slot(Slot.STRATEGY).contradicting == (against,)
    codebook.merge(project, "M1", "M2")  # the main category's evidence follows it into the merged one
    assert axial.paradigm(project, "M2").slot(Slot.STRATEGY).contradicting == (against,)


def test_the_cli_weighs_slot_evidence_and_exports_the_column(related, tmp_path):
    project, (fits, against, _demand) = related
    folder = project.directory
    run(folder, "paradigm", "M2", "causal", "A1")
    shown = run(folder, "evidence", "Barrier:causal", against, "--contradicting").stdout
    assert f"evidence: none; contradicting: {against}" in shown
    assert run_json(folder, "paradigm", "M2")["slots"][0]["contradicting"] == [against]
    run(folder, "evidence", "M2:causal", fits)
    run(folder, "evidence", "M2:causal", fits, "--drop")
    run(folder, "export", "tables", tmp_path / "t", "--format", "csv", "--evidence")
    assert "0 supporting, 1 contradicting" in (tmp_path / "t" / "paradigm-M2.csv").read_text(encoding="utf-8")
    refused = run(folder, "evidence", "M2:cause", fits, ok=False)
    assert "unknown paradigm slot 'cause'" in refused.output
