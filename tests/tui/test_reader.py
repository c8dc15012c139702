"""Coding in the reader with the keyboard, on English and Chinese text; the database is the judge."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services.coding import document_codings
from gtcode.services.memos import memo_of
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.dialogs import ConfirmDialog, PromptDialog
from tests.tui.support import (EN, ZH, answer, code_quote, interviews, messages, open_document, press_for_dialog, reader,
                               settle, span)


async def test_shift_arrows_select_a_span_and_c_codes_it(docs):
    project, en, _ = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, en.id)
        start = EN.index("video consultations")
        reader(pilot.app).select_span(start, start)
        await pilot.press(*["shift+right"] * len("video consultations"))
        await press_for_dialog(pilot, "c")
        assert isinstance(pilot.app.screen, PromptDialog)
        await pilot.press(*"Telemedicine", "enter")
        await settle(pilot)
    [coding] = document_codings(project, en.id)
    assert (coding.code_ref, coding.code_label, coding.quote) == ("a1", "Telemedicine", "video consultations")


async def test_chinese_span_is_coded_by_code_points_and_labels_are_reused(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, zh.id)
        await code_quote(pilot, ZH, "城里老师的直播课", "直播课堂")
        await open_document(pilot, en.id)
        await code_quote(pilot, EN, "live classes from the city", "直播课堂")
        assert len(reader(pilot.app).codings) == 1
    [coding] = document_codings(project, zh.id)
    assert coding.quote == "城里老师的直播课" and ZH[coding.start:coding.end] == coding.quote
    assert [(c.ref, c.codings) for c in codebook.list_codes(project)] == [("a1", 2)]


async def test_empty_label_shows_one_line_error_and_changes_nothing(docs):
    project, en, _ = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, en.id)
        await code_quote(pilot, EN, "video consultations", "")
        errors = [m for m in messages(pilot.app) if "cannot be empty" in m]
        assert len(errors) == 1 and "\n" not in errors[0]
    assert codebook.list_codes(project) == [] and document_codings(project, en.id) == []


async def test_sentence_key_jumps_remove_adjust_and_memo(docs):
    project, en, _ = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, en.id)
        view = reader(pilot.app)
        await code_quote(pilot, EN, "video consultations", "Telemedicine")
        await code_quote(pilot, EN, "read our scans", "Remote reading")
        view.select_span(0, 0)
        await pilot.press("s")
        assert EN[slice(*view.selected_span)].startswith("What changed")
        await pilot.press("right_square_bracket")
        assert EN[slice(*view.selected_span)] == "video consultations"
        await pilot.press("right_square_bracket")
        assert EN[slice(*view.selected_span)] == "read our scans"
        await pilot.press("u")
        assert EN[slice(*view.selected_span)].startswith("We still wait a week")
        view.select_span(EN.index("read our scans"), EN.index("read our scans") + len("read"))
        await pilot.press("a")
        await settle(pilot)
        await answer(pilot, "n", *"only reading", "ctrl+s")
        await settle(pilot)
        view.select_span(EN.index("video"), EN.index("video"))
        await pilot.press("d")
        await settle(pilot, 1)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert [c.quote for c in view.codings.values()] == ["read"]
    [coding] = document_codings(project, en.id)
    assert coding.quote == "read" and coding.code_ref == "a2"
    assert memo_of(project, f"coding:{coding.id}").text == "only reading"


async def test_next_uncoded_skips_the_interviewers_questions(docs):
    project, en, _ = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, en.id)
        view = reader(pilot.app)
        view.select_span(0, 0)
        await pilot.press("u")
        assert EN[slice(*view.selected_span)] == "The county hospital now runs video consultations."
        view.select_span(EN.index("We still wait"), EN.index("We still wait"))
        await pilot.press("u")
        assert EN[slice(*view.selected_span)] == "Our children join live classes from the city."


async def test_next_uncoded_steps_through_chinese_sentences_one_by_one(docs):
    project, _, zh = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, zh.id)
        view = reader(pilot.app)
        view.select_span(0, 0)
        seen = []
        for _ in range(3):  # the sentences touch: no space after "。" to land the cursor in
            await pilot.press("u")
            seen.append(ZH[slice(*view.selected_span)])
    assert seen == ["村里的学生可以上城里老师的直播课。", "图书馆也有了数字资源。", "老人看病还是要去县城。"]


async def test_a_stale_screen_cannot_remove_a_coding_made_in_another_window(docs):
    """Two windows on one project: A undoes its coding and codes again; B's stale remove is refused, B reloads."""
    from gtcode.services.coding import code_span
    from gtcode.services.project import open_project

    project, en, _ = docs
    start = EN.index("video consultations")
    window_a = open_project(project.directory, coder=project.coder)
    try:
        first = code_span(window_a, en.id, start, start + len("video consultations"), "Telemedicine")
        async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
            await open_document(pilot, en.id)
            assert list(reader(pilot.app).codings) == [first.id]
            codebook.undo(window_a)
            again = code_span(window_a, en.id, start, start + len("video consultations"), "Telemedicine")
            reader(pilot.app).select_span(start, start)
            await pilot.press("d")
            await settle(pilot, 1)
            await pilot.press("y")
            await settle(pilot)
            refused = [m for m in messages(pilot.app) if "removed meanwhile" in m]
            assert len(refused) == 1 and "\n" not in refused[0]
            assert list(reader(pilot.app).codings) == [again.id]  # the screen shows what is there now
        assert [c.id for c in document_codings(project, en.id)] == [again.id]
    finally:
        window_a.close()


@pytest.mark.parametrize("first", ["en", "zh"])
async def test_the_first_label_prompt_after_a_language_switch_tokenises_no_phenomenon(sqlite_project, monkeypatch,
                                                                                      first):
    """Opening a document tokenises nothing (a coder who only reads pays for no suggestions); the phenomena are
    tokenised for a language once text is selected in its document, so the prompt after a switch from the other
    language tokenises only the span."""
    import gtcode.text.keywords as keywords

    en, zh = interviews(sqlite_project)
    tokenised = []
    tokenize = keywords.tokenize
    monkeypatch.setattr(keywords, "tokenize", lambda text, lang: tokenised.append(lang) or tokenize(text, lang))
    documents = {"en": (en.id, EN, "video consultations"), "zh": (zh.id, ZH, "城里老师的直播课")}
    then = "zh" if first == "en" else "en"
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        for lang in (first, then):
            document_id, text, quote = documents[lang]
            tokenised.clear()
            await open_document(pilot, document_id)
            reader(pilot.app).move_cursor((1, 2))
            await settle(pilot)
            assert tokenised == []  # read, the cursor moved, nothing selected: no suggestion prepared
            reader(pilot.app).select_span(*span(text, quote))
            await settle(pilot)
            assert tokenised and set(tokenised) == {lang}  # the phenomena, in this language
            tokenised.clear()
            await press_for_dialog(pilot, "c")
            await settle(pilot)
            dialog = pilot.app.screen
            assert isinstance(dialog, PromptDialog) and dialog.shown[0].detail == "similar code"
            assert tokenised == [lang]  # the span: each phenomenon's words in this language were ready
            await pilot.press("escape")
            await settle(pilot)
