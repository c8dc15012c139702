"""The saturation screen: hold-out status, split and release with confirmation, curve, new codes, export."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.holdout import holdout_status, release_holdout, split_holdout
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.saturation import curve_plot
from tests.tui.support import EN, ZH, answer, messages, press_for_dialog, settle

HELD = "Volunteers repair computers in the village school. Volunteers also teach the elders to use phones."


def span(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def theory(docs):
    """Two coded documents grouped into a concept and a category, and an uncoded third."""
    project, en, zh = docs
    code_span(project, en.id, *span(EN, "video consultations"), "Telemedicine")
    code_span(project, zh.id, *span(ZH, "城里老师的直播课"), "直播课堂")
    codebook.group(project, "concept", "Remote services", ["a1", "a2"])
    codebook.group(project, "category", "Resource sharing", ["aa1"])
    held = add_document(project, "Volunteer interview", HELD, kind="interview", lang="en").document
    return project, held


async def open_stage(pilot):
    await pilot.press("f6")
    await settle(pilot)


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}").render())


async def test_split_asks_first_then_holds_out_documents(docs):
    project, _en, _zh = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_stage(pilot)
        assert "No hold-out yet" in shown(pilot.app, "holdout-status")
        await answer(pilot, "s", "n")
        await settle(pilot)
        assert holdout_status(project).exists is False
        await answer(pilot, "s", "y")
        await settle(pilot)
        assert "blinded" in shown(pilot.app, "holdout-status")
    status = holdout_status(project)
    assert status.exists and len(status.documents) == 1 and status.phase == "building"


async def test_release_is_refused_without_a_theory_and_works_with_one(docs, tmp_path):
    project, en, _zh = docs
    split_holdout(project, documents=[str(en.id)])
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_stage(pilot)
        await answer(pilot, "r", "y")
        await settle(pilot)
        assert any("no theory" in m for m in messages(pilot.app))
    assert holdout_status(project).phase == "building"


async def test_release_then_report_shows_new_codes_and_exports(theory):
    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_stage(pilot)
        assert "not released" in shown(pilot.app, "verdict")
        await answer(pilot, "r", "y")
        await settle(pilot)
        assert holdout_status(project).phase == "saturation"
        code_span(project, held.id, *span(HELD, "Volunteers repair computers"), "Volunteer repair")
        code_span(project, held.id, *span(HELD, "Volunteers also teach the elders"), "Volunteer repair")
        codebook.group(project, "concept", "Volunteering", ["Volunteer repair"])
        codebook.group(project, "category", "Civic support", ["Volunteering"])
        await pilot.press("g")
        await settle(pilot)
        # two quotations from one document are one document of support: not yet a new category
        assert shown(pilot.app, "verdict").startswith("Saturated: no new concepts, categories and main categories")
        assert "A2 Civic support" in shown(pilot.app, "new-codes")
        assert "Saturation point (base 4, run 2, threshold 5%): cannot be determined" in shown(pilot.app, "curve-plot")
        assert "1 document, 1 case, 2 quotations" in shown(pilot.app, "new-codes")
        assert "Coverage of the hold-out" in shown(pilot.app, "new-codes")
        codebook.group(project, "main", "Public services", ["A1"])  # restructures the released model
        await pilot.press("g")
        await settle(pilot)
        assert shown(pilot.app, "verdict").startswith("Not saturated: the model changed since release: A1 Resource "
                                                      "sharing moved from (none) to M1")
        assert "* A1 Resource sharing moved from (none) to M1" in shown(pilot.app, "new-codes")
        await pilot.press("x")  # the export dialog, on the saturation report
        await settle(pilot, 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
    report = (project.directory / "saturation-report.md").read_text(encoding="utf-8")
    assert "Not saturated: the model changed since release" in report


def test_saturation_screen_snapshot(theory, snap_compare):
    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    release_holdout(project)
    code_span(project, held.id, *span(HELD, "Volunteers repair computers"), "Volunteer repair")
    codebook.group(project, "concept", "Volunteering", ["Volunteer repair"])

    async def show(pilot):
        await open_stage(pilot)

    assert snap_compare(GtcodeApp(project), terminal_size=(120, 40), run_before=show)


async def test_the_sampling_log_is_edited_in_the_tui_and_orders_the_curve(theory):
    from gtcode.services.sampling import sampling_log
    from gtcode.tui.screens.sampling import SamplingScreen

    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SamplingScreen)
        await answer(pilot, "enter", *"2", "enter", *"2024-05-01", "enter", *"对照另一个村", "enter")
        await settle(pilot)
        table = pilot.app.screen.query_one("#sampling-table")
        assert "对照另一个村" in str(table.get_row_at(0))  # the one logged document leads the log
        await press_for_dialog(pilot, "enter")
        for key in ("escape", "escape", "f6"):  # the dialog, the sampling screen, then Saturation
            await pilot.press(key)
            await settle(pilot, 1)
        await settle(pilot)
        await pilot.press("o", "o")
        await settle(pilot)
        assert pilot.app.screen.order == "sampling"
        assert "concept codes, sampling order" in shown(pilot.app, "curve-plot")
    logged = [e for e in sampling_log(project) if e.wave is not None]
    assert [(e.wave, e.collected, e.rationale) for e in logged] == [(2, "2024-05-01", "对照另一个村")]


async def test_the_sampling_dialog_clears_a_wave(theory):
    from gtcode.services.sampling import sampling_log, set_sampling

    project, held = theory
    set_sampling(project, held.id, wave=2, rationale="对照另一个村")
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        await answer(pilot, "enter", "ctrl+u", "enter", "enter", "enter")  # the logged document leads the log:
        # empty its wave, keep the rest
        await settle(pilot)
    entry = next(e for e in sampling_log(project) if e.document_id == held.id)
    assert (entry.wave, entry.rationale) == (None, "对照另一个村")
    codebook.undo(project)
    assert next(e for e in sampling_log(project) if e.document_id == held.id).wave == 2


async def test_the_curve_is_drawn_again_for_the_pane_when_the_terminal_shrinks_to_80x24(theory):
    """Drawn for a wide pane, the curve must not wrap into a smaller one: a resize draws it for the new size."""
    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    release_holdout(project)
    async with GtcodeApp(project).run_test(size=(200, 50)) as pilot:
        await open_stage(pilot)
        wide = shown(pilot.app, "curve-plot")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        width = pilot.app.screen.query_one("#curve-plot").size.width
        frame = [line for line in shown(pilot.app, "curve-plot").splitlines() if "┌" in line or "└" in line]
        assert len(frame) == 2 and all(len(line.rstrip()) <= width for line in frame)  # the chart's frame, unwrapped
        assert len(next(line for line in wide.splitlines() if "┌" in line).rstrip()) > width


def _held_report(theory, monkeypatch):
    """The theory's hold-out released, and the saturation report held until the event returned is set."""
    import threading

    from gtcode.services import saturation

    project, held = theory
    split_holdout(project, documents=[str(held.id)], seed=1)
    release_holdout(project)
    report, may_end = saturation.saturation_report, threading.Event()
    monkeypatch.setattr(saturation, "saturation_report", lambda *a, **k: may_end.wait(30) and report(*a, **k))
    return may_end


