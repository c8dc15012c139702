"""The axial and selective screens driven with the keyboard; the database is the judge."""

import pytest

from gtcode.domain.levels import Level
from gtcode.domain.paradigm import Slot
from gtcode.services import axial, selective
from gtcode.services import codes as codebook
from gtcode.services.changes import ChangeRecorder
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.axial import AxialScreen, SlotPanel
from gtcode.tui.screens.selective import SelectiveScreen
from tests.tui.support import answer, answer_each, messages, on_relationship, settle
from tests.conftest import raw_write

CATEGORIES = {2: "Normative standards", 4: "Regional coordination", 6: "Policy guarantee", 7: "Sectoral collaboration",
              9: "System improvement", 16: "Public demand", 5: "Innovation drive", 13: "Talent cultivation"}


@pytest.fixture
def model(sqlite_project):
    p = sqlite_project
    with raw_write(p) as session:
        recorder = ChangeRecorder(session, "categories", p.coder)
        for number, label in CATEGORIES.items():
            codebook.create_code(session, recorder, Level.CATEGORY, label, number=number)
        codebook.create_code(session, recorder, Level.CATEGORY, "Loose idea", number=30)
        recorder.save()
    codebook.group(p, "main", "Social demand", ["A16"])
    codebook.group(p, "main", "Government guarantee", ["A2", "A4", "A6", "A7", "A9"])
    codebook.group(p, "main", "Talent support", ["A13"])
    return p


@pytest.fixture
def related(model):
    axial.set_slot(model, "M2", "causal", ["A6", "A9"])
    axial.set_slot(model, "M2", "context", text="Sharing relies on policy guarantees")
    selective.set_core(model, "Factors of sharing", storyline="Under the government guarantee, demand drives sharing.")
    selective.set_outcome(model, "Shared behavior")
    selective.relate(model, "M1", "causal", "O1")
    selective.relate(model, "M2", "safeguard", "R1")
    selective.relate(model, "M3", "supporting", "R1")
    return model


async def open_axial(pilot, main_index: int = 1) -> AxialScreen:
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#mains").highlighted = main_index
    await settle(pilot)
    return screen


