"""Coders, roles and blind double coding in the service layer."""

from __future__ import annotations

import pytest

from gtcode.services import codes as codebook
from gtcode.services import team
from gtcode.services.coding import adjust, code_span, document_codings, quotes, uncode
from gtcode.services.corpus import add_document
from gtcode.services.errors import Forbidden, GtcodeError
from gtcode.services.memos import write_memo
from gtcode.services.project import open_project

TEXT = "The clinic opened on Mondays. Patients came from three villages. Nurses stayed late."


def as_coder(project, name):
    """The same project opened by another coder."""
    return open_project(project.directory, coder=name)


@pytest.fixture
def team_project(project):
    doc = add_document(project, "Clinic notes", TEXT).document
    team.add_coder(project, "bob")
    team.add_coder(project, "vic", role="viewer")
    handles = {name: as_coder(project, name) for name in ("bob", "vic", "eve")}
    yield project, doc, handles
    for handle in handles.values():
        handle.close()


def span(quote):
    start = TEXT.index(quote)
    return start, start + len(quote)


def test_coders_are_listed_with_roles_and_only_owners_add_them(team_project):
    project, _doc, h = team_project
    assert [(c.name, c.role) for c in team.list_coders(project)] == [("alice", "owner"), ("bob", "coder"), ("vic", "viewer")]
    with pytest.raises(Forbidden, match="only an owner can add coders"):
        team.add_coder(h["bob"], "mallory", role="owner")
    with pytest.raises(GtcodeError, match="only owner"):
        team.add_coder(project, "alice", role="coder")


def test_viewer_cannot_write_anything(team_project):
    project, doc, h = team_project
    code_span(project, doc.id, *span("clinic opened"), "Opening")
    for attempt in (lambda: code_span(h["vic"], doc.id, 0, 3, "x"), lambda: codebook.rename(h["vic"], "a1", "New"),
                    lambda: write_memo(h["vic"], "project", "hi"), lambda: codebook.undo(h["vic"])):
        with pytest.raises(Forbidden, match="viewer"):
            attempt()
    assert [c.label for c in codebook.list_codes(project)] == ["Opening"]


def test_coder_keeps_to_own_codings_owner_may_do_all(team_project):
    project, doc, h = team_project
    mine = code_span(project, doc.id, *span("clinic opened"), "Opening")
    theirs = code_span(h["bob"], doc.id, *span("three villages"), "Catchment")
    assert theirs.coder == "bob"
    with pytest.raises(Forbidden, match="cannot change codings of alice"):
        uncode(h["bob"], mine.id)
    with pytest.raises(Forbidden, match="cannot change codings of alice"):
        adjust(h["bob"], mine.id, 0, 3)
    with pytest.raises(Forbidden, match="delete a code"):
        codebook.delete_code(h["bob"], "a1")
    code_span(project, doc.id, *span("Nurses"), "Staff")
    with pytest.raises(Forbidden, match="cannot undo"):
        codebook.undo(h["bob"])
    assert adjust(h["bob"], theirs.id, *span("villages")).quote == "villages"
    uncode(project, theirs.id)  # the owner may
    assert {c.coder for c in document_codings(project, doc.id)} == {"alice"}


def test_unknown_coder_is_registered_as_coder_on_first_write(team_project):
    project, doc, h = team_project
    assert team.whoami(h["eve"]).role == "coder"
    assert "eve" not in {c.name for c in team.list_coders(project)}
    code_span(h["eve"], doc.id, *span("Nurses"), "Staff")
    assert ("eve", "coder") in {(c.name, c.role) for c in team.list_coders(project)}


def test_coder_may_not_overwrite_another_coders_memo(team_project):
    from gtcode.services.memos import delete_memo, edit_memo, link_memo, list_memos

    project, doc, h = team_project
    alices = write_memo(project, "project", "Alice's overview")
    bobs = write_memo(h["bob"], "project", "mine now")  # a memo of his own beside hers
    assert bobs.id != alices.id
    assert sorted((m.coder, m.text) for m in list_memos(project)) == [("alice", "Alice's overview"), ("bob", "mine now")]
    for change in (lambda: edit_memo(h["bob"], alices.id, text="mine now"), lambda: delete_memo(h["bob"], alices.id),
                   lambda: link_memo(h["bob"], alices.id, [f"doc:{doc.id}"])):
        with pytest.raises(Forbidden, match="'alice'"):
            change()
    assert edit_memo(project, bobs.id, text="an owner may").text == "an owner may"


