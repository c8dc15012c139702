"""The core CLI end to end: init, import (good and bad input), docs, show, code, codes, undo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gtcode.cli.main import cli
from tests.cli.helpers import run, run_json
from tests.conftest import shared_path

ZH = "采访者：村里的图书馆有电子书吗？\n受访者：有的。我们现在可以在手机上借书。老人还不太会用！\n"
EN = "Interviewer: Tell me about the clinic.\nRespondent: We see a city doctor by video, e.g. on Tuesdays. Fig. 1 shows the room.\n"


@pytest.fixture
def proj(tmp_path, db_url):
    args = ["init", str(tmp_path / "p"), "--name", "study"] + (["--db", db_url] if db_url else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return tmp_path / "p"


def test_python_dash_m_runs_the_cli(tmp_path):
    out = subprocess.run([sys.executable, "-m", "gtcode", "--version"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0 and "gtcode" in out.stdout


def test_import_encodings_and_code_round_trip(proj, tmp_path):
    files = tmp_path / "in"
    files.mkdir()
    (files / "zh-utf8.txt").write_text(ZH, encoding="utf-8")
    (files / "zh-gb.txt").write_bytes(ZH.replace("电子书", "电子期刊").encode("gb18030"))
    (files / "zh-big5.txt").write_bytes("受訪者：圖書館的數位資源很豐富。我們每週都用。\n".encode("big5"))
    (files / "en.txt").write_bytes(("\ufeff" + EN.replace("\n", "\r\n")).encode("utf-8"))
    results = run_json(proj, "import", files, "--kind", "interview", "--attr", "residence=rural", "--attr", "age=30")
    assert [r["status"] for r in results] == ["imported"] * 4
    encodings = {Path(r["path"]).name: r["document"]["encoding"] for r in results}
    assert encodings["zh-gb.txt"].lower() in ("gb18030", "gbk") and encodings["zh-big5.txt"].lower() in ("big5", "cp950")
    docs = run_json(proj, "docs")
    assert {d["lang"] for d in docs} == {"zh", "en"} and all(d["attributes"]["age"] == 30 for d in docs)
    en = next(d for d in docs if d["source"].endswith("en.txt"))
    shown = run_json(proj, "show", en["id"])
    text = shown["text"]
    assert "\r" not in text and not text.startswith("\ufeff")
    sentences = [text[s["start"]:s["end"]] for s in shown["segments"]]
    assert "We see a city doctor by video, e.g. on Tuesdays." in sentences
    assert shown["segments"][0]["speaker"] == "Interviewer"
    start = text.index("city doctor")
    coding = run_json(proj, "code", en["id"], start, start + len("city doctor"), "Remote doctor")
    assert coding["quote"] == "city doctor" and coding["code_ref"] == "a1"
    assert run_json(proj, "show", en["id"])["codings"][0]["quote"] == text[coding["start"]:coding["end"]]


def test_same_file_twice_is_skipped(proj, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(EN, encoding="utf-8")
    run(proj, "import", path)
    result = run_json(proj, "import", path)
    assert result[0]["status"] == "skipped" and "same content" in result[0]["message"]
    assert len(run_json(proj, "docs")) == 1


def test_mixed_folder_lands_good_files_and_fails_with_reasons(proj, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(EN, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "survey.csv").write_text("respondent,age\nR1,34\n", encoding="utf-8")
    result = run(proj, "import", folder, tmp_path / "missing.txt", "--json", ok=False)
    import json

    statuses = {Path(r["path"]).name: r["status"] for r in json.loads(result.stdout)}
    assert statuses == {"good.txt": "imported", "empty.txt": "failed", "binary.txt": "failed",
                        "survey.csv": "failed", "missing.txt": "failed"}
    messages = [r["message"] for r in json.loads(result.stdout) if r["status"] == "failed"]
    assert all("\n" not in m for m in messages)
    assert len(run_json(proj, "docs")) == 1


def test_csv_rows_become_documents_with_typed_attributes(proj, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,gender,age,answer\nR1,female,34,The library app helps my children.\n"
                    "R2,male,61,我不会用手机预约挂号。\n", encoding="utf-8")
    run(proj, "import", path, "--kind", "interview")
    table = run_json(proj, "attributes")
    assert {"attribute": "gender", "value": "female", "count": 1, "percentage": 50.0} in table
    assert {d["lang"] for d in run_json(proj, "docs")} == {"en", "zh"}


def test_oversize_file_is_refused(proj, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"The same sentence again. " * (60 * 1024 * 1024 // 25 + 1))
    result = run(proj, "import", path, "--json", ok=False)
    assert "MB" in result.stdout
    assert run_json(proj, "docs") == []


def test_errors_are_one_line_and_change_nothing(proj, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(EN, encoding="utf-8")
    run(proj, "import", path)
    for args in (["code", "1", "9", "3", "x"], ["code", "1", "0", "99999", "x"], ["code", "1", "0", "5", " "],
                 ["code", "7", "0", "5", "x"], ["merge", "a1", "a1"], ["group", "category", "C", "nope"]):
        result = run(proj, *args, ok=False)
        assert result.stderr.startswith("gtcode: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert run_json(proj, "codes") == []


def test_no_project_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GTCODE_PROJECT", raising=False)
    result = CliRunner().invoke(cli, ["docs"])
    assert result.exit_code == 1 and "no gtcode project here" in result.stderr


def test_seed_documents_import_with_sentences_that_round_trip(proj):
    seeds = shared_path("seeds")
    results = run_json(proj, "import", seeds, "--kind", "news")
    assert [r["status"] for r in results] == ["imported"] * 3
    for doc in run_json(proj, "docs"):
        shown = run_json(proj, "show", doc["id"])
        assert doc["lang"] == "en" and len(shown["segments"]) > 20
        for seg in shown["segments"]:
            piece = shown["text"][seg["start"]:seg["end"]]
            assert piece == piece.strip() and piece
