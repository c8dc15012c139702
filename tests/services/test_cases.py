"""Cases group documents and carry attributes; Table 1 counts cases or documents in the researcher's order;
the hold-out's documents stay out while blinded; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from gtcode.services import codes
from gtcode.services.cases import list_cases, set_case
from gtcode.services.corpus import add_document
from gtcode.services.documents import attribute_table
from gtcode.services.errors import Forbidden, NotFound
from gtcode.services.holdout import split_holdout
from tests.cli.helpers import run


def table(rows) -> list[tuple]:
    return [(r["attribute"], r["value"], r["count"]) for r in rows]


def test_a_participant_interviewed_twice_is_one_case(project):
    first = add_document(project, "Wang, 2021", "Interviewer: Why the bus?\nWang: Cheap.",
                         attributes={"wave": 1, "gender": "female"}).document.id
    second = add_document(project, "Wang, 2022", "Interviewer: And now?\nWang: Still the bus.",
                          attributes={"wave": 2, "gender": "female"}).document.id
    other = add_document(project, "Li", "Interviewer: Why?\nLi: 方便。", attributes={"wave": 1, "gender": "male"}).document.id
    set_case(project, "P01", {"residence": "rural", "age": 34}, [str(first), str(second)])
    set_case(project, "P02", {"residence": "urban", "age": 51}, [str(other)])
    assert [(c.name, c.attributes, c.documents) for c in list_cases(project)] == [
        ("P01", {"residence": "rural", "age": 34}, (first, second)), ("P02", {"residence": "urban", "age": 51}, (other,))]
    assert table(attribute_table(project, by="case")) == [
        ("residence", "rural", 1), ("residence", "urban", 1), ("age", 34, 1), ("age", 51, 1)]
    assert table(attribute_table(project)) == [  # documents, in the order attributes were first given
        ("wave", 1, 2), ("wave", 2, 1), ("gender", "female", 2), ("gender", "male", 1)]
    assert [r["attribute"] for r in attribute_table(project, order=["gender"])][:1] == ["gender"]
    with pytest.raises(NotFound, match=r"^no case has the attribute 'wave'; the attributes are: residence, age"):
        attribute_table(project, by="case", order=["wave"])
    codes.undo(project)
    assert [c.name for c in list_cases(project)] == ["P01"]


def test_a_blinded_hold_out_document_stays_out_of_cases(project):
    seen = add_document(project, "Seen", "A document anyone may read.").document.id
    hidden = add_document(project, "Hidden", "A document held out.").document.id
    set_case(project, "Site A", {"region": "north"}, [str(seen)])
    set_case(project, "Site B", {"region": "south"}, [str(hidden)])
    split_holdout(project, documents=[str(hidden)])
    assert [c.documents for c in list_cases(project)] == [(seen,), ()]
    assert table(attribute_table(project, by="case")) == [("region", "north", 1)]
    with pytest.raises(Forbidden, match="is in the hold-out and stays unseen"):
        set_case(project, "Site A", {}, [str(hidden)])


def test_case_commands(project):
    add_document(project, "Wang", "Wang: the bus.")
    directory = project.directory
    assert run(directory, "case", "set", "P01", "gender=female", "--doc", "1").stdout == \
        "case P01: documents 1; gender=female\n"
    assert run(directory, "cases").stdout == "case P01: documents 1; gender=female\n"
    assert run(directory, "case", "set", "P01", "age=40", "--unset", "gender").stdout == "case P01: documents 1; age=40\n"
    assert "has no attribute 'gender'; it has: age" in run(directory, "case", "set", "P01", "--unset", "gender",
                                                            ok=False).stderr
    assert run(directory, "case", "leave", "1").stdout == "out of their case: documents 1\n"
    assert run(directory, "cases").stdout == "case P01: documents -; age=40\n"
    run(directory, "undo")
    assert run(directory, "cases").stdout == "case P01: documents 1; age=40\n"
    assert "age          40    1       100.0%" in run(directory, "attributes", "--by", "case").stdout


def test_a_hold_out_by_case_keeps_each_case_on_one_side(project):
    ids = [add_document(project, f"d{n}", f"Document {n} on buses and clinics.").document.id for n in range(9)]
    for number, members in enumerate((ids[0:3], ids[3:5], ids[5:7]), 1):
        set_case(project, f"P{number}", {"site": number}, [str(i) for i in members])
    status = split_holdout(project, fraction="1/3", seed=7, stratify="case")
    held = {d.id for d in status.documents}
    assert status.method == "by case (a case's documents on one side)" and 1 <= len(held) <= 3
    for members in (ids[0:3], ids[3:5], ids[5:7]):
        assert set(members) <= held or not set(members) & held
