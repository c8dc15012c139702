"""The team commands: coder, assign, agreement on the project and on CSV data brought in."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from gtcode.cli.main import cli
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.project import open_project
from tests.cli.helpers import run, run_json
from tests.domain.test_agreement import FLEISS_1971, KRIPPENDORFF_2011

TEXT = "The clinic opened on Mondays. Patients came from three villages. Nurses stayed late. Doctors rotated."


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    return path


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_alpha_of_krippendorff_2011_matrix(tmp_path, level, expected):
    path = write_csv(tmp_path / "k.csv", KRIPPENDORFF_2011)
    result = CliRunner().invoke(cli, ["agreement", "alpha", "--matrix", str(path), "--level", level, "--json"])
    assert result.exit_code == 0, result.output
    assert round(json.loads(result.stdout)["value"], 3) == expected


def test_kappa_table_and_fleiss_counts(tmp_path):
    table = write_csv(tmp_path / "t.csv", [["", "yes", "no"], ["yes", 20, 5], ["no", 10, 15]])
    result = CliRunner().invoke(cli, ["agreement", "kappa", "--table", str(table), "--header", "--row-names"])
    assert result.exit_code == 0 and result.stdout.strip() == "cohen_kappa = 0.400"
    counts = write_csv(tmp_path / "f.csv", FLEISS_1971)
    result = CliRunner().invoke(cli, ["agreement", "fleiss", "--counts", str(counts), "--json"])
    assert round(json.loads(result.stdout)["value"], 3) == 0.430


def test_bad_csv_is_a_one_line_error(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [[1, 2, 3], [4, 5, 6]])
    result = CliRunner().invoke(cli, ["agreement", "kappa", "--table", str(path)])
    assert result.exit_code == 1 and "must be square" in result.stderr


@pytest.fixture
def coded(project):
    doc = add_document(project, "Clinic", TEXT).document
    run(project.directory, "coder", "add", "bob")
    bob = open_project(project.directory, coder="bob")
    for handle, quotes in ((project, ["clinic opened", "three villages"]), (bob, ["clinic opened on Mondays", "Nurses"])):
        for quote in quotes:
            start = TEXT.index(quote)
            code_span(handle, doc.id, start, start + len(quote), "Access")
    bob.close()
    return project.directory, doc


def test_coder_commands_and_roles(coded):
    directory, _doc = coded
    run(directory, "coder", "add", "vic", "--role", "viewer")
    assert [(c["name"], c["role"]) for c in run_json(directory, "coder", "list")] == [
        ("alice", "owner"), ("bob", "coder"), ("vic", "viewer")]
    refused = run(directory, "--coder", "vic", "memo", "add", "project", "--text", "hello", ok=False)
    assert "is a viewer" in refused.stderr
    assert "only an owner" in run(directory, "--coder", "bob", "coder", "add", "eve", ok=False).stderr

    for coder, command, why in (("bob", ("holdout", "release"), "only an owner can release the hold-out"),
                                ("vic", ("delete", "a1"), "is a viewer and cannot delete codes")):
        refused = run(directory, "--coder", coder, *command, ok=False)  # refused before any question is asked
        assert "?" not in refused.stdout and why in refused.stderr


def test_assign_and_end_blinding(coded):
    directory, doc = coded
    rows = run_json(directory, "assign", doc.id, "--coders", "alice,bob")
    assert [(r["coder"], r["blind"]) for r in rows] == [("alice", True), ("bob", True)]
    report = run_json(directory, "agreement")
    assert report["documents"] == [] and report["blind_documents"] == [doc.id]
    assert [r["blind"] for r in run_json(directory, "assign", "--end", doc.id)] == [False, False]


def test_project_agreement_on_sentences_and_characters(coded):
    directory, doc = coded
    sentences = run_json(directory, "agreement", "--coders", "alice,bob")
    overall = sentences["codes"][-1]
    # four sentences: both mark 1, alice 2, bob 3, none 4
    assert (sentences["units"], sentences["uncoded_units"], overall["percent"]) == (4, 1, 0.5)
    assert overall["cohen_kappa"] == pytest.approx(0.0)
    characters = run_json(directory, "agreement", "--unit", "character", "--code", "Access")
    assert characters["units"] == len(TEXT)
    both = len("clinic opened")
    either = len("clinic opened on Mondays") + len("three villages") + len("Nurses")
    assert characters["codes"][0]["percent"] == pytest.approx(1 - (either - both) / len(TEXT))
    assert characters["uncoded_units"] == len(TEXT) - either
    human = run(directory, "agreement").stdout
    assert "coded by no one" in human and "overall" in human
