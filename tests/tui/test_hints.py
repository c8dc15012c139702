"""Refusal hints are face-neutral: the CLI names the command, the TUI the key or screen (gtcode.tui.hints)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gtcode.domain.errors import COMMANDS, run, where
from gtcode.services import axial, memos, properties
from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.project import open_project
from gtcode.services.team import add_coder
from gtcode.tui.app import GtcodeApp
from gtcode.tui.hints import KEYS, PLACES, tui_message
from tests.tui.support import ZH, answer, code_quote, messages, open_document, settle

SERVICES = Path(__file__).parents[2] / "gtcode" / "services"
CLI_ONLY = {("search.py", " as `gtcode search` lists them")}  # the refusal of a CLI option, --hits: no TUI face


def _refusal_texts(path: Path):
    """The string parts of every ``raise`` in a module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield part.value


def test_no_service_refusal_names_a_cli_command_in_plain_text():
    named = [(path.name, text) for path in sorted(SERVICES.glob("*.py")) for text in _refusal_texts(path)
             if "`gtcode " in text and (path.name, text) not in CLI_ONLY]
    assert named == []


def test_a_hint_fills_the_commands_placeholders_and_the_tui_ignores_them():
    error = GtcodeError(f"no coding 9: list them {where('quotes', 'A1')}; add one, {run('property.add', '费用')}")
    assert str(error) == ("no coding 9: list them with `gtcode quotes A1`; add one, run `gtcode property add 费用 NAME "
                          "--range ...`")
    assert tui_message(error) == ("no coding 9: list them with = on the code in the codebook tree (F3); add one, "
                                  "press p on the code in the codebook tree (F3), then a")
    assert set(KEYS) | set(PLACES) <= set(COMMANDS)


@pytest.fixture
def coded(project):
    doc = add_document(project, "村医访谈", "村医说：远程会诊很有用。Nurses stayed late.", lang="zh").document
    coding = code_span(project, doc.id, 4, 8, "远程会诊")
    codebook.group(project, "concept", "远程服务", ["a1"])
    codebook.group(project, "category", "Resource sharing", ["aa1"])
    codebook.group(project, "main", "Social demand", ["A1"])
    return project, doc, coding


def test_service_refusals_say_the_command_on_the_cli_and_the_key_in_the_tui(coded):
    project, doc, coding = coded
    other = code_span(project, doc.id, 13, 19, "Nurses")
    cases = [
        (lambda: properties.set_dimension(project, coding.id, "费用", "免费"),
         "add one to a category, run `gtcode property add CATEGORY NAME --range ...`",
         "add one to a category, press p on the code in the codebook tree (F3), then a"),
        (lambda: axial.set_slot(project, "M1", "causal", remove=["A1"]),
         "see it with `gtcode paradigm M1`", "see it on the Axial screen (F4)"),
        (lambda: codebook.describe(project, "aa1", examples=[other.id]),
         "pick one of those listed with `gtcode quotes aa1`",
         "pick one of those listed with = on the code in the codebook tree (F3)"),
        (lambda: memos.add_memo(project, f"doc:{doc.id}@4-8", "会诊"),
         f"with the memo's links: run `gtcode memo link MEMO doc:{doc.id}@4-8`",
         "with the memo's links: press Ctrl+L on the memo in the memo workspace (F7)"),
    ]
    for act, cli, tui in cases:
        with pytest.raises(GtcodeError) as refused:
            act()
        assert str(refused.value).endswith(cli) and tui_message(refused.value).endswith(tui)
        assert "`gtcode" not in tui_message(refused.value)


def test_another_coders_memo_points_at_the_memo_workspace(coded):
    project, _doc, _coding = coded
    memo = memos.add_memo(project, "a1", "城乡共享的起点")
    add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    try:
        with pytest.raises(GtcodeError) as refused:
            memos.edit_memo(bob, memo.id, "mine now")
    finally:
        bob.close()
    assert str(refused.value).endswith("write a memo of your own, run `gtcode memo add`")
    assert tui_message(refused.value).endswith("write a memo of your own, press Ctrl+N in the memo workspace (F7)")


async def test_the_reader_says_the_key_that_adds_a_property(docs):
    project, _en, zh = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, zh.id)
        await code_quote(pilot, ZH, "直播课", "直播课")
        await answer(pilot, "v", *"费用=免费", "enter")
        await settle(pilot)
    refusal = next(m for m in messages(pilot.app) if "no property" in m)
    assert refusal.endswith("add one to a category, press p on the code in the codebook tree (F3), then a")
