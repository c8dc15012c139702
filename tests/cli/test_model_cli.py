"""The paper's government-guarantee paradigm (Table 3) and Table 5's relationships, built and exported by CLI."""

import json
import shutil

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from gtcode.cli.main import cli
from gtcode.domain.levels import Level
from gtcode.services import codes as codebook
from gtcode.services.changes import ChangeRecorder
from gtcode.services.project import init_project
from tests.conftest import raw_write

# Table 4 (ids, names, connotations) for the categories the paradigm and the six main categories use.
CATEGORIES = {
    2: ("Normative standards", "Standardize the standard system of resource digitization"),
    4: ("Regional coordination", "Coordinate the construction of urban and rural public resources"),
    6: ("Policy guarantee", "Guarantee a series of policies for rural revitalization"),
    7: ("Sectoral collaboration", "Coordination among government departments at all levels"),
    9: ("System improvement", "Social public resource supply system"),
    12: ("Institutional construction", "Develop and establish a digital system for public resources"),
    17: ("Regulatory security", "Establishing a sound digital sharing security responsibility system"),
    20: ("Financial support", "Formulating policies for financial support of social public resource sharing"),
    16: ("Public demand", "Farmers' demand for quality resource services"),
    5: ("Innovation drive", "Strengthen technology application drive"),
    13: ("Talent cultivation", "Technical talent support and guarantee"),
    3: ("Resource integration", "Integrate digital resources from all sides"),
    8: ("Technology application", "Application of digital network technologies"),
}
MAINS = [("Social demand", [16]), ("Government guarantee", [2, 4, 6, 7, 9, 12, 17, 20]),
         ("Innovation drive", [5]), ("Talent support", [13]), ("Resource supply", [3]),
         ("Technology support", [8])]
CONTEXT = ("Digital urban-rural sharing of public resources should rely on policy guarantees such as rural "
           "revitalization and urban-rural integration development strategies")
RESULT = "Government actively and effectively secures resource sharing implementation"
MEMO_R1 = "Social demand positively influences the digital urban-rural sharing of SPRs."

# Table 3 as the paper prints it, slot by slot (the paper's Table 3 says "Policy protection" and
# "Institution building" where Table 4 says "Policy guarantee" and "Institutional construction").
TABLE_3 = [
    ("Causal conditions", "A6: Policy guarantee"), ("Causal conditions", "A9: System improvement"),
    ("Causal conditions", "A12: Institutional construction"), ("Phenomenon", "A2: Normative standards"),
    ("Context (action vein)", CONTEXT), ("Intervening conditions", "A20: Financial support"),
    ("Intervening conditions", "A17: Regulatory security"),
    ("Action/interaction strategies", "A4: Regional coordination"),
    ("Action/interaction strategies", "A7: Sectoral collaboration"), ("Consequences", RESULT),
]
TABLE_5 = [
    ("Social demand → Shared behavior", "Causality"),
    ("Government guarantee ↓ Social demand → Shared behavior", "Safeguard relationship"),
    ("Innovation drive ↓ Social demand → Shared behavior", "Regulating relationship"),
    ("Talent support ↓ Social demand → Shared behavior", "Support relationship"),
    ("Resource supply ↓ Social demand → Shared behavior", "Support relationship"),
    ("Technology support ↓ Social demand → Shared behavior", "Support relationship"),
]


def run(directory, *args, ok=True):
    result = CliRunner().invoke(cli, ["--project", str(directory), *args])
    assert (result.exit_code == 0) == ok, result.output + result.stderr
    return result


@pytest.fixture
def spr(spr_once, tmp_path):
    """A copy of the paper's model project for one test: its folder."""
    return shutil.copytree(spr_once, tmp_path / "spr")