def test_blind_double_coding_hides_the_other_coder_until_the_owner_ends_it(team_project):
    project, doc, h = team_project
    team.assign(project, [doc.id], ["alice", "bob"])
    code_span(project, doc.id, *span("clinic opened"), "Opening")
    code_span(h["bob"], doc.id, *span("clinic opened on Mondays"), "Opening")
    assert {c.coder for c in document_codings(h["bob"], doc.id)} == {"bob"}
    assert {c.coder for c in quotes(project, "a1")} == {"alice"}
    assert codebook.rename(h["bob"], "a1", "Opening day").codings == 1  # bob's count: his coding only
    assert [c.codings for c in codebook.list_codes(h["bob"])] == [1]
    with pytest.raises(Forbidden, match="only an owner can end blinding"):
        team.end_blinding(h["bob"], [doc.id])
    ended = team.end_blinding(project, [doc.id])
    assert [(a.coder, a.blind) for a in ended] == [("alice", False), ("bob", False)]
    assert {c.coder for c in document_codings(h["bob"], doc.id)} == {"alice", "bob"}


def test_assign_needs_two_known_coders(team_project):
    project, doc, _h = team_project
    with pytest.raises(GtcodeError, match="at least two different coders"):
        team.assign(project, [doc.id], ["alice"])
    with pytest.raises(GtcodeError, match="unknown coder zed"):
        team.assign(project, [doc.id], ["alice", "zed"])


def test_disagreements_side_by_side_and_resolved_with_a_memo(team_project):
    from gtcode.services.disagreements import disagreements, resolve

    project, doc, h = team_project
    code_span(project, doc.id, *span("clinic opened"), "Opening")
    code_span(h["bob"], doc.id, *span("clinic opened on Mondays"), "Opening")
    code_span(project, doc.id, *span("Nurses"), "Staff")
    code_span(h["bob"], doc.id, *span("Nurses"), "Staff")  # the same span: no disagreement
    code_span(h["bob"], doc.id, *span("three villages"), "Catchment")
    items = disagreements(project, "alice", "bob")
    assert [(d.code_label, d.first.quotes, d.second.quotes) for d in items] == [
        ("Opening", ("clinic opened",), ("clinic opened on Mondays",)), ("Catchment", (), ("three villages",))]
    with pytest.raises(Forbidden, match="only an owner can resolve"):
        resolve(h["bob"], items[0], "second")
    kept = resolve(project, items[0], "merged", "bob's span includes the day; merged")
    resolve(project, items[1], "first")
    remaining = sorted((c.coder, c.quote, c.memo) for c in document_codings(project, doc.id))
    assert remaining == [("alice", "Nurses", ""), ("alice", "clinic opened on Mondays", "bob's span includes the day; merged"),
                         ("bob", "Nurses", ""), ("bob", "clinic opened on Mondays", "")]
    assert kept and disagreements(project, "alice", "bob") == []
    codebook.undo(project)
    assert len(disagreements(project, "alice", "bob")) == 1


def test_only_documents_both_coders_coded_are_compared(team_project):
    from gtcode.services.agreement import project_agreement
    from gtcode.services.disagreements import disagreements
    from tests.cli.helpers import run, run_json

    project, doc, h = team_project
    alone = add_document(project, "村医访谈", "村医说：远程会诊很有用。", lang="zh").document
    code_span(project, doc.id, *span("clinic opened"), "Opening")
    code_span(h["bob"], doc.id, *span("clinic opened on Mondays"), "Opening")
    code_span(project, alone.id, 4, 8, "远程会诊")  # alice alone coded this document: nothing to compare there
    items = disagreements(project, "alice", "bob")
    assert [(d.document_id, d.code_label) for d in items] == [(doc.id, "Opening")]
    report = project_agreement(project, ["alice", "bob"])
    assert report.documents == (doc.id,) and [c.code for c in report.codes] == ["a1", "overall"]
    listed = run_json(project.directory, "disagreements")
    assert [(d["document_id"], d["code_label"]) for d in listed] == [(doc.id, "Opening")]
    assert "远程会诊" not in run(project.directory, "disagreements", "--coders", "alice,bob").stdout
    code_span(h["bob"], alone.id, 0, 2, "村医")  # now both coded it, each a quotation of their own
    assert project_agreement(project, ["alice", "bob"]).documents == (doc.id, alone.id)
    assert {d.document_id for d in disagreements(project, "alice", "bob")} == {doc.id, alone.id}
    team.assign(project, [doc.id], ["alice", "bob"], blind=False)  # the material coded twice, said so
    assert [(d.document_id, d.code_label) for d in disagreements(project, "alice", "bob")] == [(doc.id, "Opening")]
    assert project_agreement(project, ["alice", "bob"]).documents == (doc.id,)
    assert [d["document_id"] for d in run_json(project.directory, "disagreements", "--coders", "alice,bob")] == [doc.id]


def test_an_assignment_to_other_coders_leaves_the_pair_compared_on_what_both_coded(team_project):
    from gtcode.services.disagreements import disagreements

    project, doc, h = team_project
    other = add_document(project, "Ward rounds", "Rounds start at eight.").document
    team.add_coder(project, "carol")
    team.assign(project, [other.id], ["bob", "carol"])  # bob's double coding with carol, not with alice
    code_span(project, doc.id, *span("clinic opened"), "Opening")
    code_span(h["bob"], doc.id, *span("clinic opened on Mondays"), "Opening")
    assert [d.document_id for d in disagreements(project, "alice", "bob")] == [doc.id]
