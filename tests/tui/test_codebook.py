"""Building the code system in the tree: group, merge, undo/redo, and the paper's Table 2 through the TUI."""

from click.testing import CliRunner

from gtcode.cli.main import cli
from gtcode.services import codes as codebook
from gtcode.services.corpus import add_document
from gtcode.services.project import init_project
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.compare import CompareScreen
from gtcode.tui.widgets.codebook import CodebookTree
from tests.tui.support import EN, ZH, answer, code_quote, group_marked, mark, messages, open_document, settle


def tree_of(app) -> CodebookTree:
    return app.screen.query_one(CodebookTree)


async def test_group_merge_compare_undo_redo(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, en.id)
        await code_quote(pilot, EN, "video consultations", "Telemedicine")
        await code_quote(pilot, EN, "Doctors in the city read our scans", "Remote reading")
        await open_document(pilot, zh.id)
        await code_quote(pilot, ZH, "城里老师的直播课", "直播课堂")
        await mark(pilot, "a1", "a2")
        await group_marked(pilot, "Remote services")
        assert {c.ref: c.parent_ref for c in codebook.list_codes(project)} == {"a1": "aa1", "a2": "aa1", "a3": None, "aa1": None}
        tree = tree_of(pilot.app)
        assert tree.marked == set()
        await mark(pilot, "a1")
        tree.select_code(next(c.id for c in tree.codes.values() if c.ref == "a2"))
        await pilot.press("equals_sign")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CompareScreen)
        await pilot.press("m")
        await settle(pilot)
        assert {c.ref: c.codings for c in codebook.list_codes(project, "phenomenon")} == {"a1": 2, "a3": 1}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert {c.ref: c.codings for c in codebook.list_codes(project, "phenomenon")} == {"a1": 1, "a2": 1, "a3": 1}
        assert len(tree_of(pilot.app).codes) == 4
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert [c.ref for c in codebook.list_codes(project, "phenomenon")] == ["a1", "a3"]
        assert any(m.startswith("merge a2 into a1") for m in messages(pilot.app))


async def test_rename_refuses_an_empty_label_then_renames(docs):
    project, en, _ = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, en.id)
        await code_quote(pilot, EN, "video consultations", "Telemedicine")
        await mark(pilot, "a1")
        await answer(pilot, "r", *["backspace"] * 20, "enter")
        await settle(pilot)
        assert any("cannot be empty" in m for m in messages(pilot.app))
        assert [c.label for c in codebook.list_codes(project)] == ["Telemedicine"]
        await answer(pilot, "r", *["backspace"] * 20, *"Video care", "enter")
        await settle(pilot)
    assert [(c.ref, c.label) for c in codebook.list_codes(project)] == [("a1", "Video care")]


TABLE2 = ("The essence of big data drive is information-driven, promoting information exchange and data sharing "
          "among different regions, levels, and departments, improving the pattern of administrative fragmentation "
          "with standardized data, thus enhancing the aggregation of regional public resources; realizing precise "
          "supply through public service data sharing, information integration and resource coordination; and "
          "finally building a regional collaborative supply network, gradually forming a closely related and "
          "responsive public service community")
PHENOMENA = [
    ("The essence of big data drive is information-driven", "Information driven"),
    ("data sharing among different regions", "Regional data sharing"),
    ("levels", "Hierarchical data sharing"),
    ("departments", "Departmental data sharing"),
    ("improving the pattern of administrative fragmentation with standardized data", "Data standardization"),
    ("enhancing the aggregation of regional public resources", "Resource Aggregation"),
    ("realizing precise supply through public service data sharing", "Data sharing"),
    ("information integration and resource coordination", "Resource integration"),
    ("building a regional collaborative", "Regional collaboration"),
]
CONCEPTS = [("Information sharing", ["a1"]), ("Data sharing", ["a2", "a3", "a4", "a7"]),
            ("Data standardization", ["a5"]), ("Resource integration", ["a6", "a8"]),
            ("Regional coordination", ["a9"])]
