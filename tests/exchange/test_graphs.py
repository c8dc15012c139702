"""The model graph, its checks and layout, and the graph/figure/table files built from a snapshot alone."""

import networkx as nx
import pandas as pd
import pytest

from gtcode.domain.errors import GtcodeError
from gtcode.domain.graph import check_model, layout_model, model_graph
from gtcode.domain.levels import Level
from gtcode.domain.model import CodeSpec, ModelSnapshot, ParadigmSpec, RelationshipSpec, SlotSpec
from gtcode.domain.paradigm import Slot
from gtcode.exchange.graphs import to_dot, to_mermaid, write_graph
from gtcode.exchange.model_files import write_model
from gtcode.exchange.tables import latex_table, markdown_table, write_table
from gtcode.tui.widgets.model_graph import draw_model

MAINS = ["Social demand", "Government guarantee", "Innovation drive", "Talent support", "Resource supply",
         "Technology support"]
TYPES = ["safeguard", "regulating", "supporting", "supporting", "supporting"]


def spr(**changes) -> ModelSnapshot:
    codes = [CodeSpec("A6", Level.CATEGORY, "Policy guarantee", "Guarantee policies", parent="M2"),
             CodeSpec("A2", Level.CATEGORY, "Normative standards", parent="M2")]
    codes += [CodeSpec(f"M{i}", Level.MAIN, label, parent="C1") for i, label in enumerate(MAINS, 1)]
    codes += [CodeSpec("C1", Level.CORE, "Factors of sharing"), CodeSpec("O1", Level.OUTCOME, "Shared behavior")]
    rels = [RelationshipSpec("R1", "M1", "causal", "O1", "Demand drives sharing")]
    rels += [RelationshipSpec(f"R{i}", f"M{i}", kind, "R1") for i, kind in enumerate(TYPES, 2)]
    paradigm = ParadigmSpec("M2", (SlotSpec(Slot.CAUSAL, ("A6",)), SlotSpec(Slot.PHENOMENON, ("A2",)),
                                   SlotSpec(Slot.CONSEQUENCE, text="Sharing is secured")))
    values = dict(name="SPR", codes=tuple(codes), relationships=tuple(rels), paradigms=(paradigm,), core="C1",
                  outcome="O1", storyline="Under the guarantee ...")
    values.update(changes)
    return ModelSnapshot(**values)


def test_graph_holds_relationships_as_nodes_with_arms():
    graph = model_graph(spr())
    assert graph.nodes["R2"]["kind"] == "relationship" and graph.nodes["R2"]["target"] == "R1"
    assert graph.edges["M2", "R2"]["kind"] == "source" and graph.edges["R2", "R1"]["kind"] == "target"
    assert graph.edges["M2", "A6"]["kind"] == "contains"


def test_checks_find_dangling_refs_unrelated_mains_and_cycles():
    assert check_model(spr()) == []
    broken = spr(relationships=spr().relationships + (RelationshipSpec("R7", "M9", "causal", "R99"),))
    errors = [i.message for i in check_model(broken) if i.severity == "error"]
    assert errors == ["R7: source M9 does not exist", "R7: target R99 does not exist"]
    lonely = spr(relationships=spr().relationships[:2])
    warned = {i.ref for i in check_model(lonely) if i.severity == "warning"}
    assert warned == {"M3", "M4", "M5", "M6"}
    looped = spr(relationships=spr().relationships + (RelationshipSpec("R7", "O1", "causal", "M1"),))
    assert any(i.message.startswith("cycle: ") for i in check_model(looped))
    layout_model(looped)  # a cycle is drawn, not refused


