"""`gtcode describe CODE --when --not-when --example CODING` through the real entry point."""

from __future__ import annotations

from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from tests.cli.helpers import run, run_json

ZH = "受访者：村里的学生可以上城里老师的直播课。"


def test_describe_writes_and_shows_a_codebook_entry(project, tmp_path):
    doc = add_document(project, "访谈", ZH, lang="zh").document
    coding = code_span(project, doc.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    folder = project.directory
    entry = run_json(folder, "describe", "a1", "--definition", "远程的课", "--when", "课在城里上", "--not-when",
                     "只谈设备", "--example", coding.id)
    assert (entry["definition"], entry["when_to_use"], entry["when_not_to_use"]) == ("远程的课", "课在城里上", "只谈设备")
    assert [(x["coding_id"], x["kind"], x["quote"]) for x in entry["examples"]] == [(coding.id, "typical", "直播课")]
    shown = run(folder, "describe", "a1").stdout
    assert "when not to use: 只谈设备" in shown and f"typical example (coding {coding.id}, document {doc.id}): «直播课»" in shown
    refused = run(folder, "describe", "a1", "--when", "x", "--example", "42", ok=False)
    assert refused.stderr.strip().splitlines() == [
        "gtcode: error: no coding 42: list a code's quotations with `gtcode quotes a1`"]
    assert run_json(folder, "describe", "a1")["when_to_use"] == "课在城里上"
    run(folder, "export", "codebook", tmp_path / "book.yaml")
    text = (tmp_path / "book.yaml").read_text(encoding="utf-8")
    assert "when_to_use: 课在城里上" in text and "- 直播课" in text
