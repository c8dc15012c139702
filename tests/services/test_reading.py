"""The reader's services: one-read view, document table with locks, label suggestions (en, zh)."""

import pytest
from sqlalchemy import update

from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import Forbidden
from gtcode.services.reading import (
    SAMPLE_QUOTES,
    check_readable,
    document_lines,
    phenomenon_texts,
    reader_view,
    suggest_for_span,
)
from gtcode.store.tables import DocumentRow
from tests.conftest import raw_write

EN = "Respondent: The county hospital now runs video consultations. Doctors in the city read our scans."
ZH = "受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。"


def test_view_lines_and_suggestions(project):
    en = add_document(project, "Clinic", EN, kind="interview", lang="en").document
    zh = add_document(project, "学校", ZH, kind="interview", lang="zh").document
    start = EN.index("video consultations")
    code_span(project, en.id, start, start + len("video consultations"), "Telemedicine")
    view = reader_view(project, en.id)
    assert view.text == EN and [c.quote for c in view.codings] == ["video consultations"]
    assert view.segments and view.segments[-1].end <= len(EN)
    labels = [label for label, _why in suggest_for_span(project, "remote video consultations with doctors", "en")]
    assert labels[0] == "Telemedicine" and "Telemedicine" not in labels[1:]
    zh_labels = [label for label, why in suggest_for_span(project, "城里老师的直播课", "zh") if why == "in vivo"]
    assert "直播课" in zh_labels or "老师" in zh_labels
    with raw_write(project) as session:
        session.execute(update(DocumentRow).where(DocumentRow.id == zh.id).values(split="holdout"))
    assert [(line.document.id, line.codings, line.locked) for line in document_lines(project)] == [
        (en.id, 1, False), (zh.id, 0, True)]
    with pytest.raises(Forbidden, match="hold-out"):
        check_readable(project, zh.id)


def test_suggestions_compare_a_bounded_sample_of_each_phenomenon(project):
    text = " ".join(f"Farmers sold crop{n} online." for n in range(8))
    document = add_document(project, "Market", text, kind="interview", lang="en").document
    for n in range(8):
        start = text.index(f"crop{n}")
        code_span(project, document.id, start, start + len(f"crop{n}"), "Selling online")
    with project.read() as session:
        texts = phenomenon_texts(session, project.coder)
        assert list(texts.values()) == [["Selling online", "crop7", "crop6", "crop5"]]
    with raw_write(project) as session:
        session.execute(update(DocumentRow).where(DocumentRow.id == document.id).values(split="holdout"))
    with project.read() as session:
        assert phenomenon_texts(session, project.coder) == {}
    assert len(texts[next(iter(texts))]) == 1 + SAMPLE_QUOTES


def test_repeated_suggestions_see_new_codings(project):
    text = "The village put solar panels on the school roof. Tea sells online now."
    document = add_document(project, "Energy", text, kind="interview", lang="en").document
    start = text.index("Tea sells")
    code_span(project, document.id, start, start + len("Tea sells online"), "Online trade")
    assert "Power supply" not in [label for label, _ in suggest_for_span(project, "solar panels again", "en")]
    start = text.index("solar panels")
    code_span(project, document.id, start, start + len("solar panels"), "Power supply")
    assert suggest_for_span(project, "solar panels again", "en")[0] == ("Power supply", "similar code")


def _visible_by_the_rule(project, coder: str) -> tuple[int, int]:
    """(codings, documents with one) as the visibility rule's own query counts them, coding by coding."""
    from sqlalchemy import func

    from gtcode.services.blinding import visible_codings
    from gtcode.store.tables import CodingRow

    with project.read() as session:
        rows = session.exec(visible_codings(session, coder, CodingRow.document_id, func.count())
                            .group_by(CodingRow.document_id)).all()
    return sum(count for _doc, count in rows), len(rows)