async def _while_read(pilot) -> None:
    """F6, then wait until the hold-out's status is shown (the report is being read)."""
    await pilot.press("f6")
    for _ in range(50):
        await pilot.pause(0.02)
        if "hold-out" in shown(pilot.app, "holdout-status"):
            break


async def test_a_report_that_comes_after_the_terminal_shrank_is_drawn_for_the_pane_it_lands_in(theory, monkeypatch):
    project, may_end = theory[0], _held_report(theory, monkeypatch)
    async with GtcodeApp(project).run_test(size=(200, 50)) as pilot:
        await _while_read(pilot)  # for the wide pane
        await pilot.resize_terminal(80, 24)  # no curve yet to draw again
        for _ in range(5):
            await pilot.pause()
        may_end.set()
        await settle(pilot)
        width = pilot.app.screen.query_one("#curve-plot").size.width
        frame = [line for line in shown(pilot.app, "curve-plot").splitlines() if "┌" in line or "└" in line]
        assert len(frame) == 2 and all(len(line.rstrip()) <= width for line in frame)


async def test_the_screen_says_it_is_reading_the_report_until_it_is_in(theory, monkeypatch):
    project, may_end = theory[0], _held_report(theory, monkeypatch)
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        await _while_read(pilot)
        loading = pilot.app.screen.query_one("#saturation-loading")
        assert loading.display and "reading" in shown(pilot.app, "saturation-loading")
        assert shown(pilot.app, "verdict") == ""
        may_end.set()
        await settle(pilot)
        assert not loading.display and shown(pilot.app, "verdict")
        # the curve is drawn for the pane as it is without the loading line (a row taller than while it was read)
        screen, pane = pilot.app.screen, pilot.app.screen.query_one("#curve-plot")
        assert shown(pilot.app, "curve-plot") == curve_plot(screen.curve, pane.size.width, pane.size.height)