@pytest.fixture(scope="module")
def spr_once(tmp_path_factory):
    """The paper's model (Table 4's categories, six main categories, M2's paradigm, the core and R1-R6), built
    through the CLI once for the module."""
    directory = tmp_path_factory.mktemp("model") / "spr"
    project = init_project(directory, name="spr", coder="alice")
    with raw_write(project) as session:
        recorder = ChangeRecorder(session, "Table 4 categories", project.coder)
        for number, (label, connotation) in CATEGORIES.items():
            codebook.create_code(session, recorder, Level.CATEGORY, label, definition=connotation, number=number)
        recorder.save()
    project.close()
    for main, numbers in MAINS:
        run(directory, "group", "main", main, *[f"A{n}" for n in numbers])
    run(directory, "paradigm", "Government guarantee", "causal", "A6", "A9", "A12")
    run(directory, "paradigm", "M2", "phenomenon", "A2")
    run(directory, "paradigm", "M2", "context", "--text", CONTEXT)
    run(directory, "paradigm", "M2", "intervening", "A20", "A17")
    run(directory, "paradigm", "M2", "strategy", "A4", "A7")
    run(directory, "paradigm", "M2", "consequence", "--text", RESULT)
    run(directory, "core", "Factors influencing the digital urban-rural sharing of resources",
        "--storyline", "Under the government guarantee ...")
    run(directory, "outcome", "Shared behavior")
    first = json.loads(run(directory, "relate", "Social demand", "causality", "Shared behavior",
                           "--memo", MEMO_R1, "--json").output)
    assert first["ref"] == "R1"
    for main, kind in (("Government guarantee", "safeguard"), ("Innovation drive", "regulating"),
                       ("Talent support", "supporting"), ("Resource supply", "supporting"),
                       ("Technology support", "supporting")):
        run(directory, "relate", main, kind, "R1")
    return directory


def test_paradigm_prints_and_reports_in_json(spr):
    shown = json.loads(run(spr, "paradigm", "M2", "--json").output)
    assert [c["ref"] for c in shown["slots"][0]["categories"]] == ["A6", "A9", "A12"]
    assert shown["issues"] == []
    assert "A6: Policy guarantee" in run(spr, "paradigm", "M2").output


def test_tables_match_the_papers_tables_3_to_5(spr, tmp_path):
    out = tmp_path / "tables"
    written = json.loads(run(spr, "export", "tables", str(out), "--format", "csv", "--json").output)["written"]
    assert sorted(p.rsplit("/", 1)[1] for p in written) == ["categories.csv", "paradigm-M2.csv", "relationships.csv"]
    table3 = pd.read_csv(out / "paradigm-M2.csv", keep_default_na=False)
    assert list(table3.itertuples(index=False, name=None)) == TABLE_3
    table4 = pd.read_csv(out / "categories.csv")
    government = table4[table4["Main category"] == "Government guarantee"]
    assert list(government["Sub-category"]) == ["A2 Normative standards", "A4 Regional coordination",
                                                "A6 Policy guarantee", "A7 Sectoral collaboration",
                                                "A9 System improvement", "A12 Institutional construction",
                                                "A17 Regulatory security", "A20 Financial support"]
    assert table4.iloc[0]["Connotation"] == CATEGORIES[16][1]
    table5 = pd.read_csv(out / "relationships.csv", keep_default_na=False)
    assert list(table5[["Typical relationship", "Relationship structure"]].itertuples(index=False, name=None)) == TABLE_5
    assert table5.iloc[0]["Connotation"] == MEMO_R1
    for fmt in ("md", "tex", "xlsx"):
        run(spr, "export", "tables", str(tmp_path / fmt), "--format", fmt)
    assert "\\toprule" in (tmp_path / "tex" / "relationships.tex").read_text()
    assert "| Social demand → Shared behavior | Causality |" in (tmp_path / "md" / "relationships.md").read_text()
    assert pd.read_excel(tmp_path / "xlsx" / "paradigm-M2.xlsx").shape == (10, 2)


