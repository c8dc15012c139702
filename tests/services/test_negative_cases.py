"""Negative cases: relationships carry supporting and contradicting evidence, counted in exports and screens."""

from __future__ import annotations

import pytest

from gtcode.exchange.tables import relationships_table
from gtcode.services import codes as codebook
from gtcode.services import selective
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import NotFound
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
