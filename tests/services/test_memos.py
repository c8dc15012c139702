"""The memo workspace: several typed memos per target, links, the visibility rule, undo, exports, migration."""

from __future__ import annotations

import pytest
from sqlmodel import select

from gtcode.services import codes as codebook
from gtcode.services import selective
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import Forbidden, GtcodeError, NotFound
from gtcode.services.memos import (
    add_memo, delete_memo, edit_memo, export_memos, get_memo, link_memo, list_memos, write_memo,
)
from gtcode.store.tables import DocumentRow, MemoLinkRow
from tests.conftest import raw_write

EN = "Respondent: The county hospital now runs video consultations. We still wait a week."
ZH = "受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。"


def span(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def coded(project):
    en = add_document(project, "Clinic", EN).document
    zh = add_document(project, "教师访谈", ZH, lang="zh").document
    first = code_span(project, en.id, *span(EN, "video consultations"), "Telemedicine")
    second = code_span(project, zh.id, *span(ZH, "直播课"), "直播课")
    return project, en, zh, first, second


def test_several_typed_memos_on_one_code_with_links_and_dates(coded):
    project, en, zh, first, second = coded
    one = add_memo(project, "a1", "Video replaces the trip.", title="Telemedicine as access", memo_type="code")
    two = add_memo(project, "a1", "直播课 and video: the same idea?", title="比较", memo_type="theoretical",
                   links=["a2", f"coding:{second.id}", f"doc:{zh.id}@{ZH.index('直播课')}-{ZH.index('直播课') + 3}"])
    assert one.id != two.id and (one.type, two.type) == ("code", "theoretical")
    assert one.coder == "alice" and one.created_at is not None and one.target_label == "a1 Telemedicine"
    assert [link.ref for link in two.links] == ["a2", f"coding:{second.id}", f"doc:{zh.id}@17-20"]
    assert two.links[2].document_id == zh.id and two.links[1].document_id == zh.id
    edited = edit_memo(project, one.id, text="Video replaces the trip to the county.", memo_type="operational")
    assert edited.type == "operational" and edited.updated_at > edited.created_at and edited.title == "Telemedicine as access"
    assert [m.id for m in list_memos(project, target="a1")] == [edited.id, two.id]
    assert [m.id for m in list_memos(project, target="a2")] == [two.id]  # a linked target finds it too
    assert [m.id for m in list_memos(project, memo_type="theoretical")] == [two.id]
    assert [m.id for m in list_memos(project, contains="county")] == [one.id]
    assert [m.id for m in list_memos(project, contains="比较")] == [two.id]
    assert list_memos(project, author="bob") == []
    unlinked = link_memo(project, two.id, ["a2"], remove=True)
    assert [link.ref for link in unlinked.links] == [f"coding:{second.id}", f"doc:{zh.id}@17-20"]


@pytest.mark.parametrize("bad", ["a9", "coding:99", "doc:99", "doc:1@5-500", "R7", "project"])
def test_a_bad_link_is_one_line_and_changes_nothing(coded, bad):
    project, *_ = coded
    memo = add_memo(project, "project", "overview")
    with project.read() as session:
        before = (session.exec(select(MemoLinkRow)).all(), get_memo(project, memo.id).updated_at)
    with pytest.raises(GtcodeError) as refused:
        link_memo(project, memo.id, ["a1", bad])
    assert "\n" not in str(refused.value)
    with project.read() as session:
        assert (session.exec(select(MemoLinkRow)).all(), get_memo(project, memo.id).updated_at) == before


def test_bad_types_and_empty_text_are_refused(coded):
    project, *_ = coded
    with pytest.raises(GtcodeError, match="memo type 'vague'"):
        add_memo(project, "a1", "x", memo_type="vague")
    with pytest.raises(GtcodeError, match="empty"):
        add_memo(project, "a1", "  ")
    with pytest.raises(NotFound, match="no memo 42"):
        edit_memo(project, 42, text="x")


def test_write_memo_keeps_one_memo_per_coder_and_target(coded):
    project, *_ = coded
    first = write_memo(project, "a1", "one")
    again = write_memo(project, "a1", "two")
    assert again.id == first.id and again.text == "two" and len(list_memos(project)) == 1


def test_delete_and_undo_bring_the_memo_and_its_links_back(coded):
    project, en, *_ = coded
    memo = add_memo(project, "a1", "to be removed", links=[f"doc:{en.id}"])
    delete_memo(project, memo.id)
    assert list_memos(project) == []
    codebook.undo(project)
    back = get_memo(project, memo.id)
    assert back.text == "to be removed" and [link.ref for link in back.links] == [f"doc:{en.id}"]


def test_relationship_connotations_are_among_the_memos(project):
    for label in ("Demand", "Sharing"):
        code = code_span(project, add_document(project, label, f"{label} text here.").document.id, 0, 4, label)
        codebook.group(project, "concept", label, [code.code_ref])
        codebook.group(project, "category", label, [f"aa{code.code_ref[1:]}"])
        codebook.group(project, "main", label, [f"A{code.code_ref[1:]}"])
    selective.relate(project, "M1", "causality", "M2", memo="需求推动共享")
    memos = list_memos(project)
    assert [(m.id, m.target_label, m.text, m.type) for m in memos] == [(None, "R1", "需求推动共享", "theoretical")]
    assert list_memos(project, connotations=False) == []


def test_memos_on_and_links_to_the_hold_out_stay_hidden(coded):
    project, en, zh, first, second = coded
    on_coding = add_memo(project, f"coding:{second.id}", "村里的课")
    linked = add_memo(project, "a1", "compare", links=[f"doc:{zh.id}", f"doc:{en.id}"])
    with raw_write(project) as session:  # coded, then moved into the hold-out by hand (as an old import left it)
        session.get(DocumentRow, zh.id).split = "holdout"
    assert [m.id for m in list_memos(project)] == [linked.id]
    assert [link.ref for link in list_memos(project)[0].links] == [f"doc:{en.id}"]
    with pytest.raises(NotFound):
        get_memo(project, on_coding.id)
    with pytest.raises(Forbidden, match="hold-out"):
        link_memo(project, linked.id, [f"doc:{zh.id}@0-3"])
    with pytest.raises(Forbidden, match="hold-out"):
        add_memo(project, f"doc:{zh.id}", "about the village")
    text = "".join(m.text + m.target_label + "".join(link.label for link in m.links) for m in list_memos(project))
    assert "教师访谈" not in text and "村里" not in text


def test_export_memos_as_markdown_and_docx(coded, tmp_path):
    from docx import Document

    project, *_ = coded
    add_memo(project, "a1", "Video replaces the trip.", title="Telemedicine as access", memo_type="code")
    add_memo(project, "project", "城乡共享的故事\x1b", title="故事线", memo_type="theoretical", links=["a2"])
    markdown = export_memos(project, tmp_path / "memos.md").read_text(encoding="utf-8")
    assert "## Code notes" in markdown and "### Telemedicine as access" in markdown
    assert "### 故事线" in markdown and "Links: a2 直播课" in markdown and "城乡共享的故事\x1b" in markdown
    notes: list[str] = []
    paragraphs = [p.text for p in Document(str(export_memos(project, tmp_path / "memos.docx", notes=notes))).paragraphs]
    assert "Telemedicine as access" in paragraphs and "城乡共享的故事␛" in paragraphs and "Theoretical notes" in paragraphs
    assert len(notes) == 1 and "U+001B" in notes[0]
    with pytest.raises(GtcodeError, match="memo export format 'pdf'"):
        export_memos(project, tmp_path / "memos.pdf")


def test_code_memos_travel_in_a_qdc_codebook(coded, tmp_path):
    from gtcode.services.codebook_exchange import export_codebook, read_model_file

    project, *_ = coded
    add_memo(project, "a1", "first note")
    add_memo(project, "a1", "第二个笔记")
    path = export_codebook(project, tmp_path / "book.qdc")
    model, _warnings = read_model_file(path)
    spec = next(c for c in model.codes if c.ref == "a1")
    assert spec.memo == "first note\n\n第二个笔记"


def test_a_project_of_the_previous_schema_keeps_every_memo(tmp_path, db_url):
    """A 0004 database with memos on every kind of target upgrades to the workspace without losing one."""
    from sqlalchemy import text

    from gtcode.store.engine import HEAD_REVISION, current_revision, migrate
    from tests.conftest import engine_at

    url = db_url or f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = engine_at(url, "0004")
    old = [("project", None, "project overview"), ("document", 1, "采访笔记"), ("code", 1, "code note"),
           ("coding", 1, "on the quote"), ("storyline", None, "the story"), ("relationship", 1, "rel memo")]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO document (title, kind, lang, text, characters, sha256, encoding, source, split, "
                          "created_at) VALUES ('d', 'other', 'en', 'hello world', 11, 'x', 'utf-8', '', 'build', '2026-01-01')"))
        conn.execute(text("INSERT INTO code (level, number, label, definition, phase, version, created_at) "
                          "VALUES ('phenomenon', 1, 'l', '', 'building', 1, '2026-01-01')"))
        for kind, target, body in old:
            conn.execute(text("INSERT INTO memo (target_kind, target_id, text, coder, updated_at) "
                              "VALUES (:k, :t, :x, 'bo', '2026-02-03 04:05:06')"), {"k": kind, "t": target, "x": body})
    migrate(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, target_kind, target_id, text, coder, title, type, created_at, updated_at "
                                 "FROM memo ORDER BY id")).all()
    engine.dispose()
    assert [(r.target_kind, r.target_id, r.text) for r in rows] == old
    assert [r.id for r in rows] == [1, 2, 3, 4, 5, 6] and {r.coder for r in rows} == {"bo"} and {r.title for r in rows} == {""}
    assert [r.type for r in rows] == ["free", "free", "code", "free", "theoretical", "theoretical"]
    assert all(str(r.created_at) == str(r.updated_at) for r in rows)


