"""The saturation verdict v2 (issue 12): each of the five ways the first test could be fooled, and the rules
that replace them (whole-model snapshot and diff, hold-out novelty only, support units, coverage, levels)."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services.axial import set_slot
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.holdout import release_holdout, split_holdout
from gtcode.services.saturation import model_changes, saturation_report
from gtcode.services.selective import relate, set_core, unrelate
from tests.conftest import raw_write

TEXTS = {
    "B1": "Doctors read scans by video. The clinic has fast internet. Nurses book the calls.",
    "B2": "Teachers stream lessons to villages. Students watch them at school. The signal drops in rain.",
    "B3": "Librarians lend e-books to farmers. Farmers read about new seeds. The app is free.",
    "H1": "Volunteers repair computers. Volunteers teach the elders. The elders call their children by video.",
    "H2": "县医院开通了远程会诊。城里的医生帮我们看片子。护士预约时间。",
}


@pytest.fixture
def study(project):
    """Three coded build documents, a model with two main categories, a relationship, a paradigm and a core;
    H1 and H2 held out and released."""
    docs = {title: add_document(project, title, text, kind="interview").document for title, text in TEXTS.items()}
    code(project, docs, "B1", "Doctors read scans by video", "Telemedicine")
    code(project, docs, "B2", "Teachers stream lessons to villages", "Online classes")
    code(project, docs, "B3", "Librarians lend e-books to farmers", "E-lending")
    code(project, docs, "B1", "The clinic has fast internet", "Broadband")
    codebook.group(project, "concept", "Remote services", ["Telemedicine", "Online classes"])
    codebook.group(project, "concept", "Digital resources", ["E-lending"])
    codebook.group(project, "concept", "Networks", ["Broadband"])
    codebook.group(project, "category", "Resource sharing", ["aa1", "aa2"])
    codebook.group(project, "category", "Infrastructure", ["aa3"])
    codebook.group(project, "main", "Resource supply", ["A1"])
    codebook.group(project, "main", "Technology support", ["A2"])
    relate(project, "A2", "causal", "A1")
    set_slot(project, "M1", "causal", add=["A2"])
    set_core(project, "Sharing", storyline="Networks carry shared services.")
    split_holdout(project, documents=[str(docs["H1"].id), str(docs["H2"].id)])
    release_holdout(project)
    return project, docs


def code(project, docs, title, quote, label):
    start = TEXTS[title].index(quote)
    return code_span(project, docs[title].id, start, start + len(quote), label)


def new_branch(project, docs, quotes, phenomenon, concept, category):
    """Code ``quotes`` ((title, quote) pairs) with a new phenomenon under a new concept and category."""
    for title, quote in quotes:
        code(project, docs, title, quote, phenomenon)
    codebook.group(project, "concept", concept, [phenomenon])
    codebook.group(project, "category", category, [concept])


def code_holdout_with_known_codes(project, docs):
    """Every sentence of both hold-out documents coded with phenomena the model has already."""
    for quote in ("Volunteers repair computers", "Volunteers teach the elders", "call their children by video"):
        code(project, docs, "H1", quote, "Telemedicine")
    for quote in ("县医院开通了远程会诊", "城里的医生帮我们看片子", "护士预约时间"):
        code(project, docs, "H2", quote, "Telemedicine")


def test_restructuring_after_release_is_not_saturated_and_names_the_change(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    assert saturation_report(project).verdict == "saturated"
    codebook.move(project, "A2", "M1")  # the old report said "saturated" after this
    report = saturation_report(project)
    assert report.verdict == "not saturated"
    assert "the model changed since release: A2 Infrastructure moved from M2 to M1" in report.reason
    assert [c.text for c in model_changes(project).counting] == ["A2 Infrastructure moved from M2 to M1"]
    codebook.undo(project)
    assert saturation_report(project).verdict == "saturated"
    codebook.merge(project, "aa2", "aa1")
    codebook.split(project, "aa1", "Remote teaching", ["a2"])
    codebook.rename(project, "A1", "Shared resources")
    unrelate(project, "R1")
    set_slot(project, "M1", "causal", remove=["A2"])
    set_core(project, "Sharing", storyline="Another story.")
    texts = [c.text for c in model_changes(project).counting]
    assert texts == ["aa1 Remote services split: aa4 took 1 of its 2 codes", "aa2 Digital resources merged into aa1",
                     "A1 renamed from 'Resource sharing' to 'Shared resources'",
                     "relationship R1 (A2 causal A1) removed", "paradigm of M1, causal conditions: A2 removed",
                     "the story line was rewritten"]
    assert saturation_report(project, "category").counting_changes[0].text.startswith("A1 renamed")


def test_a_phenomenon_move_is_below_the_tested_levels(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    codebook.move(project, "a3", "aa1")
    diff = model_changes(project)
    assert [(c.kind, c.level) for c in diff.changes] == [("moved", "phenomenon")] and diff.counting == ()
    assert saturation_report(project).verdict == "saturated"


def test_build_document_coding_after_release_is_not_hold_out_novelty(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    new_branch(project, docs, [("B2", "The signal drops in rain"), ("B3", "The app is free")], "Rain outages",
               "Weather", "Climate")
    report = saturation_report(project)
    assert report.new_codes == () and report.verdict == "saturated"
    assert [(c.ref, c.support.documents) for c in report.build_changes] == [("aa4", 2), ("A3", 2)]


def test_a_single_coding_in_the_hold_out_is_undetermined(study):
    project, docs = study
    code(project, docs, "H1", "Volunteers repair computers", "Telemedicine")
    report = saturation_report(project)
    assert report.verdict == "undetermined"  # the old report said "saturated" here
    assert "2 of 2 hold-out documents are coded below the floor of 50%" in report.reason
    assert [(c.sentences, c.coded, c.status) for c in report.coverage] == [(3, 1, "below the floor"), (3, 0, "uncoded")]
    assert saturation_report(project, min_coverage=0).verdict == "undetermined"  # H2 is still uncoded


def test_two_quotations_from_one_document_are_one_document_of_support(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    new_branch(project, docs, [("H1", "Volunteers repair computers"), ("H1", "Volunteers teach the elders")],
               "Volunteer repair", "Volunteering", "Civic support")
    codebook.group(project, "main", "Civil society", ["Civic support"])
    report = saturation_report(project, support="documents", min_support=2)
    assert [(c.ref, c.support.documents, c.support.cases, c.support.quotations, c.counts) for c in report.new_codes] == [
        ("aa4", 1, 1, 2, False), ("A3", 1, 1, 2, False), ("M3", 1, 1, 2, False)]
    assert report.verdict == "saturated"
    quotations = saturation_report(project, support="quotations", min_support=2)
    assert quotations.verdict == "not saturated"
    assert "1 new concept and 1 new category and 1 new main category" in quotations.reason
    assert "A3 Civic support (2 quotations)" in quotations.reason


def test_cases_count_documents_of_one_case_once(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    with raw_write(project) as session:
        from gtcode.store.tables import AttributeRow

        for title in ("H1", "H2"):
            session.add(AttributeRow(document_id=docs[title].id, name="case", value="village 3"))
    code(project, docs, "H1", "Volunteers repair computers", "Volunteer repair")
    code(project, docs, "H2", "护士预约时间", "Volunteer repair")
    codebook.group(project, "concept", "Volunteering", ["Volunteer repair"])
    by_documents = saturation_report(project)
    assert [(c.ref, c.support.documents, c.support.cases) for c in by_documents.new_codes] == [("aa4", 2, 1)]
    assert by_documents.verdict == "not saturated"
    assert saturation_report(project, support="cases").verdict == "saturated"


def test_cases_come_from_the_cases_table_and_an_old_case_attribute_only_without_one(study):
    from gtcode.services.cases import leave_case, set_case
    from gtcode.store.tables import AttributeRow

    project, docs = study
    code_holdout_with_known_codes(project, docs)
    code(project, docs, "H1", "Volunteers repair computers", "Volunteer repair")
    code(project, docs, "H2", "护士预约时间", "Volunteer repair")
    codebook.group(project, "concept", "Volunteering", ["Volunteer repair"])

    def cases() -> int:
        return saturation_report(project, support="cases").new_codes[0].support.cases

    assert cases() == 2  # each document a case of its own
    set_case(project, "village 3", {"region": "west"}, [str(docs["H1"].id), str(docs["H2"].id)])
    assert cases() == 1
    assert saturation_report(project, support="cases").verdict == "saturated"
    leave_case(project, [str(docs["H2"].id)])
    assert cases() == 2
    with raw_write(project) as session:  # a project from before cases: H2 names its case by attribute
        session.add(AttributeRow(document_id=docs["H2"].id, name="case", value="village 3"))
        session.add(AttributeRow(document_id=docs["H1"].id, name="case", value="elsewhere"))
    assert cases() == 1  # H1's case is its case row, not its old attribute


def test_an_ungrouped_phenomenon_is_ungrouped_not_a_new_category(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    code(project, docs, "H1", "Volunteers repair computers", "Volunteer repair")
    code(project, docs, "H2", "护士预约时间", "Volunteer repair")
    report = saturation_report(project)
    assert report.new_codes == () and [(c.ref, c.level, c.counts) for c in report.ungrouped] == [("a5", "phenomenon", True)]
    assert report.verdict == "undetermined" and "not grouped up to a concept" in report.reason
    category_only = saturation_report(project, "category")
    assert category_only.verdict == "undetermined" and "not grouped up to a category" in category_only.reason
    codebook.group(project, "concept", "Volunteering", ["Volunteer repair"])
    assert saturation_report(project, "category").ungrouped[0].ref == "aa4"
    codebook.move(project, "aa4", "A1")
    assert saturation_report(project, "category").verdict == "saturated"
    assert saturation_report(project).verdict == "not saturated"  # a new concept with two documents


def test_an_old_snapshot_of_codes_only_is_still_read(study):
    project, docs = study
    from sqlmodel import select

    from gtcode.store.tables import HoldoutRow

    with raw_write(project) as session:
        holdout = session.exec(select(HoldoutRow)).one()
        holdout.snapshot = {"taken_at": "2025-01-01T00:00:00", "codes": [
            {key: code[key] for key in ("id", "ref", "level", "label", "parent_id", "parent_ref")}
            for code in holdout.snapshot["codes"]]}
        session.add(holdout)
    code_holdout_with_known_codes(project, docs)
    unrelate(project, "R1")
    report = saturation_report(project)
    assert report.snapshot_complete is False and report.verdict == "saturated"
    codebook.move(project, "A2", "M1")
    assert model_changes(project).counting[0].text == "A2 Infrastructure moved from M2 to M1"


def test_the_release_snapshot_holds_the_whole_model(study):
    project, _docs = study
    from gtcode.services.holdout import holdout_row

    with project.read() as session:
        snapshot = holdout_row(session).snapshot
    assert snapshot["version"] == 2 and snapshot["storyline"] == "Networks carry shared services."
    assert {c["ref"] for c in snapshot["codes"]} >= {"a1", "aa1", "A1", "M1", "C1"}
    assert [(r["ref"], r["type"]) for r in snapshot["relationships"]] == [("R1", "causal")]
    assert [p["slot"] for p in snapshot["paradigm"]] == ["causal"] and snapshot["core_id"] is not None


def test_a_relationship_on_a_relationship_is_in_the_snapshot_and_the_diff(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    relate(project, "M1", "causal", "R1")  # made after the release: a new relationship at main level
    assert [c.text for c in model_changes(project).counting] == ["relationship R2 (M1 causal R1) is new"]
    assert saturation_report(project).verdict == "not saturated"


def test_the_curve_follows_the_chosen_order_kinds_and_level_and_lists_post_point_codes(study):
    project, docs = study
    code_holdout_with_known_codes(project, docs)
    code(project, docs, "H2", "护士预约时间", "预约护士")
    codebook.group(project, "concept", "预约", ["预约护士"])
    options = dict(base_size=2, run_length=1, orders=200)
    curve = saturation_report(project, order="import", **options).curve
    # concepts per document: B1 aa1 aa3 | B2 aa1 | B3 aa2 | H1 aa1 | H2 aa1 aa4
    assert [title for _, title in curve.documents] == ["B1", "B2", "B3", "H1", "H2"]
    assert (curve.new_counts, curve.point) == ((2, 0, 1, 0, 1), "3+1")
    assert [(p.ref, p.position, p.document_title, p.holdout) for p in curve.post_point] == [("aa4", 5, "H2", True)]
    assert all(isinstance(v, int) for v in (curve.median, *curve.interval_95) if v is not None)
    report = saturation_report(project, order="import", **options)
    assert "levels off at 3+1 and 1 new concept code still appeared after it (aa4; 1 of them in hold-out documents)" in report.reconciliation
    with raw_write(project) as session:
        from gtcode.store.tables import AttributeRow

        for title, date in (("H2", "2024-01-05"), ("B3", "2024-02-01"), ("B1", "2024-03-09")):
            session.add(AttributeRow(document_id=docs[title].id, name="date", value=date))
    dated = saturation_report(project, order="attribute:date", **options).curve
    assert [title for _, title in dated.documents] == ["H2", "B3", "B1", "B2", "H1"]  # undated last, by id
    from gtcode.services.sampling import set_sampling

    for title, wave, collected in (("B3", 1, "2024-02-01"), ("H1", 1, "2024-01-10"), ("B1", 2, "")):
        set_sampling(project, docs[title].id, wave=wave, collected=collected)
    sampled = saturation_report(project, order="sampling", **options).curve
    assert [title for _, title in sampled.documents] == ["H1", "B3", "B1", "B2", "H2"]  # wave, date; unlogged last
    assert saturation_report(project, curve_level="category", order="import", **options).curve.new_counts == (
        2, 0, 0, 0, 0)  # aa4 is not in a category: left out, and counted
    assert saturation_report(project, curve_level="category", **options).curve.left_out == 1
    policies = saturation_report(project, kinds=("policy",), **options)
    assert policies.curve.documents == () and not policies.curve.determined
    assert policies.reconciliation.startswith("The new-code curve cannot be determined")


def test_meaning_saturation_reads_where_hold_out_codings_sit_on_the_dimensions(study):
    from gtcode.services.properties import add_property, set_dimension

    project, docs = study
    assert "is not measured: this project records no properties" in saturation_report(project).meaning
    add_property(project, "A1", "费用", "免费,便宜,昂贵")
    built = code(project, docs, "B1", "Nurses book the calls", "Telemedicine")
    set_dimension(project, built.id, "费用", "免费")
    assert "undetermined: no hold-out quotation is placed on any of the 1 properties" in saturation_report(project).meaning
    same = code(project, docs, "H2", "护士预约时间", "Telemedicine")
    set_dimension(project, same.id, "费用", "免费")
    assert saturation_report(project).meaning.startswith("Meaning is saturated (Hennink et al. 2017): hold-out "
                                                         "codings placed 1 quotations")
    other = code(project, docs, "H1", "Volunteers repair computers", "Telemedicine")
    set_dimension(project, other.id, "费用", "昂贵")
    meaning = saturation_report(project).meaning
    assert meaning.startswith("Meaning is not saturated") and "A1 Resource sharing: value '昂贵' of '费用' (1 hold-out" in meaning
    add_property(project, "A2", "speed", "slow,fast")
    fast = code(project, docs, "H1", "Volunteers teach the elders", "Broadband")
    set_dimension(project, fast.id, "speed", "fast")
    assert "A2 Infrastructure: property 'speed' (1 hold-out quotations)" in saturation_report(project).meaning
