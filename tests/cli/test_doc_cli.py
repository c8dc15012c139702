"""`gtcode import` titles and `gtcode doc retitle|kind|attr|delete`: one line each, refusals one line, undo."""

from __future__ import annotations

import pytest

from tests.cli.helpers import run, run_json
from tests.conftest import backends, database


@pytest.fixture(params=backends())
def study(request, tmp_path):
    with database(request.param) as url:
        folder = tmp_path / "study"
        run(tmp_path, "init", folder, *(["--db", url] if url else []))
        (tmp_path / "wang-li.txt").write_text("Interviewer: Why the bus?\nWang Li: 便宜。", encoding="utf-8")
        run(folder, "import", tmp_path / "wang-li.txt")
        yield folder


def test_doc_commands(study):
    assert run_json(study, "docs")[0]["title"] == "wang-li"
    assert run(study, "doc", "retitle", "1", "王丽 Wang Li").stdout == "document 1: 王丽 Wang Li (other)\n"
    assert run(study, "doc", "kind", "王丽 Wang Li", "interview").stdout == "document 1: 王丽 Wang Li (interview)\n"
    out = run(study, "doc", "attr", "1", "gender=female", "age=34").stdout
    assert out == "document 1: 王丽 Wang Li (interview); gender=female; age=34\n"
    assert run_json(study, "doc", "attr", "1", "--unset", "gender")["attributes"] == {"age": 34}
    run(study, "code", "1", "0", "11", "Asking why")
    refused = run(study, "doc", "delete", "1", ok=False)
    assert refused.stderr == ("gtcode: error: document 1 has 1 coding: delete it with --with-codings (undo brings "
                              "all back), or uncode them first\n")
    assert run(study, "doc", "delete", "1", "--with-codings").stdout.startswith("deleted document 1: 王丽 Wang Li")
    assert run_json(study, "docs") == []
    run(study, "undo")
    assert [d["title"] for d in run_json(study, "docs")] == ["王丽 Wang Li"]
    missing = run(study, "doc", "attr", "1", "--unset", "gender", ok=False)
    assert missing.stderr == "gtcode: error: document 1 has no attribute 'gender'; it has: age\n"


def test_show_json_gives_each_segment_its_page(study):
    from tests.pdf_samples import sample_pdfs

    imported = run(study, "import", sample_pdfs() / "policy.pdf", sample_pdfs() / "locked.pdf", "--kind", "policy",
                   ok=False)
    assert imported.stdout.startswith("imported ") and "policy.pdf: " in imported.stdout.split("\n")[0]
    assert "failed   locked.pdf is encrypted with a password: save an unprotected copy and import that" in imported.stdout
    shown = run_json(study, "show", "policy")
    assert [s["page"] for s in shown["segments"]][0] == 1 and shown["segments"][-1]["page"] == 3
    assert {s["time"] for s in shown["segments"]} == {None}
    assert "p.3 " in run(study, "show", "policy").stdout