CATEGORIES = [("Information sharing", ["aa1", "aa2"]), ("Normalization of standards", ["aa3"]),
              ("Resource integration", ["aa4"]), ("Regional coordination", ["aa5"])]


def _shape(codes):
    return [(c.ref, c.level, c.label, c.parent_ref, c.codings, c.children) for c in codes]


async def test_table2_through_the_tui_equals_the_cli(tmp_path):
    tui_project = init_project(tmp_path / "tui", name="t2", coder="alice")
    doc = add_document(tui_project, "Table 2 source", TABLE2, kind="policy", lang="en").document
    async with GtcodeApp(tui_project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, doc.id)
        for quote, label in PHENOMENA:
            await code_quote(pilot, TABLE2, quote, label)
        for label, members in CONCEPTS + CATEGORIES:
            await mark(pilot, *members)
            await group_marked(pilot, label)

    cli_dir = tmp_path / "cli"
    cli_project = init_project(cli_dir, name="t2", coder="alice")
    add_document(cli_project, "Table 2 source", TABLE2, kind="policy", lang="en")
    runner = CliRunner()
    for quote, label in PHENOMENA:
        start = TABLE2.index(quote)
        result = runner.invoke(cli, ["--project", str(cli_dir), "code", "1", str(start), str(start + len(quote)), label])
        assert result.exit_code == 0, result.output
    for level, groups in (("concept", CONCEPTS), ("category", CATEGORIES)):
        for label, members in groups:
            result = runner.invoke(cli, ["--project", str(cli_dir), "group", level, label, *members])
            assert result.exit_code == 0, result.output

    tui_codes = codebook.list_codes(tui_project)
    assert _shape(tui_codes) == _shape(codebook.list_codes(cli_project))
    assert [c.ref for c in tui_codes] == [f"a{i}" for i in range(1, 10)] + [f"aa{i}" for i in range(1, 6)] + [
        f"A{i}" for i in range(1, 5)]
    parents = {c.ref: c.parent_ref for c in tui_codes}
    assert [r for r in parents if parents[r] == "aa2"] == ["a2", "a3", "a4", "a7"]
    assert [r for r in parents if parents[r] == "A1"] == ["aa1", "aa2"]
    tui_project.close()
    cli_project.close()


async def test_in_vivo_codes_are_quoted_in_the_tree(docs):
    from gtcode.services.coding import code_span
    from gtcode.tui.app import GtcodeApp
    from gtcode.tui.widgets.codebook import CodebookTree
    from tests.tui.support import ZH, open_document, settle

    project, _en, zh = docs
    at = ZH.index("直播课")
    code_span(project, zh.id, at, at + 3, "直播课")
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, zh.id)
        tree = pilot.app.screen.query_one(CodebookTree)
        labels = [str(tree._label(code)) for code in tree.codes.values()]
        assert any("a1 “直播课”" in label for label in labels), labels


def _large_codebook(project, concepts: int, each: int) -> None:
    """More codes than the tree builds at once: ``concepts`` concepts of ``each`` phenomena (half Chinese),
    written in bulk (the code system's rules are not under test)."""
    from gtcode.store.tables import CodeRow
    from gtcode.tui.widgets.codebook import EAGER_CODES
    from tests.conftest import raw_write

    assert concepts * (each + 1) > EAGER_CODES
    rows, number = [], 0
    for c in range(1, concepts + 1):
        rows.append(dict(id=c, level="concept", number=c, parent_id=None, label=f"Concept {c}", phase="building",
                         created_by="alice"))
    for c in range(1, concepts + 1):
        for _ in range(each):
            number += 1
            rows.append(dict(id=concepts + number, level="phenomenon", number=number, parent_id=c, phase="building",
                             label=f"现象 {number}" if number % 2 else f"Phenomenon {number}", created_by="alice"))
    with raw_write(project) as session:
        session.execute(CodeRow.__table__.insert(), rows)