def test_the_status_counts_agree_with_the_visibility_rule_under_hold_out_and_blind_coding(project):
    from sqlalchemy import func

    from gtcode.services import team
    from gtcode.services.blinding import visible_coding_counts, visible_codings, visible_counts_by_code
    from gtcode.services.codes import coding_counts as codebook_counts
    from gtcode.services.codes import list_codes
    from gtcode.services.overview import overview
    from gtcode.services.project import open_project
    from gtcode.store.tables import CodingRow

    docs = [add_document(project, f"Clinic {n}", f"{EN} Visit {n}.", kind="interview", lang="en").document
            for n in range(4)]
    team.add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    try:
        start = EN.index("video consultations")
        for doc in docs[:3]:
            code_span(project, doc.id, start, start + 5, "Telemedicine")
        code_span(bob, docs[1].id, start, start + 10, "Telemedicine")
        code_span(bob, docs[3].id, start, start + 10, "Telemedicine")
        code_span(bob, docs[3].id, start, start + 20, "Video care")  # a second code, only bob's (blind)
        team.assign(project, [docs[1].id, docs[3].id], ["alice", "bob"])  # blind: each sees only their own there
        with raw_write(project) as session:  # a hold-out document that an old import left a coding on
            session.execute(update(DocumentRow).where(DocumentRow.id == docs[2].id).values(split="holdout"))
            session.add(CodingRow(document_id=docs[2].id, code_id=1, start=0, end=3, quote=EN[:3], coder="bob"))
        for handle in (project, bob):
            with handle.read() as session:
                counts = visible_coding_counts(session, handle.coder)
                per_code = dict(session.exec(visible_codings(session, handle.coder, CodingRow.code_id, func.count())
                                             .group_by(CodingRow.code_id)).all())
                assert visible_counts_by_code(session, handle.coder) == per_code
                assert visible_counts_by_code(session, handle.coder, [1]) == {1: per_code[1]}
            assert {c.id: c.codings for c in list_codes(handle) if c.codings} == per_code
            assert codebook_counts(handle, [1, 999]) == {1: per_code[1], 999: 0}
            assert counts == _visible_by_the_rule(handle, handle.coder)
            assert (overview(handle)["codings"], overview(handle)["documents_coded"]) == counts
        assert _visible_by_the_rule(project, "alice") == (2, 2)  # docs 1 and 2: doc 3 hidden, doc 4 bob's alone
        assert _visible_by_the_rule(bob, "bob") == (4, 3)  # alice's on doc 1, his on docs 2 and 4 (two there)
    finally:
        bob.close()


def test_a_page_of_document_lines_is_the_same_as_that_part_of_the_whole_table(project):
    docs = [add_document(project, f"访谈 {n}" if n % 2 else f"Interview {n}", f"{ZH}第{n}次。" if n % 2 else
                         f"{EN} Visit {n}.", kind="interview", lang="zh" if n % 2 else "en").document for n in range(7)]
    start = EN.index("video consultations")
    code_span(project, docs[4].id, start, start + 5, "Telemedicine")
    code_span(project, docs[4].id, start, start + 9, "Telemedicine")
    whole = document_lines(project)
    assert [line.codings for line in whole] == [0, 0, 0, 0, 2, 0, 0]
    ids = [d.id for d in docs]
    assert document_lines(project, limit=3) == whole[:3]
    assert document_lines(project, after=ids[2], limit=3) == whole[3:6]
    assert document_lines(project, after=ids[5], limit=3) == whole[6:]
    assert document_lines(project, after=ids[6], limit=3) == []
    assert document_lines(project, limit=2, through=ids[4]) == whole[:5]  # at least through that document
    assert document_lines(project, limit=4, through=ids[1]) == whole[:4]  # and at least the page


def test_the_readers_codings_are_the_documents_codings_with_their_memos(project):
    from gtcode.services.coding import document_codings
    from gtcode.services.memos import write_memo
    from gtcode.services.reading import reader_codings

    document = add_document(project, "学校", ZH, kind="interview", lang="zh").document
    first = code_span(project, document.id, *_span(ZH, "城里老师的直播课"), "直播课堂")
    code_span(project, document.id, *_span(ZH, "数字资源"), "Digital library")
    write_memo(project, f"coding:{first.id}", "网课 depends on the signal")
    assert reader_codings(project, document.id) == document_codings(project, document.id)
    assert reader_view(project, document.id).codings == document_codings(project, document.id)
    assert [c.memo for c in reader_codings(project, document.id)] == ["网课 depends on the signal", ""]


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)