async def test_axial_adds_with_completion_sets_text_removes_and_undoes(model):
    async with GtcodeApp(model).run_test(size=(120, 40)) as pilot:
        screen = await open_axial(pilot)
        assert screen.main_ref == "M2"
        screen.query_one("#slot-causal", SlotPanel).focus()
        await answer(pilot, "a", *"Policy g")
        await settle(pilot)
        await pilot.press("tab", "enter")  # → completes A6 (Policy guarantee), the first match
        await settle(pilot)
        await answer(pilot, "a", *"A9, A30", "enter")
        await settle(pilot)
        screen.query_one("#slot-context", SlotPanel).focus()
        await answer(pilot, "t", *"Sharing relies on policy", "enter")
        await settle(pilot)
        info = axial.paradigm(model, "M2")
        assert [c.ref for c in info.slot(Slot.CAUSAL).categories] == ["A6", "A9", "A30"]
        assert info.slot(Slot.CONTEXT).text == "Sharing relies on policy"
        assert "A30 Loose idea is under no main category" in str(screen.query_one("#paradigm-issues").render())
        causal = screen.query_one("#slot-causal", SlotPanel)
        causal.focus()
        causal.highlighted = 2
        await pilot.press("x")
        await settle(pilot)
        assert [c.ref for c in axial.paradigm(model, "M2").slot(Slot.CAUSAL).categories] == ["A6", "A9"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [c.ref for c in axial.paradigm(model, "M2").slot(Slot.CAUSAL).categories] == ["A6", "A9", "A30"]


async def test_axial_refuses_a_main_category_in_a_slot_at_the_prompt(model):
    async with GtcodeApp(model).run_test(size=(120, 40)) as pilot:
        screen = await open_axial(pilot)
        screen.query_one("#slot-phenomenon", SlotPanel).focus()
        await answer(pilot, "a", *"M1", "enter")
        await settle(pilot)
        dialog = pilot.app.screen
        assert str(dialog.query_one("#prompt-refusal").render()) == \
            "no category 'M1': pick one from the list (↓) or type its ref"
        await pilot.press("escape")
        await settle(pilot)
    assert axial.paradigm(model, "M2").slot(Slot.PHENOMENON).empty


async def test_axial_quotes_and_grouping(model):
    async with GtcodeApp(model).run_test(size=(120, 40)) as pilot:
        screen = await open_axial(pilot)
        await answer_each(pilot, "g", "Innovation", "A5")
        await settle(pilot)
        assert [m.label for m in axial.main_categories(model)][-1] == "Innovation"
        screen.query_one("#slot-causal", SlotPanel).focus()
        await pilot.press("q")
        await settle(pilot)
        assert screen.query_one("#slot-quotes").display


async def test_selective_relates_onto_a_relationship_and_saves_the_storyline(model):
    selective.set_outcome(model, "Shared behavior")
    async with GtcodeApp(model).run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SelectiveScreen)
        await answer_each(pilot, "n", "M1", "causality", "O1")
        await settle(pilot)
        await answer_each(pilot, "n", "M2", "safeguard", "R1")
        await settle(pilot)
        await answer_each(pilot, "n", "M2", "safeguard", "R2")
        await settle(pilot)
        assert any("already part of R2" in m for m in messages(pilot.app))
        await answer(pilot, "e", *"Demand drives sharing.", "ctrl+s")
        await settle(pilot)
        drawing = str(pilot.app.screen.query_one("#model-graph").render())
        assert "safeguard" in drawing and "●" in drawing
    assert [(r.ref, r.source_ref, r.type, r.target_ref) for r in selective.relations(model)] == [
        ("R1", "M1", "causal", "O1"), ("R2", "M2", "safeguard", "R1")]
    assert selective.storyline(model) == "Demand drives sharing."


async def test_selective_memo_and_remove(related):
    async with GtcodeApp(related).run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        relations = pilot.app.screen.query_one("#relations")
        relations.focus()
        relations.highlighted = 1
        await answer(pilot, "m", *"Guarantees shield the effect.", "ctrl+s")
        await settle(pilot)
        relations.highlighted = 2
        await answer(pilot, "x", "y")
        await settle(pilot)
    assert [r.ref for r in selective.relations(related)] == ["R1", "R2"]
    assert selective.relations(related)[1].memo == "Guarantees shield the effect."


def test_axial_screen_snapshot(related, snap_compare):
    async def pick(pilot):
        await pilot.press("f4")
        await settle(pilot)
        pilot.app.screen.query_one("#mains").highlighted = 1
        await settle(pilot)
        pilot.app.screen.query_one("#slot-causal").focus()
        await settle(pilot)

    assert snap_compare(GtcodeApp(related), terminal_size=(120, 40), run_before=pick)


def test_selective_screen_snapshot(related, snap_compare):
    async def show(pilot):
        await pilot.press("f5")
        await settle(pilot)
        pilot.app.screen.query_one("#relations").focus()
        await settle(pilot)

    assert snap_compare(GtcodeApp(related), terminal_size=(120, 40), run_before=show)


async def test_selective_negative_cases_are_added_and_counted(related):
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document

    doc = add_document(related, "村民访谈", "我们不会用手机，还是去县城排队。", lang="zh").document
    coding = code_span(related, doc.id, 0, 7, "不会用手机")
    async with GtcodeApp(related).run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await on_relationship(pilot, 0, "V")
        await pilot.press(*str(coding.id), "enter")
        await settle(pilot)
        relations = pilot.app.screen.query_one("#relations")
        assert "1 contradicting" in str(relations.get_option_at_index(0).prompt)
    assert selective.relations(related)[0].contradicting == (coding.id,)