async def test_a_large_codebook_builds_a_nodes_children_when_it_opens_and_finds_any_code(sqlite_project):
    _large_codebook(sqlite_project, concepts=60, each=10)
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        pilot.app.switch_mode("open")
        await settle(pilot)
        tree = tree_of(pilot.app)
        assert len(tree.codes) == 660
        assert len(tree._code_nodes) == 0  # only the "ungrouped concepts" node, closed
        group = tree.root.children[0]
        assert str(group.label) == "ungrouped concepts (60)"
        group.expand()
        await settle(pilot)
        assert len(tree._code_nodes) == 60 and not any(node.children for node in group.children)
        concept = group.children[6]
        concept.expand()
        await settle(pilot)
        assert [str(node.label).split(" (")[0] for node in concept.children][:2] == ["■ a61 现象 61", "■ a62 Phenomenon 62"]
        wanted = next(c for c in tree.codes.values() if c.ref == "a600")  # under the last concept, not built yet
        assert tree.select_code(wanted.id)
        await settle(pilot)
        assert tree.current_code == wanted
        pilot.app.screen.reload_codes()  # after any change the tree is built again: the same nodes open
        await settle(pilot)
        assert tree.current_code == wanted
        assert len(tree._code_nodes) == 60 + 10 + 10


async def test_the_tree_shows_first_and_counts_only_the_phenomena_it_builds(docs, monkeypatch):
    """The codes come without coding counts; the tree asks for the counts of the phenomena whose nodes it builds
    (in a lazy tree only those), and they are what the coder sees: not the codings on the blinded hold-out."""
    from gtcode.services.coding import code_span
    from gtcode.tui.widgets import codebook as widget
    from tests.tui.support import span
    from tests.tui.test_frame import hold_out

    project, en, zh = docs
    a1 = code_span(project, en.id, *span(EN, "video consultations"), "Telemedicine").code_id
    code_span(project, en.id, *span(EN, "Doctors in the city read our scans"), "Telemedicine")
    a2 = code_span(project, zh.id, *span(ZH, "城里老师的直播课"), "直播课堂").code_id
    code_span(project, en.id, *span(EN, "live classes"), "直播课堂")
    codebook.group(project, "concept", "Remote services", ["a1"])
    hold_out(project, zh.id)  # a2's coding there is hidden now
    monkeypatch.setattr(widget, "EAGER_CODES", 2)  # a lazy tree: nodes are built as they open
    asked: list[list[int]] = []

    def hook(message) -> None:
        if isinstance(message, CodebookTree.CountsWanted):
            asked.append(list(message.code_ids))

    async with GtcodeApp(project).run_test(size=(120, 40), message_hook=hook) as pilot:
        pilot.app.switch_mode("open")
        await settle(pilot)
        tree = tree_of(pilot.app)
        assert set(tree.codes) == {a1, a2, tree.codes[a1].parent_id} and asked == []  # nothing built, nothing counted
        assert tree.coding_count(a1) is None
        tree.select_code(a1)
        await settle(pilot)
        assert asked == [[a1]] and tree.coding_count(a1) == 2
        assert "a1 Telemedicine (2 codings)" in str(tree._code_nodes[a1].label)
        assert "2 codings" in str(pilot.app.screen.query_one("#code-detail").render())
        tree.select_code(a2)
        await settle(pilot)
        assert asked[-1] == [a2] and tree.coding_count(a2) == 1  # the English one; the hold-out's is hidden
        code_span(project, en.id, *span(EN, "our scans"), "Telemedicine")  # a write: the built nodes are recounted
        await settle(pilot)
        assert sorted(asked[-1]) == sorted([a1, a2]) and tree.coding_count(a1) == 3
        assert {code.id: code.codings for code in codebook.list_codes(project, "phenomenon")} == {
            a1: tree.coding_count(a1), a2: tree.coding_count(a2)}
