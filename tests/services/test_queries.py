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


def test_a_matrix_counts_a_quotation_once_in_its_row_however_many_codes_under_it_hold_it(coded):
    project, en, zh = coded
    code(project, en, EN, "The clinic is far away.", "Telemedicine")  # a2 on a1's span: one quotation of aa1
    code(project, en, EN, "The clinic is far away.", "Doctors")  # a3: not under aa1
    concepts = matrix(project, "attribute:area", "quotations", "concept")
    assert (concepts.rows, concepts.cells) == (["aa1 Access"], [[2, 2]])
    assert matrix(project, "attribute:area", "documents", "concept").cells == [[1, 1]]
    phenomena = dict(zip(*(lambda m: (m.rows, m.cells))(matrix(project, "documents", "quotations", "phenomenon"))))
    assert phenomena == {"a1 Distance": [1, 1], "a2 Telemedicine": [2, 1], "a3 Doctors": [3, 1], "a4 Trust": [1, 0]}
    assert matrix(project, "attribute:area", "quotations", "concept", Filters(coder=project.coder)).cells == [[2, 2]]
    assert matrix(project, "attribute:area", "quotations", "concept", Filters(coder="nobody")).cells == [[0, 0]]
    codes.group(project, "concept", "Care", ["a3", "a4"])  # aa2: its own row, the codes under aa1 stay there
    assert matrix(project, "attribute:area", "quotations", "concept").cells == [[2, 2], [4, 1]]


def test_cases_are_matrix_columns_and_counts_and_filter_search_queries_and_words(coded):
    from gtcode.services.cases import set_case
    from gtcode.services.errors import NotFound
    from gtcode.services.search import search
    from gtcode.store.tables import AttributeRow

    project, en, zh = coded
    again_text = "Second visit. We saw the doctor at home."
    again = add_document(project, "Farmer A, again", again_text, kind="interview", attributes={"area": "rural"}).document.id
    walk_in = add_document(project, "Walk-in", "The doctor came late.", kind="interview",
                           attributes={"area": "rural"}).document.id
    code(project, again, again_text, "the doctor", "Doctors")
    code(project, walk_in, "The doctor came late.", "The doctor", "Doctors")
    set_case(project, "P01", {"gender": "female"}, [str(en), str(again)])
    set_case(project, "P02", {"gender": "male"}, [str(zh)])
    hidden = add_document(project, "Secret", HIDDEN, kind="interview", attributes={"area": "rural"}).document.id
    set_case(project, "P01", {}, [str(hidden)])
    split_holdout(project, documents=[str(hidden)])
    with raw_write(project) as session:  # a coding there, as an old import could leave
        start = HIDDEN.index("The doctor")
        session.add(CodingRow(document_id=hidden, code_id=3, start=start, end=start + 10, quote="The doctor"))

    by_case = matrix(project, "cases", "quotations")
    assert by_case.columns == ["P01", "P02"]  # the walk-in is in no case
    assert dict(zip(by_case.rows, by_case.cells))["a3 Doctors"] == [3, 1]  # not the hold-out's coding
    counted = {count: dict(zip(m.rows, m.cells))["a3 Doctors"]
               for count in ("quotations", "documents", "cases") if (m := matrix(project, "attribute:area", count))}
    assert counted == {"quotations": [4, 1], "documents": [3, 1], "cases": [2, 1]}  # P01 and the walk-in
    assert texts(matrix_cell(project, "a3", "P01", "cases")) == ["the doctor", "The doctor", "the doctor"]
    with raw_write(project) as session:  # a project from before cases named the case in an attribute
        session.add(AttributeRow(document_id=walk_in, name="case", value="P03"))
    assert matrix(project, "cases").columns == ["P01", "P02", "P03"]

    only_p01 = Filters(cases=("P01",))
    assert {h.document_id for h in search(project, "doctor", only_p01)} == {en, again}
    assert {h.document_id for h in search(project, "doctor", Filters(cases=("P02", "P03")))} == {walk_in}
    assert texts(coding_query(project, "a3", Filters(cases=("P02",)))) == ["医生很忙。"]
    assert [w.word for w in word_frequencies(project, Filters(cases=("P02",)), top=1)] == ["医院"]
    assert "zebraquartz" not in [w.word for w in word_frequencies(project, only_p01, top=1000)]
    with pytest.raises(NotFound, match=r"^no case 'P09': list them with `gtcode cases`"):
        search(project, "doctor", Filters(cases=("P09",)))


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
