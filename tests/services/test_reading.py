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
