"""Axial and selective coding services: paradigms, core, outcome, story line, relationships, undo."""

import pytest

from gtcode.domain.levels import Level
from gtcode.domain.paradigm import Slot
from gtcode.services import axial, selective
from gtcode.services import codes as codebook
from gtcode.services.changes import ChangeRecorder
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import Forbidden, GtcodeError, NotFound
from gtcode.services.model_snapshot import snapshot
from tests.conftest import raw_write

GOVERNMENT = {2: "Normative standards", 4: "Regional coordination", 6: "Policy guarantee", 7: "Sectoral collaboration",
              9: "System improvement", 12: "Institutional construction", 17: "Regulatory security",
              20: "Financial support"}


def make_categories(project, numbered: dict[int, str]) -> None:
    with raw_write(project) as session:
        recorder = ChangeRecorder(session, "categories", project.coder)
        for number, label in numbered.items():
            codebook.create_code(session, recorder, Level.CATEGORY, label, number=number)
        recorder.save()


@pytest.fixture
def government(project):
    make_categories(project, GOVERNMENT)
    codebook.group(project, "main", "Government guarantee", [f"A{n}" for n in GOVERNMENT])
    return project


def test_paradigm_slots_hold_categories_and_a_sentence(government):
    p = government
    axial.set_slot(p, "Government guarantee", "causal", ["A6", "A9", "A12"])
    axial.set_slot(p, "M1", Slot.PHENOMENON, ["A2"])
    axial.set_slot(p, "M1", "context", text="Sharing should rely on policy guarantees")
    axial.set_slot(p, "M1", "intervening", ["A20", "A17"])
    axial.set_slot(p, "M1", "strategy", ["A4"])
    info = axial.set_slot(p, "M1", "strategy", ["A7", "A4"])  # appends, keeps A4 once
    axial.set_slot(p, "M1", "consequence", text="Government secures resource sharing")
    info = axial.paradigm(p, "M1")
    assert [c.ref for c in info.slot(Slot.CAUSAL).categories] == ["A6", "A9", "A12"]
    assert [c.ref for c in info.slot(Slot.STRATEGY).categories] == ["A4", "A7"]
    assert info.slot(Slot.CONTEXT).text.startswith("Sharing should")
    assert info.issues == ()
    spec = snapshot(p).paradigms[0]
    assert spec.main == "M1" and spec.slot(Slot.INTERVENING).categories == ("A20", "A17")


def test_remove_clear_and_text_replacement(government):
    p = government
    axial.set_slot(p, "M1", "causal", ["A6", "A9"], text="first")
    info = axial.set_slot(p, "M1", "causal", remove=["A6"], text="second")
    assert [c.ref for c in info.slot(Slot.CAUSAL).categories] == ["A9"] and info.slot(Slot.CAUSAL).text == "second"
    info = axial.set_slot(p, "M1", "causal", ["A2"], clear=True)
    assert [c.ref for c in info.slot(Slot.CAUSAL).categories] == ["A2"] and info.slot(Slot.CAUSAL).text == ""
    codebook.undo(p)
    assert [c.ref for c in axial.paradigm(p, "M1").slot(Slot.CAUSAL).categories] == ["A9"]


def test_validation_flags_empty_slots_orphans_and_duplicates(government):
    p = government
    make_categories(p, {30: "Loose category"})
    axial.set_slot(p, "M1", "causal", ["A6", "A30"])
    info = axial.set_slot(p, "M1", "phenomenon", ["A6"])
    messages = [issue.message for issue in info.issues]
    assert "A30 Loose category is under no main category" in messages
    assert any(m.startswith("A6 is in 2 slots") for m in messages)
    assert sum(m.endswith("empty slot") for m in messages) == 4


@pytest.mark.parametrize("args, message", [
    (("M1", "reasons", ["A6"]), "unknown paradigm slot"),
    (("M1", "causal", ["M1"]), "must be a category"),
    (("A6", "causal", ["A9"]), "must be a main"),
    (("M1", "causal", ["A99"]), "no code"),
    (("M1", "causal", []), "say what goes into"),
])
def test_bad_slot_input_changes_nothing(government, args, message):
    before = axial.paradigm(government, "M1")
    with pytest.raises(GtcodeError, match=message):
        axial.set_slot(government, *args)
    assert axial.paradigm(government, "M1") == before


def test_slot_quotes_come_from_the_categories_below(government):
    p = government
    doc = add_document(p, "Interview", "The county set up a fund for digital villages.").document
    coding = code_span(p, doc.id, 15, 21, "Fund")
    codebook.group(p, "concept", "Funding", ["a1"])
    codebook.move(p, "aa1", "A20")
    axial.set_slot(p, "M1", "intervening", ["A20", "A17"])
    found = axial.slot_quotes(p, "M1", "intervening")
    assert [q.id for q in found["A20"]] == [coding.id] and found["A17"] == []


