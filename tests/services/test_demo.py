"""The demo project: built reproducibly from the bundled corpus and the SPR model, every stage filled."""

import pytest

from gtcode.services.codes import list_codes
from gtcode.services.demo import build_demo
from gtcode.services.documents import list_documents
from tests.conftest import copy_project


@pytest.fixture(scope="module")
def demo(demo_built, tmp_path_factory):
    folder, report = demo_built
    project = copy_project(folder, tmp_path_factory.mktemp("demo") / "demo-project")
    yield report, project
    project.close()


def test_demo_holds_every_stage(demo):
    report, project = demo
    assert report.created and report.documents == 30 and report.holdout == 10
    assert report.saturation_codings > 0 and report.codings > 200
    levels = {}
    for code in list_codes(project):
        levels.setdefault(code.level.value, []).append(code)
    assert len(levels["main"]) == 6 and len(levels["core"]) == 1 and len(levels["outcome"]) == 1
    assert {c.ref for c in levels["category"]} >= {f"A{n}" for n in range(1, 24)}
    assert all(c.parent_ref for c in levels["concept"]), "every demo concept sits under a category"
    assert project.info().phase == "saturation"
    docs = list_documents(project)
    assert sum(d.split == "holdout" for d in docs) == 10
    assert {d.lang for d in docs} == {"en", "zh"}
    assert {d.kind for d in docs} == {"interview", "policy", "news"}


def test_demo_is_reused_not_rebuilt(demo):
    report, project = demo
    again = build_demo(project.directory)
    assert not again.created and again.codings == report.codings


def test_demo_shows_grounded_theory_depth(demo):
    from gtcode.services.entries import code_entry
    from gtcode.services.memos import list_memos
    from gtcode.services.properties import dimension_locations
    from gtcode.services.selective import relations

    _report, project = demo
    for n in range(1, 24):
        entry = code_entry(project, f"A{n}")
        assert entry.definition and entry.when_to_use.startswith("the material speaks of"), f"A{n}"
    assert code_entry(project, "A14").when_not_to_use.startswith("it is rather about Technology application (A8)")
    located = dimension_locations(project)
    assert set(located) == {"A1", "A14", "A16", "A20", "A22", "A23"}
    by_main = {code.parent_ref for code in list_codes(project) if code.ref in located}
    assert by_main == {f"M{n}" for n in range(1, 7)}  # a key category of each of the six main categories
    assert all(sum(v.count for v in view.values) >= 2 for views in located.values() for view in views)
    assert {m.type for m in list_memos(project)} >= {"code", "theoretical", "operational"}
    r1 = relations(project)[0]
    assert r1.ref == "R1" and len(r1.evidence) == 3 and len(r1.contradicting) == 1


def test_a_demo_build_that_fails_leaves_nothing_behind(tmp_path):
    import shutil

    from gtcode.services.demo import CORPUS
    from gtcode.services.errors import GtcodeError

    broken = tmp_path / "corpus"
    shutil.copytree(CORPUS, broken)
    last = sorted(p for p in broken.iterdir() if p.suffix == ".txt")[-1]
    last.unlink()  # the build fails at the last document, after the coders, the model and most documents
    with pytest.raises(FileNotFoundError):
        build_demo(tmp_path / "demo", corpus=broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GtcodeError, match="exists and is not a gtcode project"):
        build_demo(tmp_path / "taken")


def test_demo_paradigms_are_filled_and_the_second_coder_mostly_agrees(demo):
    from gtcode.domain.paradigm import Slot
    from gtcode.services.agreement import project_agreement
    from gtcode.services.axial import paradigms
    from gtcode.services.disagreements import disagreements

    report, project = demo
    filled = paradigms(project)
    assert [p.main_ref for p in filled] == [f"M{n}" for n in range(1, 7)]
    assert all(not slot.empty for p in filled for slot in p.slots) and all(p.issues == () for p in filled)
    consequence = filled[0].slot(Slot.CONSEQUENCE)
    assert (len(consequence.supporting), len(consequence.contradicting)) == (1, 1)
    overall = project_agreement(project).codes[-1]
    assert overall.code == "overall" and 0.6 < overall.cohen_kappa < 0.95  # two coders who mostly, not always, agree
    assert 0 < len(disagreements(project, "alice", "bob")) < report.codings / 4
    held = {d.id for d in list_documents(project) if d.split == "holdout"}  # coded by alice alone, for saturation
    assert not held & {d.document_id for d in disagreements(project, "alice", "bob")}
    assert not held & set(project_agreement(project).documents)


def test_demo_opens_f4_on_a_filled_paradigm(demo):
    import asyncio

    from gtcode.tui.app import GtcodeApp
    from gtcode.tui.screens.axial import SlotPanel
    from tests.tui.support import settle

    async def open_f4(project) -> tuple[str, list[bool]]:
        async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
            await pilot.press("f4")
            await settle(pilot)
            panels = list(pilot.app.screen.query(SlotPanel))
            return pilot.app.screen.main_ref, [bool(p.option_count) and not p.get_option_at_index(0).disabled
                                               for p in panels]

    main, filled = asyncio.run(open_f4(demo[1]))
    assert main == "M1" and filled == [True] * 6
