"""Full-text search on both back ends: the index written with the import, the query language on English and
Chinese text, filters, keyword in context, auto-coding with one undo step, and the hold-out left unsearched."""

import pytest
from sqlalchemy import func, select, text

from gtcode.domain.search import Filters, sort_hits
from gtcode.services import search as searching
from gtcode.services.coding import code_span, document_codings
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.holdout import release_holdout, split_holdout
from gtcode.services.project import open_project
from gtcode.services.codes import undo as undo_change
from gtcode.store.tables import SearchIndexRow
from tests.conftest import alembic, raw_write

EN = ("Interviewer: How do you reach the clinics?\n"
      "Respondent: The clinic is far away. We take a video call with the doctor. Video calls save the bus fare.")
ZH = "受访者：中华人民共和国成立以后，县医院开通了远程会诊。村里的医院很小。"
HIDDEN = "Respondent: the ZEBRAQUARTZ clinic lends tablets to every village."


def keywords(hits):
    return [h.keyword for h in hits]


@pytest.fixture
def corpus(project):
    en = add_document(project, "Farmer A", EN, kind="interview", attributes={"area": "rural"}).document.id
    zh = add_document(project, "村民访谈", ZH, kind="interview", lang="zh", attributes={"area": "urban"}).document.id
    news = add_document(project, "News", "A new clinic opened in the county town.", kind="news").document.id
    return project, en, zh, news


def test_english_words_are_stemmed_phrases_exact_and_near_counts_words_between(corpus):
    project, en, _zh, news = corpus
    assert keywords(searching.search(project, "clinics")) == ["clinics", "clinic", "clinic"]
    assert keywords(searching.search(project, "CLINIC")) == ["clinics", "clinic", "clinic"]
    assert keywords(searching.search(project, '"clinics"')) == ["clinics"]
    assert keywords(searching.search(project, '"video call"')) == ["video call"]
    assert keywords(searching.search(project, '"video calls"')) == ["Video calls"]
    assert keywords(searching.search(project, "video NEAR/3 doctor")) == ["video", "doctor"]
    assert searching.search(project, "video NEAR/2 doctor") == []  # call with the: three words between
    assert keywords(searching.search(project, "bus OR town")) == ["bus", "town"]
    assert keywords(searching.search(project, "clinic NOT far")) == ["clinics", "clinic"]
    assert keywords(searching.search(project, "(far OR opened) AND clinic")) == ["clinic", "far", "clinic", "opened"]
    assert [h.document_id for h in searching.search(project, "clinic", Filters(kinds=("news",)))] == [news]


def test_a_chinese_word_is_found_inside_a_compound_jieba_kept_whole_and_short_queries_work(corpus):
    import jieba

    project, _en, zh, _news = corpus
    assert "人民" not in jieba.lcut(ZH) and "中华人民共和国" in jieba.lcut(ZH)
    people = searching.search(project, "人民")
    assert [(h.document_id, h.keyword, h.left, h.right[:3]) for h in people] == [(zh, "人民", "受访者：中华", "共和国")]
    assert keywords(searching.search(project, "医院")) == ["医院", "医院"]
    assert keywords(searching.search(project, "院")) == ["院", "院"]
    assert keywords(searching.search(project, "县医院 NOT 村里")) == ["县医院"]
    assert searching.search(project, "医生") == []


def test_regex_speaker_role_and_attribute_filters(corpus):
    project, en, zh, _news = corpus
    assert keywords(searching.search(project, r"v\w+o c\w+", regex=True)) == ["video call", "Video calls"]
    assert keywords(searching.search(project, "clinic", Filters(role="respondent"))) == ["clinic"]
    assert keywords(searching.search(project, "clinic", Filters(role="interviewer"))) == ["clinics"]
    assert [h.document_id for h in searching.search(project, "医院 OR clinic", Filters(attributes=(("area", "urban"),)))] \
        == [zh, zh]
    assert [h.document_id for h in searching.search(project, "clinic", Filters(documents=("Farmer A",)))] == [en, en]
    with pytest.raises(GtcodeError, match="not a regular expression"):
        searching.search(project, "(", regex=True)
    for bad in ("NOT clinic", '"open', "a NEAR/x b", "", "clinic AND", "( clinic"):
        with pytest.raises(GtcodeError, match="search query"):
            searching.search(project, bad)


