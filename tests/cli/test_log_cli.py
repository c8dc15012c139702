"""`gtcode log` through the real entry point: filters, JSON, CSV, undone changes marked."""

from __future__ import annotations

import csv

from gtcode.services.corpus import add_document
from tests.cli.helpers import run, run_json

ZH = "受访者：村里的学生可以上城里老师的直播课。"


def test_log_lists_filters_and_exports_changes(project, tmp_path):
    doc = add_document(project, "访谈", ZH, lang="zh").document
    folder = project.directory
    run(folder, "code", doc.id, 17, 20, "直播课")
    run(folder, "code", doc.id, 0, 3, "受访者", "--coder", "bob")
    run(folder, "rename", "a1", "Live classes")
    run(folder, "undo")
    shown = run(folder, "log").stdout
    assert "rename a1 to Live classes  [undone]" in shown and "code a1 «直播课» added" in shown
    assert [e["coder"] for e in run_json(folder, "log", "--coder", "bob")] == ["bob"]
    assert [e["description"] for e in run_json(folder, "log", "--code", "a1")] == [
        "rename a1 to Live classes", "code 直播课 in document 1"]
    assert run_json(folder, "--coder", "bob", "log", "--coder", "alice", "--limit", "1")[0]["status"] == "undone"
    run(folder, "log", "--csv", tmp_path / "log.csv")
    rows = list(csv.DictReader((tmp_path / "log.csv").open(encoding="utf-8")))
    assert [(r["coder"], r["status"]) for r in rows] == [("alice", "undone"), ("bob", "done"), ("alice", "done")]
    refused = run(folder, "log", "--since", "soon", ok=False)
    assert refused.stderr.strip().splitlines() == [
        "gtcode: error: --since 'soon': give a date or time such as 2026-12-01 or 2026-12-01T09:30"]
    assert "no code 'zz'" in run(folder, "log", "--code", "zz", ok=False).stderr
