"""`gtcode holdout ...` and `gtcode saturation ...` from the command line."""

import json

import pytest
from click.testing import CliRunner

from gtcode.cli.main import cli


def run(*args, project=None, input=None):
    prefix = ["--project", str(project.directory)] if project is not None else []
    return CliRunner().invoke(cli, [*prefix, *args], input=input)


def one_line_error(result):
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gtcode: error: ")
    return lines[0]


def test_curve_oracle_from_counts():
    data = json.loads(run("saturation", "curve", "--counts", "4,3,2,1,1,0,0,0", "--json").output)
    assert (data["base_unique"], data["first_run_ratio"], data["point"]) == (10, pytest.approx(0.10), "5+2")
    data = json.loads(run("saturation", "curve", "--counts", "4,3,2,1,0,0,0", "--run", "3", "--json").output)
    assert data["point"] == "4+3" and data["saturated"] is True
    human = run("saturation", "curve", "--counts", "4,3,2,1,1,0,0,0").output
    assert "base 4 documents: 10 codes" in human and "first run ratio: 0.10" in human and "saturation: 5+2" in human


def test_curve_says_plainly_when_there_is_no_saturation_and_refuses_bad_counts():
    result = run("saturation", "curve", "--counts", "4,3,2,1,1,1,1,1")
    assert result.exit_code == 0 and "saturation: not reached" in result.output
    assert "No saturation" in result.output
    assert "whole numbers" in one_line_error(run("saturation", "curve", "--counts", "4,three"))
    assert "negative" in one_line_error(run("saturation", "curve", "--counts", "4,-1"))
    assert "threshold" in one_line_error(run("saturation", "curve", "--counts", "4,1", "--threshold", "2"))


@pytest.mark.parametrize(("counts", "why"), [("4,3", "need at least 6, got 2"), ("0,0,0,0,1,0", "holds no codes")])
def test_a_curve_that_cannot_be_determined_exits_1_with_one_line(counts, why):
    line = one_line_error(run("saturation", "curve", "--counts", counts, "--base", "4"))
    assert "saturation cannot be determined" in line and why in line  # it said "not reached", exit 0


@pytest.fixture
def corpus(sqlite_project):
    from gtcode.services.corpus import add_document

    texts = ["Video consultations reach the county hospital.", "City doctors read our scans by video.",
             "Live online classes reach village students.", "村里的学生上直播课。", "县医院开通了远程会诊。",
             "Volunteers repair computers in the village school."]
    for n, text in enumerate(texts):
        add_document(sqlite_project, f"doc {n + 1}", text, kind="interview")
    return sqlite_project


def test_bad_split_and_release_requests_are_one_line_errors(corpus):
    assert "outside (0, 1)" in one_line_error(run("holdout", "split", "--fraction", "1.5", project=corpus))
    assert "outside (0, 1)" in one_line_error(run("holdout", "split", "--fraction", "0", project=corpus))
    assert "holdout split" in one_line_error(run("holdout", "release", "--yes", project=corpus))
    assert "no hold-out" in one_line_error(run("saturation", "report", project=corpus))
    first = run("holdout", "split", "--seed", "5", "--json", project=corpus)
    assert first.exit_code == 0 and json.loads(first.output)["seed"] == 5
    assert "exists already" in one_line_error(run("holdout", "split", "--seed", "5", project=corpus))
    assert "no theory" in one_line_error(run("holdout", "release", "--yes", project=corpus))
    status = json.loads(run("holdout", "status", "--json", project=corpus).output)
    assert status["phase"] == "building" and len(status["documents"]) == 2 and status["method"] == "random"


def test_stratify_option_parses_attribute_name(corpus):
    result = run("holdout", "split", "--stratify", "attribute", "gender", project=corpus)
    assert "attribute 'gender'" in one_line_error(result)
    result = run("holdout", "split", "--stratify", "kind", "--seed", "1", project=corpus)
    assert result.exit_code == 0 and "stratified by kind" in result.output


def test_full_cycle_report_exports_markdown_json_and_png(corpus, tmp_path):
    p = corpus
    assert run("holdout", "split", "--docs", "5", "--docs", "6", project=p).exit_code == 0
    assert run("code", "1", "0", "19", "Telemedicine", project=p).exit_code == 0
    assert run("code", "2", "0", "11", "Telemedicine", project=p).exit_code == 0
    assert run("code", "3", "0", "17", "Online classes", project=p).exit_code == 0
    assert run("code", "4", "5", "8", "直播课", project=p).exit_code == 0
    assert run("group", "concept", "Remote services", "a1", "a2", "a3", project=p).exit_code == 0
    assert run("group", "category", "Resource sharing", "aa1", project=p).exit_code == 0
    assert "hold-out" in one_line_error(run("show", "5", project=p))
    not_yet = run("saturation", "report", project=p)
    assert not_yet.exit_code == 0 and "**Undetermined: the hold-out" in not_yet.output and "not released" in not_yet.output
    released = run("holdout", "release", "--memo", "theory stable", project=p, input="y\n")
    assert released.exit_code == 0 and "released" in released.output
    assert "2 of 2 hold-out documents are coded below" in run("saturation", "report", project=p).output
    triaged = json.loads(run("saturation", "triage", "--limit", "5", "--json", project=p).output)
    assert {item["document_id"] for item in triaged} <= {5, 6} and triaged
    assert run("code", "5", "0", "11", "远程会诊", project=p).exit_code == 0
    suggested = json.loads(run("saturation", "suggest", "video consultations at the hospital", "--json", project=p).output)
    assert suggested[0]["ref"] in ("aa1", "A1")
    assert run("group", "concept", "Remote services", "远程会诊", project=p).exit_code == 0
    assert run("code", "6", "0", "27", "Volunteer repair", project=p).exit_code == 0
    assert run("group", "concept", "Volunteering", "Volunteer repair", project=p).exit_code == 0
    md, js, png = tmp_path / "r.md", tmp_path / "r.json", tmp_path / "curve.png"
    result = run("saturation", "report", "--md", "--out", str(md), "--plot", str(png), project=p)
    assert result.exit_code == 0
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Theoretical saturation test\n\n**Saturated: no new concepts, categories and main "
                           "categories with support in at least 2 hold-out documents emerged")
    assert "support: 1 document, 1 case, 1 quotation" in text  # aa2: one document is not yet a pattern
    assert "aa2 Volunteering" in text and "«Volunteers repair computers»" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run("saturation", "report", "--json", "--level", "concept", "--min-support", "1", "--out", str(js), project=p)
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["verdict"] == "not saturated" and data["holdout_coded"] == 2 and data["attached"]["concept"] == 1
    assert data["curve"]["new_counts"] == [1, 0, 0, 0, 0, 1]
    assert run("move", "aa2", "A1", project=p).exit_code == 0
    diff = run("saturation", "diff", project=p)
    assert diff.exit_code == 0 and "* aa2 Volunteering moved from (none) to A1" not in diff.output
    assert "new concepts (1): aa2 Volunteering" in diff.output
    assert run("saturation", "diff", "--level", "atom", project=p).exit_code == 1