@pytest.fixture
def spr(project):
    numbered = {16: "Public demand", 6: "Policy guarantee", 5: "Innovation drive", 13: "Talent cultivation",
                3: "Resource integration", 8: "Technology application"}
    make_categories(project, numbered)
    mains = ["Social demand", "Government guarantee", "Innovation drive", "Talent support", "Resource supply",
             "Technology support"]
    for main, category in zip(mains, numbered):
        codebook.group(project, "main", main, [f"A{category}"])
    selective.set_core(project, "Factors influencing digital sharing", storyline="Under the government guarantee")
    selective.set_outcome(project, "Shared behavior")
    return project


def test_relationships_on_relationships_and_the_snapshot(spr):
    p = spr
    r1 = selective.relate(p, "Social demand", "causality", "Shared behavior", memo="Social demand influences sharing")
    assert (r1.ref, r1.type, r1.target_ref) == ("R1", "causal", "O1")
    r2 = selective.relate(p, "M2", "safeguard", "R1")
    assert r2.target_label == "Social demand → Shared behavior" and r2.acts_on_relationship
    for main, kind in (("M3", "moderating"), ("M4", "support"), ("M5", "supporting"), ("M6", "supporting")):
        selective.relate(p, main, kind, "R1")
    snap = snapshot(p)
    assert [(r.ref, r.source, r.type, r.target) for r in snap.relationships][:3] == [
        ("R1", "M1", "causal", "O1"), ("R2", "M2", "safeguard", "R1"), ("R3", "M3", "regulating", "R1")]
    assert (snap.core, snap.outcome, snap.storyline) == ("C1", "O1", "Under the government guarantee")
    assert snap.code("O1").level == Level.OUTCOME


@pytest.mark.parametrize("args, error", [
    (("M1", "causal", "M1"), "cannot be related to itself"),
    (("M1", "causal", "R9"), "no relationship"),
    (("M1", "pushing", "O1"), "unknown relation type"),
    (("M1", "safeguard", "R1"), "already part of R1"),
    (("Nobody", "causal", "O1"), "no code"),
    (("M1", "causal", "O1"), "already says this"),
])
def test_bad_relationships_are_refused_and_change_nothing(spr, args, error):
    selective.relate(spr, "M1", "causal", "O1")
    before = snapshot(spr)
    with pytest.raises(GtcodeError, match=error):
        selective.relate(spr, *args)
    assert snapshot(spr) == before


def test_unrelate_evidence_user_types_and_undo(spr):
    p = spr
    doc = add_document(p, "Interview", "Villagers want the same lessons as the city.").document
    coding = code_span(p, doc.id, 0, 26, "Wanting equal lessons")
    selective.relate(p, "M1", "causal", "O1")
    selective.define_type(p, "hindering", "The source holds the target back.")
    r2 = selective.relate(p, "M2", "hindering", "R1", evidence=[coding.id])
    assert r2.evidence == (coding.id,)
    with pytest.raises(Forbidden, match="R2 acts on R1"):
        selective.unrelate(p, "R1")
    with pytest.raises(NotFound):
        selective.relate(p, "M3", "causal", "O1", evidence=[9999])
    selective.unrelate(p, "R2")
    assert [r.ref for r in selective.relations(p)] == ["R1"]
    codebook.undo(p)
    assert selective.relations(p)[1].evidence == (coding.id,)
    assert selective.relate(p, "M3", "causal", "O1").ref == "R3"  # numbers are not reused
    codebook.undo(p)
    codebook.undo(p)  # the relationship R2
    codebook.undo(p)  # the relation type
    with pytest.raises(GtcodeError, match="unknown relation type"):
        selective.relate(p, "M2", "hindering", "R1")


def test_core_and_outcome_refuse_codes_of_another_level(spr):
    with pytest.raises(GtcodeError, match="is a main"):
        selective.set_core(spr, "M1")
    assert selective.core(spr).ref == "C1"
    assert selective.set_outcome(spr, "O1").label == "Shared behavior"


def _paradigm_rows(project) -> tuple[list, list]:
    """Every stored paradigm entry and slot evidence row, as (main, slot, category or text) / (main, slot, coding)."""
    from sqlmodel import select

    from gtcode.store.tables import ParadigmEntryRow, SlotEvidenceRow
    with project.read() as session:
        entries = sorted((e.main_id, e.slot, e.category_id or 0, e.text or "")
                         for e in session.exec(select(ParadigmEntryRow)).all())
        evidence = sorted((e.main_id, e.slot, e.coding_id, e.stance) for e in session.exec(select(SlotEvidenceRow)).all())
    return entries, evidence


