"""The one picker: every prompt for a code, category, relation type or coding lists what it may be, filters it as
you type, takes a typed ref, and refuses an unknown choice at its own field."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services import selective
from gtcode.services.coding import code_span
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.dialogs import PromptDialog
from tests.tui.support import EN, answer, interviews, mark, on_relationship, open_document, settle, span


@pytest.fixture
def modelled(project):
    """a1 → aa1 → A1 → M1, a3 → aa2 → A2 → M2, M1 causes O1 (R1); a2 (Chinese) ungrouped."""
    en, zh = interviews(project)
    code_span(project, en.id, *span(EN, "Doctors in the city read our scans"), "Remote reading")
    codebook.group(project, "concept", "Remote services", ["a1"])
    codebook.group(project, "category", "Digital services", ["aa1"])
    codebook.group(project, "main", "Social demand", ["A1"])
    codebook.group(project, "concept", "Second opinions", ["a3"])
    codebook.group(project, "category", "Policy", ["aa2"])
    codebook.group(project, "main", "Government guarantee", ["A2"])
    selective.set_outcome(project, "Shared behavior")
    selective.relate(project, "M1", "causal", "O1")
    return project, en, zh


def refusal(app) -> str:
    return str(app.screen.query_one("#prompt-refusal").render())


def listed(app) -> list[str]:
    options = app.screen.query_one("#prompt-suggestions")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_an_unknown_relation_type_is_refused_at_the_type_prompt(modelled):
    project, _en, _zh = modelled
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await answer(pilot, "n", *"Government", "tab")  # Tab completes the one match: M2 Government guarantee
        await pilot.pause()
        assert pilot.app.screen.query_one("#prompt-input").value == "M2"
        await answer(pilot, "enter", *"because", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PromptDialog)
        assert refusal(pilot.app) == "no relation type 'because': pick one from the list (↓) or type its ref"
        await pilot.press(*["backspace"] * 7, *"safe")
        await pilot.pause()
        assert [line.split()[0] for line in listed(pilot.app)] == ["safeguard", "conditioning"]  # and its alias
        await pilot.press("down")
        await answer(pilot, "enter", *"R1", "enter")  # the type picked from the list, then a relationship by its ref
        await settle(pilot)
    assert [(r.ref, r.source_ref, r.type, r.target_ref) for r in selective.relations(project)] == [
        ("R1", "M1", "causal", "O1"), ("R2", "M2", "safeguard", "R1")]


async def test_grouping_takes_a_typed_ref_and_refuses_an_unknown_one(modelled):
    project, en, zh = modelled
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await open_document(pilot, zh.id)
        await mark(pilot, "a2")
        await answer(pilot, "g", *"aa9", "enter")
        await settle(pilot)
        assert refusal(pilot.app) == "no concept aa9: pick one from the list (↓), or type a new label that is not a reference"
        await pilot.press(*["backspace"] * 3, *"aa1", "enter")  # the existing concept, not a new one named "aa1"
        await settle(pilot)
    assert {c.ref: (c.label, c.parent_ref) for c in codebook.list_codes(project, "phenomenon")} == {
        "a1": ("Telemedicine", "aa1"), "a2": ("直播课堂", "aa1"), "a3": ("Remote reading", "aa2")}
    assert [c.label for c in codebook.list_codes(project, "concept")] == ["Remote services", "Second opinions"]


async def test_evidence_is_picked_by_its_quotation(modelled):
    project, _en, _zh = modelled
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await on_relationship(pilot, 0, "v")
        assert [line.split("  ")[0] for line in listed(pilot.app)] == [
            f"{coding.id} «video consultations»" for coding in codebook_quotes(project, "a1")]
        await pilot.press("down", "enter", "enter")  # pick the quotation, then accept
        await settle(pilot)
    assert selective.relations(project)[0].evidence == tuple(c.id for c in codebook_quotes(project, "a1"))


def codebook_quotes(project, ref):
    from gtcode.services.coding import quotes

    return quotes(project, ref)