def test_keyword_in_context_sorts_by_the_word_left_or_right(corpus):
    project, *_ = corpus
    hits = searching.search(project, "clinic", context=12)
    assert [(h.left, h.keyword, h.right) for h in hits] == [
        ("u reach the ", "clinics", "? Respondent"), ("ondent: The ", "clinic", " is far away"),
        ("A new ", "clinic", " opened in t")]
    assert [h.right_word for h in sort_hits(hits, "right")] == ["is", "opened", "respondent"]
    assert [h.left_word for h in sort_hits(hits, "left")] == ["new", "the", "the"]
    assert [h.speaker for h in hits] == ["Interviewer", "Respondent", None]


def test_coding_filters_follow_codes_their_descendants_and_coders(corpus):
    from gtcode.services import codes

    project, en, _zh, _news = corpus
    start = EN.index("clinic is far")
    code_span(project, en, start, start + len("clinic is far"), "Distance")
    codes.group(project, "concept", "Access", ["a1"])
    assert keywords(searching.search(project, "clinic", Filters(coded=True))) == ["clinic"]
    assert keywords(searching.search(project, "clinic", Filters(coded=False))) == ["clinics", "clinic"]
    assert keywords(searching.search(project, "clinic", Filters(code="aa1"))) == ["clinic"]
    assert searching.search(project, "clinic", Filters(coder="bob")) == []
    assert keywords(searching.search(project, "clinic", Filters(coder="alice", coded=False))) == ["clinics", "clinic"]


def test_auto_coding_codes_every_hit_in_one_undo_step_and_skips_what_is_there(corpus):
    project, en, zh, _news = corpus
    preview = searching.preview_autocode(project, "医院 OR clinic", "Health care", unit="sentence")
    assert (preview.hits, preview.made, preview.already, preview.code_ref) == (5, 5, 0, "(new)")
    made = searching.autocode(project, "医院 OR clinic", "Health care", unit="sentence")
    assert (made.made, made.code_ref) == (5, "a1")
    quotes = [c.quote for c in document_codings(project, zh)]
    assert quotes == ["中华人民共和国成立以后，县医院开通了远程会诊。", "村里的医院很小。"]
    again = searching.autocode(project, "医院 OR clinic", "a1", unit="sentence")
    assert (again.made, again.already) == (0, 5)
    turns = searching.autocode(project, "clinic", "Reaching care", unit="turn")
    assert [c.quote for c in document_codings(project, en) if c.code_label == "Reaching care"] == [
        "How do you reach the clinics?", EN.split("Respondent: ")[1]]
    undo_change(project)
    assert turns.made == 3 and [c.code_label for c in document_codings(project, en)] == ["Health care"] * 2
    undo_change(project)
    assert document_codings(project, en) == [] and document_codings(project, zh) == []
    with pytest.raises(GtcodeError, match="found nothing to code"):
        searching.autocode(project, "bicycle", "Cycling")
    second = searching.search(project, "医院")[1]
    chosen = ((second.document_id, second.start, second.end),)
    assert searching.preview_autocode(project, "医院", "Small hospital", selected=chosen).made == 1
    assert searching.autocode(project, "医院", "Small hospital", selected=chosen).made == 1
    assert [c.quote for c in document_codings(project, zh)] == ["医院"] and \
        document_codings(project, zh)[0].start == second.start


def _index_entries(session) -> int:
    """How many entries the back end's index holds: PostgreSQL's rows, SQLite's FTS5 postings (term, sentence)."""
    if session.get_bind().dialect.name == "sqlite":
        return session.execute(text("SELECT coalesce(sum(doc), 0) FROM search_fts_vocab")).scalar()
    return session.execute(select(func.count()).select_from(SearchIndexRow)).scalar()


def test_the_index_is_written_in_the_imports_transaction(corpus, monkeypatch):
    import gtcode.services.corpus as corpus_module

    project, en, *_ = corpus

    def count():
        with project.read() as session:
            return _index_entries(session)

    before = count()

    def broken(name, value):
        raise GtcodeError("refused attribute")

    monkeypatch.setattr(corpus_module, "typed_attribute", broken)
    with pytest.raises(GtcodeError, match="refused attribute"):
        add_document(project, "Rejected", "The ferry carries patients.", attributes={"a": "b"})
    assert count() == before and searching.search(project, "ferry") == []
    with project.read() as session:
        assert list(session.execute(searching._candidates(session, ("term", "ferri")))) == []
    with raw_write(project) as session:
        session.execute(text("DELETE FROM document WHERE id = :id"), {"id": en})
        sqlite = session.get_bind().dialect.name == "sqlite"
    assert (sqlite or count() < before) and searching.search(project, "video") == []  # SQLite keeps the entries
    add_document(project, "Ferry", "The ferry carries patients.")
    assert keywords(searching.search(project, "ferries")) == ["ferry"]