def test_graphml_round_trip_keeps_nodes_edges_and_edges_on_edges(spr, tmp_path):
    path = tmp_path / "model.graphml"
    run(spr, "export", "model", str(path), "--format", "graphml")
    graph = nx.read_graphml(path)
    mains = {n for n, d in graph.nodes(data=True) if d.get("level") == "main"}
    assert mains == {f"M{i}" for i in range(1, 7)}
    assert graph.nodes["O1"]["level"] == "outcome" and graph.nodes["C1"]["level"] == "core"
    assert {n for n, d in graph.nodes(data=True) if d["kind"] == "relationship"} == {f"R{i}" for i in range(1, 7)}
    assert graph.has_edge("M1", "R1") and graph.has_edge("R1", "O1") and graph.nodes["R1"]["type"] == "causal"
    acting = {(u, graph.nodes[u]["type"]) for u, v, d in graph.edges(data=True) if v == "R1" and d["kind"] == "target"}
    assert acting == {("R2", "safeguard"), ("R3", "regulating"), ("R4", "supporting"), ("R5", "supporting"),
                      ("R6", "supporting")}
    assert graph.has_edge("M2", "R2") and graph.has_edge("M2", "A6")  # the relationship's source; containment
    assert graph.nodes["R1"]["memo"] == MEMO_R1


def test_other_model_formats(spr, tmp_path):
    for fmt in ("yaml", "json", "gexf", "dot", "mermaid", "svg", "png", "md"):
        path = tmp_path / f"model.{fmt}"
        run(spr, "export", "model", str(path), "--format", fmt)
        assert path.stat().st_size > 100, fmt
    data = json.loads((tmp_path / "model.json").read_text())
    assert data["core"] == "C1" and data["outcome"] == "O1" and len(data["relationships"]) == 6
    assert "M2 -.->|safeguard| R1" in (tmp_path / "model.mermaid").read_text()
    assert (tmp_path / "model.png").read_bytes()[:4] == b"\x89PNG"
    assert nx.read_gexf(tmp_path / "model.gexf").has_edge("R2", "R1")


def test_relations_unrelate_types_and_check(spr):
    listed = json.loads(run(spr, "relations", "--json").output)
    assert [r["ref"] for r in listed] == [f"R{i}" for i in range(1, 7)]
    assert "the model is consistent" in run(spr, "check-model").output
    run(spr, "relation-type", "hindering", "The source holds the target back.")
    created = json.loads(run(spr, "relate", "A16", "hindering", "A5", "--json").output)
    assert created["ref"] == "R7"
    run(spr, "unrelate", "R7")
    error = run(spr, "unrelate", "R1", ok=False)
    assert error.stderr.strip() == "gtcode: error: R2 acts on R1: remove R2 first"
    assert json.loads(run(spr, "storyline", "--json").output)["storyline"] == "Under the government guarantee ..."


@pytest.mark.parametrize("args, message", [
    (["paradigm", "M2", "reasons", "A6"], "(see gtcode paradigm --help)"),
    (["paradigm", "M2", "causal", "M1"], "M1 (Social demand) is a main: a paradigm slot's entry must be a category"),
    (["relate", "M1", "causal", "M1"], "M1 cannot be related to itself"),
    (["relate", "M1", "causal", "R42"], "no relationship 'R42'"),
    (["relate", "M1", "pushing", "O1"], "unknown relation type 'pushing'"),
    (["relation-type", "causal", "again"], "'causal' is a built-in relation type"),
])
def test_bad_input_is_one_line_and_changes_nothing(spr, tmp_path, args, message):
    before = run(spr, "export", "model", str(tmp_path / "before.json")).output
    result = run(spr, *args, ok=False)
    assert result.stderr.startswith("gtcode: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    run(spr, "export", "model", str(tmp_path / "after.json"))
    assert (tmp_path / "before.json").read_text() == (tmp_path / "after.json").read_text()
    assert before