def test_merging_main_categories_leaves_one_entry_sentence_and_evidence_each(government):
    p = government
    make_categories(p, {16: "Public demand"})
    codebook.group(p, "main", "Social demand", ["A16"])
    doc = add_document(p, "访谈", "村民希望和城里一样上课。政府设立了数字乡村基金。", lang="zh").document
    coding = code_span(p, doc.id, 0, 12, "希望同样的课")
    for main, sentence in (("M1", "Sharing relies on policy"), ("M2", "共享依赖需求")):
        axial.set_slot(p, main, "causal", ["A6", "A16"], text=sentence)
        axial.slot_evidence(p, main, "causal", supporting=[coding.id])
    before = _paradigm_rows(p)
    codebook.merge(p, "M2", "M1")
    entries, evidence = _paradigm_rows(p)
    assert len([e for e in evidence if e[2] == coding.id]) == 1
    assert [e[2] for e in entries if e[1] == "causal" and e[2]].count(p_id(p, "A6")) == 1
    info = axial.paradigm(p, "M1").slot(Slot.CAUSAL)
    assert [c.ref for c in info.categories] == ["A6", "A16"] and info.supporting == (coding.id,)
    assert info.text == "Sharing relies on policy\n共享依赖需求"
    dropped = axial.slot_evidence(p, "M1", "causal", drop=[coding.id]).slot(Slot.CAUSAL)
    assert dropped.supporting == () and _paradigm_rows(p)[1] == []
    codebook.undo(p)
    codebook.undo(p)
    assert _paradigm_rows(p) == before


def test_merging_categories_leaves_one_paradigm_entry(government):
    p = government
    axial.set_slot(p, "M1", "causal", ["A6", "A9", "A12"])
    codebook.merge(p, "A9", "A6")
    assert [c.ref for c in axial.paradigm(p, "M1").slot(Slot.CAUSAL).categories] == ["A6", "A12"]
    assert len([e for e in _paradigm_rows(p)[0] if e[1] == "causal"]) == 2
    assert [c.ref for c in axial.set_slot(p, "M1", "causal", remove=["A6"]).slot(Slot.CAUSAL).categories] == ["A12"]


def p_id(project, ref: str) -> int:
    """The row id of a code."""
    with project.read() as session:
        return codebook.resolve_code(session, project.prefixes, ref).id


def _relationship_rows(project) -> list:
    """Every relationship and evidence row as plain tuples."""
    from sqlmodel import select

    from gtcode.store.tables import EvidenceRow, RelationshipRow

    with project.read() as session:
        return [sorted((r.number, r.source_id, r.type, r.target_code_id, r.target_relationship_id, r.memo)
                       for r in session.exec(select(RelationshipRow)).all()),
                sorted((e.relationship_id, e.coding_id, e.stance) for e in session.exec(select(EvidenceRow)).all())]


def test_merging_codes_folds_twin_relationships_into_the_elder(spr):
    p = spr
    doc = add_document(p, "访谈", "村民希望和城里一样上课。Villagers want equal lessons.", lang="zh").document
    zh = code_span(p, doc.id, 0, 12, "希望同样的课")
    en = code_span(p, doc.id, 12, 40, "Wanting equal lessons")
    selective.relate(p, "M1", "causal", "O1", memo="需求推动共享", evidence=[zh.id])
    selective.relate(p, "M6", "causal", "O1", memo="Technology pushes sharing", evidence=[zh.id, en.id])
    selective.relate(p, "M2", "safeguard", "R1")
    selective.relate(p, "M2", "safeguard", "R2", contradicting=[en.id])
    selective.relate(p, "M3", "moderating", "R2")
    before = _relationship_rows(p)
    codebook.merge(p, "M6", "M1")
    found = selective.relations(p)
    assert [(r.ref, r.source_ref, r.type, r.target_ref) for r in found] == [
        ("R1", "M1", "causal", "O1"), ("R3", "M2", "safeguard", "R1"), ("R5", "M3", "regulating", "R1")]
    assert found[0].evidence == (zh.id, en.id) and found[0].memo == "需求推动共享\nTechnology pushes sharing"
    assert found[1].contradicting == (en.id,)  # the folded safeguard's negative case stays with the one left
    merged = _relationship_rows(p)
    codebook.undo(p)
    assert _relationship_rows(p) == before
    codebook.redo(p)
    assert _relationship_rows(p) == merged


@pytest.mark.parametrize("relations, merge", [
    ([("M1", "causal", "M2")], ("M2", "M1")),  # M1 -> M2 would be M1 -> M1
    ([("M1", "causal", "O1"), ("M2", "safeguard", "R1")], ("M2", "M1")),  # M1 would act on R1, its own
])
def test_a_merge_that_would_relate_a_code_to_itself_is_refused_and_changes_nothing(spr, relations, merge):
    for source, kind, target in relations:
        selective.relate(spr, source, kind, target)
    before = (_relationship_rows(spr), snapshot(spr))
    with pytest.raises(GtcodeError, match=r"relate M1 to itself: remove R\d first, run `gtcode unrelate R\d`"):
        codebook.merge(spr, *merge)
    assert (_relationship_rows(spr), snapshot(spr)) == before