def _index_agrees(project, seen: set[str]) -> None:
    """The index the back end searches (SQLite's FTS5 table, PostgreSQL's GIN tsvector) finds, for every term
    seen so far, exactly the stored sentences whose terms (``tokens.index_terms`` of their text) hold it: no
    sentence missing, none left behind; PostgreSQL's rows hold those terms."""
    from gtcode.store.tables import DocumentRow, SegmentRow
    from gtcode.text.tokens import index_terms

    with project.read() as session:
        terms_of = {segment_id: index_terms(body[start:end]) for segment_id, start, end, body in session.execute(
            select(SegmentRow.id, SegmentRow.start, SegmentRow.end, DocumentRow.text)
            .join(DocumentRow, DocumentRow.id == SegmentRow.document_id))}
        if session.get_bind().dialect.name != "sqlite":
            stored = dict(session.execute(select(SearchIndexRow.segment_id, SearchIndexRow.terms)).all())
            assert stored == {segment_id: terms for segment_id, terms in terms_of.items() if terms}
        holding: dict[str, set[int]] = {}
        for segment_id, terms in terms_of.items():
            for term in terms.split():
                holding.setdefault(term, set()).add(segment_id)
        seen |= set(holding)
        for term in seen:
            found = set(session.execute(searching._candidates(session, ("term", term))).scalars()) & set(terms_of)
            assert found == holding.get(term, set()), term


def test_the_index_is_right_after_every_write_path(corpus, monkeypatch, tmp_path):
    import gtcode.services.corpus as corpus_module
    from gtcode.services.corpus import import_paths
    from gtcode.services.documents import delete_document
    from gtcode.services.codes import redo as redo_change

    project, en, zh, _news = corpus
    seen: set[str] = set()
    _index_agrees(project, seen)
    folder = tmp_path / "new-material"
    folder.mkdir()
    (folder / "a.txt").write_text("Respondent: the ferry to the clinic runs twice a week.", encoding="utf-8")
    (folder / "b.txt").write_text("受访者：渡船每周两次去诊所。学校也很远。", encoding="utf-8")
    assert [r.status for r in import_paths(project, [folder])] == ["imported", "imported"]
    _index_agrees(project, seen)
    assert keywords(searching.search(project, "ferries OR 学校")) == ["ferry", "学校"]
    delete_document(project, zh)
    _index_agrees(project, seen)
    assert searching.search(project, "医院") == []
    assert undo_change(project).startswith(f"delete document {zh}")
    _index_agrees(project, seen)
    assert keywords(searching.search(project, "医院")) == ["医院", "医院"]
    redo_change(project)
    _index_agrees(project, seen)
    assert searching.search(project, "医院") == []
    monkeypatch.setattr(corpus_module, "typed_attribute", lambda name, value: (_ for _ in ()).throw(
        GtcodeError("refused attribute")))
    with pytest.raises(GtcodeError, match="refused attribute"):
        add_document(project, "Rejected", "The zeppelin carries patients.", attributes={"a": "b"})
    _index_agrees(project, seen)
    assert searching.search(project, "zeppelin") == [] and en in {h.document_id for h in searching.search(project, "clinic")}


