"""The coding tally (codings per document and coder, kept by triggers) and the status counts read from it: after
every kind of write (one by one, in bulk, undo and redo, a document's deletion, a move by hand) the tally is the
codings grouped, and every coder's counts are what the visibility rule counts, hold-out and blind coding included."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, update
from sqlmodel import select

from gtcode.services import team
from gtcode.services.blinding import visible_coding_counts, visible_codings
from gtcode.services.coding import code_span, uncode
from gtcode.services.codes import redo, undo
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.project import open_project
from gtcode.store.tables import CodingRow, CodingTallyRow, DocumentRow
from tests.conftest import raw_write

TEXT = ("Interviewer: How far is the clinic?\nWang Li: Far. We take the bus twice a week. The clinic calls back. "
        "Online booking is slow.")
PHRASES = ["the clinic", "the bus", "twice a week", "calls back", "Online booking", "is slow"]


def assert_counts(handles) -> None:
    """The tally is the codings grouped by document and coder; each coder's counts are the rule's."""
    owner = handles[0]
    with owner.read() as session:
        tally = {(d, c): n for d, c, n in session.exec(select(CodingTallyRow.document_id, CodingTallyRow.coder,
                                                              CodingTallyRow.codings)).all()}
        grouped = dict(((d, c), n) for d, c, n in session.exec(
            select(CodingRow.document_id, CodingRow.coder, func.count()).group_by(CodingRow.document_id,
                                                                                  CodingRow.coder)).all())
    assert tally == grouped
    for handle in handles:
        with handle.read() as session:
            rows = session.exec(visible_codings(session, handle.coder, CodingRow.document_id, func.count())
                                .group_by(CodingRow.document_id)).all()
            assert visible_coding_counts(session, handle.coder) == (sum(n for _d, n in rows), len(rows))


@pytest.fixture
def team_of_two(project):
    team.add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    yield project, bob
    bob.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_tally_and_the_counts_follow_random_writes_undo_and_redo(team_of_two, seed):
    from gtcode.services.documents import delete_document
    from gtcode.services.search import autocode

    alice, bob = team_of_two
    handles = (alice, bob)
    docs = [add_document(alice, f"Clinic {n}", f"{TEXT} Visit {n}.", kind="interview", lang="en").document.id
            for n in range(6)]
    rng = random.Random(seed)

    def code(handle):
        phrase = rng.choice(PHRASES)
        start = TEXT.index(phrase)
        code_span(handle, rng.choice(docs), start, start + len(phrase), rng.choice(["Access", "Transport", "Delay"]))

    def drop(handle):
        with handle.read() as session:
            ids = session.exec(visible_codings(session, handle.coder, CodingRow.id)).all()
        if ids:
            uncode(handle, rng.choice(ids))

    steps = [code, code, code, drop, lambda h: undo(h), lambda h: redo(h),
             lambda h: autocode(h, rng.choice(["clinic", "bus OR slow", "booking"]), "Searched", unit="sentence"),
             lambda h: team.assign(alice, rng.sample(docs, 2), ["alice", "bob"], blind=rng.random() < 0.7),
             lambda h: team.end_blinding(alice, [rng.choice(docs)])]
    for _ in range(40):
        try:
            rng.choice(steps)(rng.choice(handles))
        except GtcodeError:
            pass  # nothing to undo or redo, a twin coding: refused, nothing written
        assert_counts(handles)
    delete_document(alice, docs[0], with_codings=True)
    assert_counts(handles)
    undo(alice)  # the document and its codings back
    assert_counts(handles)


def test_the_counts_under_the_hold_out_by_hand_moves_and_release(team_of_two):
    from gtcode.services.codes import group
    from gtcode.services.holdout import release_holdout, split_holdout

    alice, bob = team_of_two
    docs = [add_document(alice, f"Clinic {n}", f"{TEXT} Visit {n}.", kind="interview", lang="en").document.id
            for n in range(6)]
    start = TEXT.index("the bus")
    for doc in docs[:3]:
        code_span(alice, doc, start, start + 7, "Transport")
        code_span(bob, doc, start, start + 7, "Transport")
    team.assign(alice, [docs[1]], ["alice", "bob"])
    split_holdout(alice, documents=[str(d) for d in docs[3:5]])
    with raw_write(alice) as session:  # an old import's coding on a hold-out document, one moved by hand
        session.add(CodingRow(document_id=docs[3], code_id=1, start=0, end=3, quote=TEXT[:3], coder="bob"))
        session.execute(update(CodingRow).where(CodingRow.document_id == docs[2], CodingRow.coder == "bob")
                        .values(document_id=docs[4]))
        session.execute(update(CodingRow).where(CodingRow.document_id == docs[0], CodingRow.coder == "alice")
                        .values(coder="carol"))
    assert_counts((alice, bob))
    with alice.read() as session:
        assert visible_coding_counts(session, "alice") == (4, 3)  # docs 1-3: carol's and bob's, hers (blind), hers
        assert visible_coding_counts(session, "bob") == (4, 3)  # docs 1-3: his and carol's, his (blind), alice's
        assert session.exec(select(func.count()).where(DocumentRow.split == "holdout")).one() == 2
    group(alice, "concept", "Getting there", ["Transport"])
    release_holdout(alice)
    assert_counts((alice, bob))
    with alice.read() as session:
        assert visible_coding_counts(session, "bob") == (6, 5)  # the hold-out's two now seen


def test_the_counts_after_a_bulk_qdpx_import_its_undo_and_redo(project, tmp_path):
    from gtcode.services.refi_exchange import export_project, import_project
    from tests.services.test_bulk_paths import _source

    source = _source(tmp_path)
    try:
        export_project(source, tmp_path / "source.qdpx")
    finally:
        source.close()
    add_document(project, "Clinic", TEXT, kind="interview", lang="en")
    code_span(project, 1, TEXT.index("the bus"), TEXT.index("the bus") + 7, "Transport")
    import_project(project, tmp_path / "source.qdpx", mode="merge")
    assert_counts((project,))
    with project.read() as session:
        imported = visible_coding_counts(session, project.coder)
    assert imported[0] > 1 and imported[1] == 3  # the project's document and the file's two
    undo(project)
    assert_counts((project,))
    with project.read() as session:
        assert visible_coding_counts(session, project.coder) == (1, 1)
    redo(project)
    assert_counts((project,))
    with project.read() as session:
        assert visible_coding_counts(session, project.coder) == imported


def test_an_upgrade_counts_the_codings_there_already(tmp_path, backend):
    """Migration 0018 fills the tally from the codings a project has; its downgrade drops it and its triggers."""
    from sqlalchemy import inspect

    from gtcode.store.engine import run_migrations
    from tests.conftest import new_project

    with new_project(tmp_path / "proj", backend) as project:
        doc = add_document(project, "Clinic", TEXT, kind="interview", lang="en").document.id
        code_span(project, doc, 0, 5, "Access")
        code_span(project, doc, 6, 9, "Access")
        run_migrations(project.engine, "downgrade", "0017")
        assert "coding_tally" not in inspect(project.engine).get_table_names()
        with project.engine.begin() as connection:  # a coding written while no trigger counts
            connection.execute(CodingRow.__table__.delete().where(CodingRow.start == 6))
        run_migrations(project.engine, "upgrade", "head")
        assert_counts((project,))
        with project.read() as session:
            assert visible_coding_counts(session, project.coder) == (1, 1)


BULK_ROWS = 1_000


def test_a_bulk_insert_of_many_codings_its_undo_and_redo(team_of_two):
    """An auto-coding of over a thousand codings (multi-row inserts) beside codings there already, by two coders;
    its undo deletes them as a block (one statement), its redo puts them back."""
    from gtcode.services.search import autocode

    alice, bob = team_of_two
    long = add_document(alice, "Long", "Respondent: " + "The clinic is far. The bus is late. " * (BULK_ROWS // 2 + 50),
                        kind="interview", lang="en").document.id
    short = add_document(alice, "Clinic", TEXT, kind="interview", lang="en").document.id
    code_span(bob, long, 12, 18, "Access")
    code_span(alice, short, 0, 5, "Access")
    made = autocode(bob, "clinic OR bus", "Searched", unit="sentence")
    assert made.made > BULK_ROWS
    assert_counts((alice, bob))
    team.assign(alice, [long], ["alice", "bob"])
    assert_counts((alice, bob))
    team.end_blinding(alice, [long])
    assert "Searched" in undo(alice)  # an owner undoes bob's auto-coding
    assert_counts((alice, bob))
    with alice.read() as session:
        assert visible_coding_counts(session, "bob") == (2, 2)
    redo(alice)
    assert_counts((alice, bob))
    with alice.read() as session:
        assert visible_coding_counts(session, "bob")[0] == made.made + 2
