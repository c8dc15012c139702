"""Table 2 (the open coding table): its rows, its CSV (the table writer's bytes) and who sees which codings."""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import given, settings
from hypothesis import strategies as st

from gtcode.exchange.tables import write_table
from gtcode.services import team
from gtcode.services.codes import group
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.domain.levels import Level, Prefixes
from gtcode.services.open_coding_table import (
    _Codes, _sentences, _sentences_walked, export_open_coding, open_coding_frame, open_coding_rows,
    write_open_coding,
)
from gtcode.services.project import open_project
from tests.services.test_open_coding import span_of

EN = ('Interviewer: What changed?\nRespondent: The county hospital runs "video consultations", weekly. '
      "Doctors in the city read our scans. Nothing else changed.")
ZH = "采访者：有什么变化？\n受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。"


def _coded(project):
    en = add_document(project, "Doctor, interview", EN, kind="interview", lang="en").document
    zh = add_document(project, "教师访谈", ZH, kind="interview", lang="zh").document
    code_span(project, en.id, *span_of(EN, 'runs "video consultations", '), 'Telemedicine, "remote"')  # a1
    code_span(project, en.id, *span_of(EN, "video consultations"), "Video")  # a2, inside a1
    code_span(project, en.id, *span_of(EN, "weekly. Doctors in the city"), "Routine")  # a3: across sentences
    code_span(project, en.id, *span_of(EN, "Nothing else changed."), "Telemedicine, \"remote\"")  # a1 again
    code_span(project, zh.id, *span_of(ZH, "城里老师的直播课"), "直播课堂")  # a4
    code_span(project, zh.id, *span_of(ZH, "城里老师的直播课"), "Video")  # a2 on the same span
    code_span(project, zh.id, *span_of(ZH, "图书馆"), "数字资源")  # a5, never grouped
    group(project, "concept", "Remote services", ["a2", "a1", "a4"])  # aa1
    group(project, "concept", "Rhythm", ["a3"])  # aa2
    group(project, "category", "Resource sharing, online", ["aa2", "aa1"])  # A1
    return en, zh


def test_rows_mark_each_coding_and_list_its_codes_in_number_order(project):
    _coded(project)
    rows = open_coding_rows(project)
    assert [(r.document, r.excerpt) for r in rows] == [
        ("Doctor, interview", 'The county hospital runs "video consultations (a2)", (a1) weekly. '
                              "Doctors in the city (a3) read our scans."),
        ("Doctor, interview", "Nothing else changed. (a1)"),
        ("教师访谈", "村里的学生可以上城里老师的直播课 (a2, a4)。"),
        ("教师访谈", "图书馆 (a5)也有了数字资源。"),
    ]
    first, _second, chinese, alone = rows
    assert first.conceptualization == ('a1: Telemedicine, "remote"', "a2: Video", "a3: Routine")
    assert first.normalization == ("aa1: Remote services (a1, a2)", "aa2: Rhythm (a3)")
    assert first.categorization == ("A1: Resource sharing, online (aa1, aa2)",)
    assert chinese.normalization == ("aa1: Remote services (a2, a4)",)
    assert (alone.conceptualization, alone.normalization, alone.categorization) == (("a5: 数字资源",), (), ())


def test_the_csv_is_byte_for_byte_what_pandas_writes_of_the_table(project, tmp_path):
    _coded(project)
    rows = open_coding_rows(project)
    written = write_open_coding(rows, tmp_path / "table.csv", "csv")
    open_coding_frame(rows).to_csv(tmp_path / "reference.csv", index=False, encoding="utf-8")
    assert written.read_bytes() == (tmp_path / "reference.csv").read_bytes()
    assert write_table(open_coding_frame(rows), tmp_path / "table.csv", "csv").read_bytes() == written.read_bytes()
    assert '"a1: Telemedicine, ""remote""\na2: Video' in written.read_text(encoding="utf-8")
    assert export_open_coding(project, tmp_path / "export.csv", "csv") == len(rows) == 4
    assert (tmp_path / "export.csv").read_bytes() == written.read_bytes()


def test_a_blind_coder_sees_only_their_own_codings_in_the_table(project):
    doc = add_document(project, "Clinic notes", "The clinic opened on Mondays. Patients came from afar.").document
    team.add_coder(project, "bob")
    team.assign(project, [doc.id], ["alice", "bob"])
    bob = open_project(project.directory, coder="bob")
    try:
        code_span(project, doc.id, 4, 17, "Opening")
        code_span(bob, doc.id, 30, 38, "Patients")
        assert [r.excerpt for r in open_coding_rows(bob)] == ["Patients (a2) came from afar."]
        assert [r.excerpt for r in open_coding_rows(project)] == ["The clinic opened (a1) on Mondays."]
        team.end_blinding(project, [doc.id])
        assert len(open_coding_rows(bob)) == 2
    finally:
        bob.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), min_size=1, max_size=12), st.integers(0, 60),
       st.integers(1, 30))
def test_sentences_found_by_bisection_are_those_the_walk_finds(bounds, start, length):
    """Sentences whose starts and ends both ascend (touching, apart, overlapping, empty): the bisection finds the
    run of sentences a span overlaps as the walk does, including the one before it when it overlaps none."""
    starts = sorted(s for s, _ in bounds)
    ends = sorted(s + n for s, n in zip(starts, sorted(n for _, n in bounds)))
    ends = [max(e, s) for s, e in zip(starts, ends)]
    ends = [max(ends[:i + 1]) for i in range(len(ends))]  # ascending, each at or after its start
    codings = [(1, start, start + length, 7)]
    assert _sentences(starts, ends, codings) == _sentences_walked(starts, ends, codings)


class _Code(NamedTuple):
    id: int
    level: str
    number: int
    label: str
    parent_id: int | None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=2, max_size=12), st.lists(st.integers(0, 2), min_size=3, max_size=3),
       st.data())
def test_sets_of_phenomena_are_laid_out_as_grouped(concept_of, category_of, data):
    """The cells of a set of phenomena made straight (one under each concept, one concept under each category) are
    those of the general grouping, whatever the tree (phenomena and concepts without a parent included), in
    number order."""
    categories = [_Code(100 + n, Level.CATEGORY.value, n + 1, f"category {n}", None) for n in range(2)]
    concepts = [_Code(10 + n, Level.CONCEPT.value, 4 - n, f"concept {n}",  # numbers not in id order
                      categories[category_of[n]].id if category_of[n] < 2 else None) for n in range(3)]
    phenomena = [_Code(1000 + n, Level.PHENOMENON.value, 50 - n, f"phenomenon {n}",
                       concepts[c].id if c < 3 else None) for n, c in enumerate(concept_of)]
    table = _Codes(categories + concepts + phenomena, Prefixes())
    chosen = data.draw(st.lists(st.sampled_from(phenomena), min_size=2, unique=True))
    ids = tuple(code.id for code in sorted(chosen, key=lambda code: code.number))
    assert table.cells(ids) == table._grouped_cells(ids)
