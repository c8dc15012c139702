"""Open coding services: coding spans, grouping, renaming, merging, splitting, undo and redo."""

import pytest

from gtcode.domain.levels import Level
from gtcode.services import codes as codebook
from gtcode.services.coding import adjust, code_span, document_codings, quotes, uncode
from gtcode.services.corpus import add_document
from gtcode.services.errors import Conflict, GtcodeError, NotFound
from gtcode.services.memos import list_memos, write_memo

EN = "Interviewer: What changed?\nRespondent: The county hospital now runs video consultations. Doctors in the city read our scans."
ZH = "采访者：有什么变化？\n受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。"


@pytest.fixture
def docs(project):
    en = add_document(project, "Doctor interview", EN, kind="interview").document
    zh = add_document(project, "教师访谈", ZH, kind="interview").document
    return en, zh


def span_of(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


def test_coding_creates_numbered_phenomena_and_reuses_labels(project, docs):
    en, zh = docs
    first = code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    second = code_span(project, zh.id, *span_of(ZH, "城里老师的直播课"), "直播课堂")
    again = code_span(project, en.id, *span_of(EN, "Doctors in the city read our scans"), "telemedicine")
    assert (first.code_ref, second.code_ref, again.code_ref) == ("a1", "a2", "a1")
    assert second.quote == "城里老师的直播课"
    for coding in document_codings(project, en.id) + document_codings(project, zh.id):
        text = EN if coding.document_id == en.id else ZH
        assert text[coding.start:coding.end] == coding.quote


def test_grouping_builds_the_three_levels(project, docs):
    en, zh = docs
    code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    code_span(project, zh.id, *span_of(ZH, "城里老师的直播课"), "直播课堂")
    concept = codebook.group(project, "concept", "Remote services", ["a1", "直播课堂"])
    category = codebook.group(project, "category", "Resource sharing", [concept.ref])
    assert (concept.ref, category.ref) == ("aa1", "A1")
    assert [q.code_ref for q in quotes(project, "A1")] == ["a1", "a2"]
    levels = {c.ref: (c.level, c.parent_ref) for c in codebook.list_codes(project)}
    assert levels["a1"] == (Level.PHENOMENON, "aa1") and levels["aa1"] == (Level.CONCEPT, "A1")


def test_group_refuses_codes_of_the_wrong_level_and_changes_nothing(project, docs):
    en, _ = docs
    code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    codebook.group(project, "concept", "Remote services", ["a1"])
    before = codebook.list_codes(project)
    with pytest.raises(GtcodeError, match="a category groups concept codes"):
        codebook.group(project, "category", "Sharing", ["a1"])
    assert codebook.list_codes(project) == before


def test_merge_moves_codings_and_undo_redo_restore(project, docs):
    en, zh = docs
    code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    code_span(project, en.id, *span_of(EN, "Doctors in the city read our scans"), "Remote reading")
    merged = codebook.merge(project, "a2", "a1")
    assert merged.codings == 2
    assert [c.ref for c in codebook.list_codes(project, "phenomenon")] == ["a1"]
    assert codebook.undo(project).startswith("merge a2 into a1")
    assert {c.ref: c.codings for c in codebook.list_codes(project, "phenomenon")} == {"a1": 1, "a2": 1}
    codebook.redo(project)
    assert {c.ref: c.codings for c in codebook.list_codes(project, "phenomenon")} == {"a1": 2}


def test_numbers_are_never_reused_after_delete(project, docs):
    en, _ = docs
    code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    codebook.delete_code(project, "a1")
    again = code_span(project, en.id, *span_of(EN, "video consultations"), "Video calls")
    assert again.code_ref == "a2"


def test_rename_keeps_number_and_refuses_a_taken_label(project, docs):
    en, _ = docs
    code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    code_span(project, en.id, *span_of(EN, "Doctors in the city"), "City doctors")
    assert codebook.rename(project, "a1", "Video consultation").ref == "a1"
    with pytest.raises(Conflict, match="merge instead"):
        codebook.rename(project, "a2", "video consultation")


def test_stale_version_is_a_conflict(project, docs):
    en, _ = docs
    code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine")
    seen = codebook.list_codes(project, "phenomenon")[0]
    codebook.rename(project, "a1", "Video consultation", expected_version=seen.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        codebook.rename(project, "a1", "Telehealth", expected_version=seen.version)


@pytest.mark.parametrize("start,end,message", [(5, 3, "reversed"), (0, 10_000, "past the end"), (4, 4, "empty"), (-1, 3, "negative")])
def test_bad_spans_are_refused(project, docs, start, end, message):
    en, _ = docs
    with pytest.raises(GtcodeError, match=message):
        code_span(project, en.id, start, end, "Anything")
    assert codebook.list_codes(project) == []


def test_bad_requests_are_refused(project, docs):
    en, _ = docs
    code_span(project, en.id, 0, 5, "Opening")
    with pytest.raises(GtcodeError, match="cannot be empty"):
        code_span(project, en.id, 0, 5, "  ")
    with pytest.raises(GtcodeError, match="into itself"):
        codebook.merge(project, "a1", "a1")
    with pytest.raises(NotFound):
        code_span(project, 999, 0, 5, "x")


def test_uncode_adjust_and_memos(project, docs):
    en, _ = docs
    coding = code_span(project, en.id, *span_of(EN, "video consultations"), "Telemedicine", memo="first sign")
    moved = adjust(project, coding.id, *span_of(EN, "video"))
    assert moved.quote == "video" and moved.memo == "first sign"
    write_memo(project, "a1", "covers any remote consultation")
    write_memo(project, f"doc:{en.id}", "a rich interview")
    assert {m.target_kind for m in list_memos(project)} == {"coding", "code", "document"}
    uncode(project, coding.id)
    assert document_codings(project, en.id) == []
    codebook.undo(project)
    assert [c.quote for c in document_codings(project, en.id)] == ["video"]


def test_split_moves_chosen_codings(project, docs):
    en, _ = docs
    keep = code_span(project, en.id, *span_of(EN, "video consultations"), "Remote care")
    go = code_span(project, en.id, *span_of(EN, "Doctors in the city read our scans"), "Remote care")
    new = codebook.split(project, "a1", "Remote diagnosis", [str(go.id)])
    assert new.ref == "a2" and new.codings == 1
    assert [q.id for q in quotes(project, "a1")] == [keep.id]
