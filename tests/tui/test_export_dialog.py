"""The export dialog: every export writes a file that its reader reads back; a refusal stays in the dialog."""

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
from textual.widgets import Input, Select

from gtcode.exchange.model_yaml import load_model
from gtcode.exchange.refi.read import read_qdc, read_qdpx
from gtcode.services.coding import code_span
from gtcode.services.exports import EXPORTS
from gtcode.services.holdout import release_holdout, split_holdout
from gtcode.services.memos import add_memo
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.export_dialog import ExportDialog
from tests.tui.support import messages, settle
from tests.tui.test_saturation_screen import HELD, span, theory  # noqa: F401 (the fixture)


def labels_in_yaml(path) -> set[str]:
    return {code.label for code in load_model(path.read_text(encoding="utf-8")).codes}


READ_BACK = {  # what, format -> what its reader finds in the file
    ("codebook", "qdc"): lambda p: "Telemedicine" in {c.name.split(" ", 1)[-1] for c in _all(read_qdc(p)[0])},
    ("codebook", "yaml"): lambda p: {"Telemedicine", "直播课堂", "Resource sharing"} <= labels_in_yaml(p),
    ("model", "yaml"): lambda p: "Remote services" in labels_in_yaml(p),
    ("model", "graphml"): lambda p: "A1" in nx.read_graphml(p).nodes,
    ("model", "svg"): lambda p: ET.parse(p).getroot().tag.endswith("svg"),
    ("tables", "csv"): lambda p: all(len(pd.read_csv(f).columns) > 1 for f in p.glob("*.csv")) and any(p.glob("*.csv")),
    ("project", "qdpx"): lambda p: len(read_qdpx(p).sources) == 3,
    ("saturation", "md"): lambda p: "Saturated" in p.read_text(encoding="utf-8"),
    ("saturation", "json"): lambda p: json.loads(p.read_text(encoding="utf-8"))["verdict"] == "saturated",
    ("open-coding", "csv"): lambda p: {"Telemedicine", "直播课堂"} <= _codes_in_table_2(p),
    ("open-coding", "json"): lambda p: {row["conceptualization"][0] for row in json.loads(
        p.read_text(encoding="utf-8"))} >= {"a1: Telemedicine", "a2: 直播课堂"},
    ("memos", "md"): lambda p: "城乡共享的起点" in p.read_text(encoding="utf-8"),
    ("matrix", "csv"): lambda p: {"a1 Telemedicine", "a2 直播课堂"} <= set(pd.read_csv(p)["code"]),
}


def _codes_in_table_2(path) -> set[str]:
    """The phenomena's labels in Table 2's Conceptualization column ("a1: Telemedicine", a line each)."""
    column = pd.read_csv(path)["Conceptualization"]
    return {line.split(": ", 1)[1] for cell in column for line in cell.splitlines()}


def _all(codes):
    for code in codes:
        yield code
        yield from _all(code.children)


async def export(pilot, what: str, fmt: str, path) -> ExportDialog:
    """Open the dialog with E, choose what, format and path, and press Ctrl+S."""
    await pilot.press("E")
    await settle(pilot, 1)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#export-what", Select).value = what
    await pilot.pause()
    await write(pilot, dialog, fmt, path)
    return dialog


async def write(pilot, dialog: ExportDialog, fmt: str, path) -> None:
    """Choose the format and path in the open dialog and press Ctrl+S."""
    dialog.query_one("#export-format", Select).value = fmt
    await pilot.pause()
    dialog.query_one("#export-path", Input).value = str(path)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_every_export_writes_a_file_its_reader_reads_back(theory, tmp_path):  # noqa: F811
    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    release_holdout(project)
    code_span(project, held.id, *span(HELD, "Volunteers repair computers"), "Volunteer repair")
    add_memo(project, "a2", "城乡共享的起点", title="直播课笔记", memo_type="code")
    assert {e.name for e in EXPORTS} == {what for what, _fmt in READ_BACK}
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for (what, fmt), reads_back in READ_BACK.items():
            path = tmp_path / (f"{what}-{fmt}" if what == "tables" else f"{what}.{fmt}")
            dialog = await export(pilot, what, fmt, path)
            assert not dialog.is_attached, f"{what} {fmt}: {dialog.query_one('#export-status').render()}"
            assert any(m.startswith(f"wrote {path}") or m.startswith("wrote ") and str(path) in m
                       for m in messages(pilot.app)), what
            assert reads_back(path), f"{what} {fmt}"