async def test_quitting_with_an_unsaved_story_line_or_memo_asks_first(related):
    from gtcode.tui.screens.dialogs import ConfirmDialog, MemoDialog

    async with GtcodeApp(related).run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await answer(pilot, "e", *"需求推动共享", "ctrl+q")
        await settle(pilot, 1)
        assert isinstance(pilot.app.screen, ConfirmDialog) and "unsaved story line" in pilot.app.screen.question
        await pilot.press("n")  # back to the text, nothing lost
        await settle(pilot, 1)
        assert pilot.app.screen.query_one("#storyline").text.startswith("需求推动共享Under the government")
        await pilot.press("ctrl+s")
        await settle(pilot)
        relations = pilot.app.screen.query_one("#relations")
        relations.focus()
        relations.highlighted = 1
        await answer(pilot, "m", *"half a thought")
        await settle(pilot, 1)
        await pilot.press("escape")  # leaving the memo with changes asks too
        await settle(pilot, 1)
        assert isinstance(pilot.app.screen, ConfirmDialog) and "Discard the changes" in pilot.app.screen.question
        await pilot.press("n")
        await settle(pilot, 1)
        assert isinstance(pilot.app.screen, MemoDialog)
        await pilot.press("ctrl+q")
        await settle(pilot, 1)
        assert "unsaved memo" in pilot.app.screen.question
        await pilot.press("y")
        await settle(pilot, 1)
        assert pilot.app.return_code == 0
    assert selective.storyline(related).startswith("需求推动共享Under the government")
    assert selective.relations(related)[1].memo == ""


async def test_quitting_with_everything_saved_does_not_ask(related):
    async with GtcodeApp(related).run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot, 1)
        assert pilot.app.return_code == 0


async def test_axial_weighs_evidence_for_and_against_a_slot(related):
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document

    text = "政策保障很重要。 可是我们村没有感到任何政策。"
    doc = add_document(related, "村民访谈", text, lang="zh").document
    backs = code_span(related, doc.id, 0, 7, "政策保障")
    against = code_span(related, doc.id, text.index("我们村"), len(text) - 1, "没有政策")
    async with GtcodeApp(related).run_test(size=(120, 40)) as pilot:
        screen = await open_axial(pilot)
        causal = screen.query_one("#slot-causal", SlotPanel)
        causal.focus()
        await answer(pilot, "e", *str(backs.id), "enter")
        await settle(pilot)
        await answer(pilot, "V", *str(against.id), "enter")
        await settle(pilot)
        assert "1 for · 1 against" in str(causal.border_subtitle)
        await pilot.press("q")
        await settle(pilot)
        shown = str(screen.query_one("#slot-quotes-text").render())
        assert "Negative cases (1)" in shown and "我们村没有感到任何政策" in shown
    info = axial.paradigm(related, "M2").slot(Slot.CAUSAL)
    assert (info.supporting, info.contradicting) == ((backs.id,), (against.id,))


async def test_at_80x24_axial_uses_the_height_and_selective_shows_whole_labels(related):
    axial.set_slot(related, "M1", "context", text="家庭希望孩子上好课，看病不用跑远路，城里有的在屏幕上也能用上。")
    async with GtcodeApp(related).run_test(size=(80, 24)) as pilot:
        screen = await open_axial(pilot, 0)
        body, mains = screen.query_one("#axial-body"), screen.query_one("#mains")
        assert mains.outer_size.height == body.size.height  # no empty space under the list
        assert screen.query_one("#slot-context").size.height >= 5  # a sentence gets five lines
        await pilot.press("f5")
        await settle(pilot)
        drawing = str(pilot.app.screen.query_one("#model-graph").render())
        assert all(word in drawing for word in "Government guarantee Talent support Social demand".split())
        assert "Core:" not in drawing  # named under the view: its two rows go to the drawing
