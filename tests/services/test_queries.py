"""Coding queries, matrix coding and word frequencies on both back ends, with the hold-out left out."""

import pytest

from gtcode.domain.search import Filters
from gtcode.services import codes
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.holdout import split_holdout
from gtcode.services.queries import coding_query, matrix, matrix_cell, word_frequencies
from gtcode.store.tables import CodingRow
from tests.conftest import raw_write

EN = "The clinic is far away. We take a video call with the doctor. The doctor trusts the nurse."
ZH = "县医院开通了远程会诊。村里的医院很小。医生很忙。"
HIDDEN = "The ZEBRAQUARTZ clinic lends tablets. The doctor is kind."


def code(project, document, text, quote, label, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return code_span(project, document, start, start + len(quote), label)


@pytest.fixture
def coded(project):
    en = add_document(project, "Farmer A", EN, kind="interview", attributes={"area": "rural"}).document.id
    zh = add_document(project, "村民访谈", ZH, kind="interview", lang="zh", attributes={"area": "urban"}).document.id
    code(project, en, EN, "The clinic is far away.", "Distance")  # a1
    code(project, en, EN, "video call with the doctor", "Telemedicine")  # a2
    code(project, en, EN, "the doctor", "Doctors")  # a3
    code(project, en, EN, "The doctor", "Doctors")
    code(project, en, EN, "The doctor trusts the nurse.", "Trust")  # a4
    code(project, zh, ZH, "远程会诊", "Telemedicine")
    code(project, zh, ZH, "医院", "Distance", occurrence=1)
    code(project, zh, ZH, "医生很忙。", "Doctors")
    codes.group(project, "concept", "Access", ["a1", "a2"])  # aa1
    return project, en, zh


def texts(quotations):
    return [q.text for q in quotations]


def test_coding_queries_combine_codes_and_their_descendants(coded):
    project, en, zh = coded
    assert texts(coding_query(project, "a2 AND a3")) == ["the doctor"]
    assert texts(coding_query(project, "a2 OVERLAPS a3")) == ["video call with the doctor"]
    assert texts(coding_query(project, "a3 NOT a2")) == ["The doctor", "医生很忙。"]
    assert texts(coding_query(project, "a3 AND NOT a2")) == ["The doctor", "医生很忙。"]
    assert texts(coding_query(project, "a1 WITHIN 1 a3")) == ["The clinic is far away.", "医院"]
    assert texts(coding_query(project, "a1 WITHIN 0 a3")) == []
    assert texts(coding_query(project, "a1 FOLLOWED BY a4")) == ["The clinic is far away."]
    assert texts(coding_query(project, "a4 FOLLOWED BY a1")) == []
    assert texts(coding_query(project, "aa1 OVERLAPS (a3 OR a4)")) == ["video call with the doctor"]
    assert texts(coding_query(project, '"Trust" OR a2', Filters(documents=("村民访谈",)))) == ["远程会诊"]
    for bad in ("", "a1 AND", "a1 WITHIN a2", "(a1 OR a2", "a1 FOLLOWED a2", "a1 a2"):
        with pytest.raises(GtcodeError, match="coding query"):
            coding_query(project, bad)


def test_matrix_counts_quotations_documents_and_words_and_drills_down(coded):
    project, en, zh = coded
    by_area = matrix(project, "attribute:area", "quotations", "phenomenon")
    assert by_area.columns == ["rural", "urban"]
    assert dict(zip(by_area.rows, by_area.cells)) == {
        "a1 Distance": [1, 1], "a2 Telemedicine": [1, 1], "a3 Doctors": [2, 1], "a4 Trust": [1, 0]}
    concepts = matrix(project, "documents", "documents", "concept")
    assert (concepts.rows, concepts.columns, concepts.cells) == (["aa1 Access"], ["1 Farmer A", "2 村民访谈"], [[1, 1]])
    words = matrix(project, "attribute:area", "words", "concept")
    assert words.cells == [[55.6, 28.6]]  # 10 of 18 English words; 6 of 21 Chinese characters
    together = matrix(project, "codes", "quotations", "phenomenon")
    assert together.cells[together.rows.index("a2 Telemedicine")] == [0, 2, 1, 0]
    assert texts(matrix_cell(project, "a3", "rural", "attribute:area")) == ["the doctor", "The doctor"]
    assert texts(matrix_cell(project, "aa1", "2 村民访谈", "documents")) == ["远程会诊", "医院"]
    assert texts(matrix_cell(project, "a2", "a3 Doctors", "codes")) == ["video call with the doctor"]
    with pytest.raises(GtcodeError, match="attribute"):
        matrix(project, "attribute:nothing")
    with pytest.raises(GtcodeError, match="columns"):
        matrix(project, "rows")


def test_word_frequencies_use_jieba_words_and_leave_stop_words_out(coded):
    project, en, zh = coded
    counted = {w.word: (w.count, w.documents) for w in word_frequencies(project, top=100)}
    assert counted["doctor"] == (2, 1) and counted["医院"] == (2, 1) and counted["远程"] == (1, 1)
    assert "the" not in counted and "很" not in counted and "了" not in counted
    coded_words = [w.word for w in word_frequencies(project, Filters(code="a3"))]
    assert coded_words == ["doctor", "医生", "忙"]  # 很 is a stop word
    assert [w.word for w in word_frequencies(project, Filters(attributes=(("area", "urban"),)), top=2)] == ["医院", "会诊"]


def test_queries_matrices_and_words_leave_the_hold_out_out_while_blinded(coded):
    project, en, zh = coded
    hidden = add_document(project, "Secret", HIDDEN, kind="interview", attributes={"area": "rural"}).document.id
    split_holdout(project, documents=[str(hidden)])
    with raw_write(project) as session:  # a coding there, as an old import could leave
        start = HIDDEN.index("The doctor")
        session.add(CodingRow(document_id=hidden, code_id=3, start=start, end=start + 10, quote="The doctor"))
    assert all(q.document_id != hidden for q in coding_query(project, "a3 OR a1"))
    assert dict(zip(*[matrix(project, "attribute:area").rows, matrix(project, "attribute:area").cells]))[
        "a3 Doctors"] == [2, 1]
    assert all("Secret" not in column and "hold-out" not in column for column in matrix(project).columns)
    words = [w.word for w in word_frequencies(project, top=1000)]
    assert "zebraquartz" not in words and "tablets" not in words
    assert all(q.document_id != hidden for q in matrix_cell(project, "a3", "rural", "attribute:area"))