async def test_stage_offers_its_own_export_and_a_refusal_stays_in_the_dialog(theory, tmp_path):  # noqa: F811
    project, _held = theory
    out = tmp_path / "out"
    out.mkdir()
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot, 1)
        dialog = pilot.app.screen
        assert dialog.query_one("#export-what", Select).value == "model"
        assert dialog.query_one("#export-path", Input).value == str(project.directory / "model.yaml")
        dialog.query_one("#export-what", Select).value = "codebook"
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(out)  # a folder where a file goes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.is_attached
        status = str(dialog.query_one("#export-status").render())
        assert status.startswith(f"refused: {out} is a folder: give a file name, e.g. codebook.yaml")
    assert list(out.iterdir()) == []


async def test_the_saturation_report_is_exported_in_the_order_the_screen_shows(theory, tmp_path):  # noqa: F811
    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    release_holdout(project)
    code_span(project, held.id, *span(HELD, "Volunteers repair computers"), "Volunteer repair")
    path = tmp_path / "report.json"
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("o")  # first coding -> import order
        await settle(pilot)
        assert pilot.app.screen.order == "import"
        await pilot.press("x")
        await settle(pilot, 1)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog) and dialog.query_one("#export-what", Select).value == "saturation"
        assert str(dialog.query_one("#export-status").render()) == "the same as gtcode saturation report --order import"
        await write(pilot, dialog, "json", path)
        assert not dialog.is_attached
    assert json.loads(path.read_text(encoding="utf-8"))["curve"]["order"] == "import"


async def test_the_memo_workspace_offers_the_memos_from_its_list_and_types_e_in_its_editor(theory, tmp_path):  # noqa: F811
    project, _held = theory
    add_memo(project, "a1", "Villagers see a doctor online.", title="Telemedicine note", memo_type="code")
    path = tmp_path / "备忘录.md"
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        memos = pilot.app.screen
        memos.query_one("#memo-body").focus()
        await pilot.press("E")
        await settle(pilot)
        assert pilot.app.screen is memos and memos.query_one("#memo-body").text.startswith("E")
        memos.query_one("#memo-table").focus()
        await pilot.press("E")
        await settle(pilot, 1)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog) and dialog.query_one("#export-what", Select).value == "memos"
        assert str(dialog.query_one("#export-status").render()) == "the same as gtcode export memos"
        dialog.query_one("#export-path", Input).value = str(path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not dialog.is_attached
    assert "Telemedicine note" in path.read_text(encoding="utf-8")


async def test_the_matrix_screen_exports_the_matrix_it_shows(theory, tmp_path):  # noqa: F811
    project, _held = theory
    path = tmp_path / "矩阵.csv"
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen("matrix")
        await settle(pilot)
        await pilot.press("l")  # phenomena -> concepts
        await settle(pilot)
        pilot.app.screen.query_one("#matrix-table").focus()
        await pilot.press("E")
        await settle(pilot, 1)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog) and dialog.query_one("#export-what", Select).value == "matrix"
        assert str(dialog.query_one("#export-status").render()) == (
            "the same as gtcode matrix --level concept --columns documents --count quotations")
        await write(pilot, dialog, "csv", path)
        assert not dialog.is_attached
    frame = pd.read_csv(path)
    assert list(frame["code"]) == ["aa1 Remote services"] and frame.iloc[0, 1:].sum() == 2