def test_layout_puts_acting_codes_beside_the_arrow_they_act_on():
    layout = layout_model(spr())
    (x0, y0), (x1, _) = layout.positions["M1"], layout.positions["O1"]
    assert x1 > x0
    for arrow in layout.arrows[1:]:
        assert arrow.end[1] == y0 and x0 < arrow.end[0] < x1
        assert layout.positions[arrow.source][1] != y0
    assert len({arrow.end for arrow in layout.arrows[1:]}) == 3  # five codes share three spots


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_round_trip(tmp_path, fmt):
    path = write_graph(spr(), tmp_path / f"m.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    original = model_graph(spr())
    assert set(back.nodes) == set(original.nodes) and set(back.edges) == set(original.edges)
    assert back.nodes["R3"]["type"] == "regulating"


def test_dot_mermaid_and_terminal_drawing_show_arrows_onto_arrows():
    dot = to_dot(spr())
    assert '"R1" [shape=point' in dot and '"M2" -> "R1" [label="safeguard", arrowhead=none, style=dashed];' not in dot
    assert '"M2" -> "R1" [label="safeguard", style=dashed];' in dot and "subgraph cluster_core" in dot
    assert "M1 ---|causal| R1 --> O1" in to_mermaid(spr())
    drawing = "\n".join(draw_model(spr(), 116))
    assert drawing.count("●") == 3 and "▶" in drawing and "safeguard" in drawing
    assert "Government guarantee" in drawing and max(len(line) for line in drawing.splitlines()) <= 116


def test_figure_and_model_files(tmp_path):
    png = write_model(spr(), tmp_path / "figure.png")
    svg = write_model(spr(), tmp_path / "figure.svg")
    assert png.read_bytes()[:4] == b"\x89PNG" and "<svg" in svg.read_text()
    report = write_model(spr(), tmp_path / "model.md").read_text()
    assert "## Story line" in report and "```mermaid" in report and "| Causal conditions | A6: Policy guarantee |" in report
    with pytest.raises(GtcodeError, match="model format 'pdf'"):
        write_model(spr(), tmp_path / "model.pdf")


def test_write_table_formats(tmp_path):
    frame = pd.DataFrame([("a|b", "x_1 & 50%\nnext")], columns=["One", "Two"])
    assert "| a\\|b | x_1 & 50%<br>next |" in markdown_table(frame)
    tex = latex_table(frame, "Caption")
    assert r"\toprule" in tex and r"x\_1 \& 50\% \newline next" in tex and r"\caption{Caption}" in tex
    for fmt in ("csv", "xlsx"):
        path = write_table(frame, tmp_path / f"t.{fmt}")
        back = pd.read_csv(path) if fmt == "csv" else pd.read_excel(path)
        assert back.iloc[0, 1] == "x_1 & 50%\nnext"
    with pytest.raises(GtcodeError, match="table format 'doc'"):
        write_table(frame, tmp_path / "t.doc")


def acting_and_direct() -> ModelSnapshot:
    """M2 acts on R1 (M1 -> O1) and also has a relationship of its own to M3, which acts on R1 too."""
    codes = tuple(CodeSpec(f"M{i}", Level.MAIN, label) for i, label in enumerate(MAINS[:3], 1))
    rels = (RelationshipSpec("R1", "M1", "causal", "O1"), RelationshipSpec("R2", "M2", "safeguard", "R1"),
            RelationshipSpec("R3", "M2", "supporting", "M3"), RelationshipSpec("R4", "M3", "regulating", "R1"))
    return ModelSnapshot(codes=codes + (CodeSpec("O1", Level.OUTCOME, "Shared behavior"),), relationships=rels,
                         outcome="O1")


def test_a_code_acting_on_a_relationship_and_related_directly_keeps_both_arrows():
    layout = layout_model(acting_and_direct())
    ends = {arrow.ref: arrow.end for arrow in layout.arrows}
    assert set(ends) == {"R1", "R2", "R3", "R4"}
    assert ends["R2"] != ends["R4"]  # each acting code meets R1 at its own spot (the PNG draws the same layout)
    (x0, _), (x1, _) = layout.positions["M1"], layout.positions["O1"]
    assert all(x0 < ends[ref][0] < x1 for ref in ("R2", "R4"))
    lines = draw_model(acting_and_direct())
    drawing = "\n".join(lines)
    assert "safeguard" in drawing and "regulating" in drawing and "supporting" in drawing and "causal" in drawing
    r1_row = next(line for line in lines if "Social demand" in line)
    r3_row = next(line for line in lines if "Government guarantee" in line)
    assert r1_row.count("●") == 2 and "▶" in r1_row
    assert "┼" not in r3_row and "▶" in r3_row  # R3's own line is not crossed or covered by R2's


def test_drawing_narrows_boxes_to_fit_a_narrow_terminal():
    wide = draw_model(spr())
    assert max(len(line) for line in wide) > 76
    narrow = draw_model(spr(), 76)  # an 80-column terminal
    assert max(len(line) for line in narrow) <= 76 and "\n".join(narrow).count("●") == 3
    narrowest = draw_model(spr(), 50)  # boxes no narrower than MIN_BOX: the view scrolls
    assert "\n".join(narrowest).count("●") == 3 and "┌──────────┐" in "\n".join(narrowest)


def test_narrowed_boxes_give_a_label_that_no_longer_fits_a_second_line():
    narrow = draw_model(spr(), 76)  # an 80-column terminal: boxes of 14 cells, too narrow for the labels
    assert max(len(line) for line in narrow) <= 76 and "\n".join(narrow).count("●") == 3
    government = next(n for n, line in enumerate(narrow) if "│ Government │" in line)
    assert "│ guarantee  │" in narrow[government + 1]
    assert all(any(word in line for line in narrow) for label in MAINS for word in label.split())
    assert not any("…" in line for line in narrow)  # every label whole
    wide = draw_model(spr())  # room enough: one line per box, as before
    assert any("│Government guarantee│" in line for line in wide) and "│guarantee" not in "\n".join(wide)
    zh = draw_model(spr(codes=tuple(replace_label(code) for code in spr().codes)), 76)
    first = next(n for n, line in enumerate(zh) if "│政府保障数字│" in line)  # twelve cells: six characters a line
    assert "│化城乡公共… │" in zh[first + 1]
    untitled = draw_model(spr(), 76, core_line=False)  # a screen that names the core elsewhere
    assert narrow[0].startswith(" Core: Factors of sharing") and untitled == narrow[2:]


def replace_label(code: CodeSpec) -> CodeSpec:
    """M2 with a Chinese label of 13 characters (26 cells)."""
    from dataclasses import replace

    return replace(code, label="政府保障数字化城乡公共资源") if code.ref == "M2" else code
