"""`gtcode memo ...`, `gtcode memos` and `gtcode export memos` through the real entry point, both backends."""

from __future__ import annotations

import pytest

from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from tests.cli.helpers import run, run_json

ZH = "受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。"
EN = "Respondent: The county hospital now runs video consultations."


@pytest.fixture
def folder(project):
    zh = add_document(project, "教师访谈", ZH, lang="zh").document
    en = add_document(project, "Clinic", EN).document
    code_span(project, zh.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    code_span(project, en.id, EN.index("video"), EN.index("video") + 5, "Video")
    return project.directory


def test_memo_add_edit_show_link_list_delete(folder, tmp_path):
    added = run_json(folder, "memo", "add", "a1", "--title", "直播课笔记", "--type", "code", "--text", "城乡共享的起点",
                     "--link", "doc:1@17-20")
    assert (added["title"], added["type"], added["coder"], added["target_ref"]) == ("直播课笔记", "code", "alice", "a1")
    assert [link["ref"] for link in added["links"]] == ["doc:1@17-20"]
    second = run_json(folder, "memo", "add", "a1", "--text", "A second note on the same code.", "--type", "theoretical")
    assert second["id"] != added["id"]
    linked = run_json(folder, "memo", "link", added["id"], "a2", "coding:2")
    assert [link["ref"] for link in linked["links"]] == ["doc:1@17-20", "a2", "coding:2"]
    edited = run_json(folder, "memo", "edit", added["id"], "--text", "改过的笔记", "--type", "operational")
    assert (edited["text"], edited["type"], edited["title"]) == ("改过的笔记", "operational", "直播课笔记")
    shown = run(folder, "memo", "show", added["id"]).stdout
    assert "直播课笔记" in shown and "operational · on a1 直播课 · by alice" in shown and "links: doc:1@17-20, a2, coding:2" in shown
    assert [m["id"] for m in run_json(folder, "memo", "list", "--type", "theoretical")] == [second["id"]]
    assert [m["id"] for m in run_json(folder, "memos", "--target", "a2")] == [added["id"]]
    assert [m["id"] for m in run_json(folder, "memos", "--contains", "second")] == [second["id"]]
    run(folder, "export", "memos", tmp_path / "m.md")
    assert "### 直播课笔记" in (tmp_path / "m.md").read_text(encoding="utf-8")
    assert run_json(folder, "export", "memos", tmp_path / "m.docx")["written"] == [str(tmp_path / "m.docx")]
    run(folder, "memo", "delete", second["id"])
    assert [m["id"] for m in run_json(folder, "memos")] == [added["id"]]
    run(folder, "undo")
    assert len(run_json(folder, "memos")) == 2


@pytest.mark.parametrize(("args", "says"), [
    (("memo", "add", "a9", "--text", "x"), "a9"),
    (("memo", "add", "a1", "--text", "x", "--link", "doc:1@5-999"), "outside document 1"),
    (("memo", "link", "1", "R4"), "no relationship R4"),
    (("memo", "edit", "7", "--text", "x"), "no memo 7"),
])
def test_bad_memo_input_is_one_line_and_changes_nothing(folder, args, says):
    run(folder, "memo", "add", "project", "--text", "kept")
    before = run_json(folder, "memos")
    refused = run(folder, *args, ok=False)
    assert says in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert run_json(folder, "memos") == before
