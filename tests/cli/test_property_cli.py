"""`gtcode property ...` through the real entry point."""

from __future__ import annotations

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from tests.cli.helpers import run, run_json

ZH = "受访者：直播课不要钱。上网的流量费很贵。"


def test_property_add_set_show_and_one_line_refusals(project):
    doc = add_document(project, "访谈", ZH, lang="zh").document
    free = code_span(project, doc.id, ZH.index("直播课不要钱"), ZH.index("直播课不要钱") + 6, "免费课")
    code_span(project, doc.id, ZH.index("流量费很贵"), ZH.index("流量费很贵") + 5, "流量费贵")
    codebook.group(project, "concept", "上网成本", ["a1", "a2"])
    codebook.group(project, "category", "成本", ["aa1"])
    folder = project.directory
    added = run_json(folder, "property", "add", "成本", "费用", "--range", "免费，便宜，昂贵")
    assert added["range"] == ["免费", "便宜", "昂贵"] and added["code_ref"] == "A1"
    run(folder, "property", "set", free.id, "费用", "免费")
    run(folder, "property", "set", 2, "费用", "昂贵")
    shown = run(folder, "property", "show", "A1").stdout
    assert "A1 成本 · 费用: 免费 - 便宜 - 昂贵" in shown and f"免费: 1 (codings {free.id}; documents {doc.id})" in shown
    assert "便宜: 0" in shown
    refused = run(folder, "property", "set", free.id, "费用", "很贵", ok=False)
    assert refused.stderr.strip().splitlines() == [
        "gtcode: error: '很贵' is not in A1's 费用 range (免费, 便宜, 昂贵): give one of them, or widen the range"]
    assert [v["coding_ids"] for v in run_json(folder, "property", "show", "A1")[0]["values"]] == [[free.id], [], [2]]
    run(folder, "property", "unset", 2, "费用")
    assert [len(v["coding_ids"]) for v in run_json(folder, "property", "show", "A1")[0]["values"]] == [1, 0, 0]
    run(folder, "property", "add", "A1", "reach", "--range", "1..5")
    assert "1..5" in run(folder, "property", "show", "A1").stdout
    run(folder, "property", "remove", "A1", "reach")
    assert [p["name"] for p in run_json(folder, "property", "show", "A1")] == ["费用"]