def test_an_sqlite_project_is_backed_up_before_it_is_upgraded(tmp_path):
    from gtcode.services.project import init_project, open_project
    from tests.conftest import alembic

    project = init_project(tmp_path / "p", name="old", coder="alice")
    add_memo(project, "project", "kept")
    database = next((tmp_path / "p").glob("*.sqlite*"))
    alembic(project, "downgrade", "0004")
    reopened = open_project(tmp_path / "p")
    assert [m.text for m in list_memos(reopened)] == ["kept"]
    reopened.close()
    assert (database.parent / f"{database.name}.rev0004.bak").stat().st_size > 0


def _stored_memos(project) -> list:
    """Every memo row and link row, as plain tuples (what undo must bring back exactly)."""
    from gtcode.store.tables import MemoRow

    with project.read() as session:
        return [sorted((m.id, m.target_kind, m.target_id, m.text) for m in session.exec(select(MemoRow)).all()),
                sorted((k.id, k.memo_id, k.target_kind, k.target_id) for k in session.exec(select(MemoLinkRow)).all())]


def test_a_merged_codes_memos_and_links_move_to_the_code_it_is_merged_into(coded):
    project, en, zh, first, second = coded
    on_zh = add_memo(project, "a2", "直播课是远程教育的一种。")
    about_both = add_memo(project, "project", "Two kinds of distance", links=["a1", "a2"])
    before = _stored_memos(project)
    codebook.merge(project, "a2", "a1")
    assert [m.id for m in list_memos(project, target="a1")] == [about_both.id, on_zh.id]
    assert get_memo(project, on_zh.id).target_label == "a1 Telemedicine"
    assert [link.ref for link in get_memo(project, about_both.id).links] == ["a1"]  # one link, not two
    codebook.undo(project)
    assert _stored_memos(project) == before
    assert [link.ref for link in get_memo(project, about_both.id).links] == ["a1", "a2"]


def test_removing_a_target_takes_its_memos_and_links_and_undo_brings_them_back(coded):
    project, en, zh, first, second = coded
    from gtcode.services.coding import uncode
    from gtcode.services.documents import delete_document

    add_memo(project, "a2", "about 直播课")
    overview = add_memo(project, "project", "overview", links=["a2", f"coding:{first.id}", f"doc:{zh.id}@17-20"])
    before = _stored_memos(project)
    uncode(project, first.id)
    delete_document(project, zh.id, with_codings=True)
    codebook.delete_code(project, "a2")
    assert [m.id for m in list_memos(project)] == [overview.id] and get_memo(project, overview.id).links == ()
    assert _stored_memos(project)[1] == []  # no link is left pointing at what is gone
    for _ in range(3):
        codebook.undo(project)
    assert _stored_memos(project) == before