def test_index_rows_written_back_by_undoing_an_older_change_are_searched(corpus):
    """Undoing a change recorded before migration 0016 (a deleted document's rows, its ``search_index`` rows
    among them) writes those rows back: SQLite indexes their terms too."""
    from gtcode.store.tables import DocumentRow, SegmentRow
    from gtcode.text.tokens import index_terms

    project, en, *_ = corpus
    body = "The zeppelins carry patients to the clinic."
    columns = [c.name for c in DocumentRow.__table__.columns if c.name not in ("id", "text", "characters")]
    with raw_write(project) as session:  # the rows as the undo's generic write-back puts them
        document = session.execute(select(func.max(DocumentRow.id))).scalar() + 100
        segment = session.execute(select(func.max(SegmentRow.id))).scalar() + 100
        session.execute(text(f"INSERT INTO document (id, text, characters, {', '.join(columns)}) "
                             f"SELECT :id, :body, :characters, {', '.join(columns)} FROM document WHERE id = :en"),
                        {"id": document, "body": body, "characters": len(body), "en": en})
        session.execute(SegmentRow.__table__.insert().values(id=segment, document_id=document, idx=0, start=0,
                                                             end=len(body)))
        session.execute(SearchIndexRow.__table__.insert().values(segment_id=segment, document_id=document,
                                                                 terms=index_terms(body)))
    assert [(h.document_id, h.keyword) for h in searching.search(project, "zeppelin")] == [(document, "zeppelins")]
    assert document in {h.document_id for h in searching.search(project, "clinics")}


def test_an_existing_project_builds_its_index_on_upgrade(corpus):
    from gtcode.store.engine import HEAD_REVISION

    project, *_ = corpus
    alembic(project, "downgrade", "0016")  # revisions after the index's own later ones: undone by theirs
    with raw_write(project) as session:  # the index as revision 0003 had it: none
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("DROP TABLE search_fts_vocab"))
            session.execute(text("DROP TABLE search_fts"))
        session.execute(text("DROP TABLE search_index"))
        session.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    project.close()
    alembic(project, "upgrade", "0004")  # the index's own revision, on the project's data
    with raw_write(project) as session:  # the later revisions' tables are there already, but for the index's
        session.execute(text("UPDATE alembic_version SET version_num = '0014'"))
    project.close()
    assert HEAD_REVISION > "0014"  # opening runs the index's later revisions
    reopened = open_project(project.directory)
    try:
        assert keywords(searching.search(reopened, "clinic")) == ["clinics", "clinic", "clinic"]
        assert keywords(searching.search(reopened, "人民")) == ["人民"]
    finally:
        reopened.close()


def test_a_project_indexed_with_positions_is_rebuilt_without_them_on_upgrade(corpus):
    project, *_ = corpus
    alembic(project, "downgrade", "0014")  # revision 0014's FTS5 table, with positions and sizes
    with raw_write(project) as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        if sqlite:
            assert "detail" not in session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")).scalar()
    project.close()
    reopened = open_project(project.directory)  # upgraded on open
    try:
        with reopened.read() as session:
            if sqlite:
                made = session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")).scalar()
                assert "detail=none" in made and "columnsize=0" in made
        _index_agrees(reopened, set())
        assert keywords(searching.search(reopened, "clinic OR 人民")) == ["clinics", "clinic", "人民", "clinic"]
    finally:
        reopened.close()


def test_documents_read_a_few_at_a_time_give_the_same_hits_and_context(corpus, monkeypatch):
    project, en, zh, news = corpus
    whole = searching.search(project, "clinic OR 医院", context=12)
    monkeypatch.setattr(searching, "_DOCUMENTS_AT_ONCE", 1)
    assert searching.search(project, "clinic OR 医院", context=12) == whole
    assert [(h.document_id, h.keyword) for h in whole] == [(en, "clinics"), (en, "clinic"), (zh, "医院"), (zh, "医院"),
                                                          (news, "clinic")]
    assert (whole[2].left, whole[2].right) == ("受访者：中华人民共和国成立以后，县"[-12:], "开通了远程会诊。村里的医")


def test_hold_out_documents_are_not_searched_counted_or_coded_while_blinded(corpus):
    from gtcode.services import codes

    project, *_ = corpus
    hidden = add_document(project, "Respondent OSPREY", HIDDEN, kind="interview").document.id
    split_holdout(project, documents=[str(hidden)])
    code_span(project, 1, 0, 5, "Asking")
    codes.group(project, "concept", "Talk", ["a1"])
    for regex in (False, True):
        assert all(h.document_id != hidden for h in searching.search(project, "clinic", regex=regex))
        assert searching.search(project, "ZEBRAQUARTZ", regex=regex) == []
    assert searching.preview_autocode(project, "tablets", "Lending").hits == 0
    with pytest.raises(GtcodeError, match="hold-out"):
        searching.search(project, "clinic", Filters(documents=(str(hidden),)))
    release_holdout(project)
    assert [h.document_id for h in searching.search(project, "zebraquartz")] == [hidden]
