"""`gtcode search`: keyword in context, JSON, table files and auto-coding with one undo step."""

import csv

from rich.cells import cell_len

from gtcode.services.corpus import add_document
from tests.cli.helpers import run, run_json

EN = "Respondent: The clinic is far away. We take a video call with the doctor."
ZH = "受访者：中华人民共和国成立以后，县医院开通了远程会诊。"


def test_search_kwic_json_and_export(project, tmp_path):
    add_document(project, "Farmer A", EN, kind="interview")
    add_document(project, "村民访谈", ZH, kind="interview", lang="zh")
    lines = run(project.directory, "search", "clinics OR 人民", "--kwic", "--context", "12").stdout.splitlines()
    assert lines[0].split() == ["hit", "doc:pos", "speaker", "left", "|", "keyword", "|", "right"]
    assert [line.split()[0] for line in lines[2:4]] == ["1", "2"]
    assert lines[2].split()[-6:] == ["ondent:", "The", "clinic", "is", "far", "away"] and lines[-1] == "2 hits"
    assert lines[3].split()[-3:] == ["受访者：中华", "人民", "共和国成立以后，县医院开"]
    assert cell_len(lines[2][:lines[2].index(" clinic ")]) == cell_len(lines[3][:lines[3].index(" 人民 ")])  # aligned
    hits = run_json(project.directory, "search", "人民")
    assert [(h["keyword"], h["left"]) for h in hits] == [("人民", "受访者：中华")]
    out = tmp_path / "hits.csv"
    run(project.directory, "search", "video NEAR/3 doctor", "--out", str(out))
    with out.open(encoding="utf-8") as handle:
        assert [row["keyword"] for row in csv.DictReader(handle)] == ["video", "doctor"]
    run(project.directory, "search", "(", "--regex", ok=False)


def test_code_as_previews_codes_and_undoes_in_one_step(project):
    add_document(project, "Farmer A", EN, kind="interview")
    preview = run(project.directory, "search", "clinic OR doctor", "--code-as", "Care", "--unit", "sentence",
                  "--preview").stdout
    assert preview.strip() == "2 hits, coded as sentences with (new) Care: would make 2 codings (0 there already)"
    run(project.directory, "search", "clinic OR doctor", "--code-as", "Care", "--unit", "sentence", input="n\n", ok=False)
    made = run_json(project.directory, "search", "clinic OR doctor", "--code-as", "Care", "--unit", "sentence")
    assert (made["made"], made["code_ref"]) == (2, "a1")
    quotes = [c["quote"] for c in run_json(project.directory, "show", "1")["codings"]]
    assert quotes == ["The clinic is far away.", "We take a video call with the doctor."]
    assert "undone: code 2 sentences" in run(project.directory, "undo").stdout
    assert run_json(project.directory, "show", "1")["codings"] == []


def test_hits_picked_by_their_numbers_are_coded_and_the_rest_left(project):
    add_document(project, "Farmer A", EN + " The clinic also calls back.", kind="interview")
    add_document(project, "村民访谈", "受访者：诊所很远。clinic 也很小。", kind="interview", lang="zh")
    listed = run(project.directory, "search", "clinic", "--sort", "right").stdout.splitlines()
    assert [line.split(" ", 2)[:2] for line in listed[:-1]] == [["2.", "1"], ["1.", "1"], ["3.", "2"]]
    preview = run(project.directory, "search", "clinic", "--code-as", "Clinic", "--hits", "1,3", "--preview").stdout
    assert preview.strip() == "2 hits, coded as hits with (new) Clinic: would make 2 codings (0 there already)"
    run(project.directory, "search", "clinic", "--code-as", "Clinic", "--hits", "3,1,1", "--yes")
    assert [(c["quote"], c["start"]) for c in run_json(project.directory, "show", "1")["codings"]] == [("clinic", 16)]
    assert [(c["quote"], c["start"]) for c in run_json(project.directory, "show", "2")["codings"]] == [("clinic", 9)]
    assert "--hits 4: the search finds 3 hits, numbered 1-3" in run(
        project.directory, "search", "clinic", "--code-as", "Clinic", "--hits", "2-4", "--yes", ok=False).stderr
    assert "give --code-as LABEL too" in run(project.directory, "search", "clinic", "--hits", "1", ok=False).stderr
    assert "e.g. 1,3,5-7" in run(project.directory, "search", "clinic", "--code-as", "C", "--hits", "x", ok=False).stderr


def test_query_matrix_and_words_from_the_command_line(project, tmp_path):
    from openpyxl import load_workbook

    doc = add_document(project, "Farmer A", EN, kind="interview", attributes={"area": "rural"}).document.id
    run(project.directory, "search", "clinic", "--code-as", "Distance", "--unit", "sentence", "--yes")
    run(project.directory, "search", '"video call"', "--code-as", "Telemedicine", "--yes")
    assert [q["text"] for q in run_json(project.directory, "query", "a1 OR a2")] == [
        "The clinic is far away.", "video call"]
    assert run_json(project.directory, "query", "a1 WITHIN 1 a2")[0]["document_id"] == doc
    lines = run(project.directory, "matrix", "--columns", "attribute:area").stdout.splitlines()
    assert [line.split() for line in lines] == [["code", "rural"], ["-" * 15, "-----"], ["a1", "Distance", "1"],
                                                ["a2", "Telemedicine", "1"]]
    out = tmp_path / "matrix.xlsx"
    run(project.directory, "matrix", "--count", "words", "--out", out)
    sheet = load_workbook(out).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["code", "1 Farmer A"], ["a1 Distance", 35.7], ["a2 Telemedicine", 14.3]]
    words = run_json(project.directory, "words", "--top", "3")
    assert [w["word"] for w in words] == ["away", "clinic", "doctor"]  # spaCy's stop list holds "call"
    bars = run(project.directory, "words", "--code", "a2").stdout.splitlines()
    assert [line.split() for line in bars[2:]] == [["video", "1", "1", "█" * 30]]
    assert "no document is in a case" in run(project.directory, "matrix", "--columns", "cases", ok=False).stderr
    other = add_document(project, "村民访谈", "村里的诊所很远。医生很忙。", kind="interview", lang="zh").document.id
    run(project.directory, "search", "诊所", "--code-as", "Distance", "--yes")
    run(project.directory, "case", "set", "P01", "--doc", str(doc))
    run(project.directory, "case", "set", "P02", "--doc", str(other))
    by_case = run_json(project.directory, "matrix", "--columns", "cases", "--count", "cases")
    assert (by_case["columns"], by_case["cells"]) == (["P01", "P02"], [[1, 1], [1, 0]])
    assert {h["document_id"] for h in run_json(project.directory, "search", "clinic OR 诊所", "--case", "P02")} == {other}
    assert [q["text"] for q in run_json(project.directory, "query", "a1", "--case", "P02")] == ["诊所"]
    assert [w["word"] for w in run_json(project.directory, "words", "--case", "P02")] == ["医生", "忙", "村里", "诊所", "远"]


def test_a_viewer_is_refused_before_being_asked_to_confirm(project):
    from gtcode.services.team import add_coder

    add_document(project, "Farmer A", EN, kind="interview")
    add_coder(project, "vic", role="viewer")
    result = run(project.directory, "--coder", "vic", "search", "clinic", "--code-as", "Distance", ok=False)
    assert "is a viewer" in result.output and "Code them?" not in result.output


def test_a_regex_that_backtracks_for_ever_is_stopped_by_the_projects_limit(project):
    add_document(project, "Long", "a" * 60 + "! The clinic is far.", kind="interview")
    config = project.directory / "gtcode.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[limits]\nregex_seconds = 0.05\n", encoding="utf-8")
    refused = run(project.directory, "search", "--regex", "(a|aa)+$", ok=False)
    assert refused.stderr == ("gtcode: error: --regex '(a|aa)+$' took more than 0.05 s (a pattern with nested repeats "
                              "such as (a+)+ can take for ever): simplify it, or raise `regex_seconds` under [limits] "
                              "in gtcode.toml\n")
    config.write_text(config.read_text(encoding="utf-8").replace("regex_seconds = 0.05", "regex_seconds = 60"),
                      encoding="utf-8")
    assert [h["keyword"] for h in run_json(project.directory, "search", "--regex", r"cl\w+c")] == ["clinic"]


def test_hits_and_quotations_carry_the_pdf_page_and_the_turn_time_into_exports(project, tmp_path):
    from gtcode.services.corpus import import_paths
    from tests.pdf_samples import sample_pdfs
    from tests.text.test_pdf_and_transcripts import VTT

    vtt = tmp_path / "clinic.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    pdf, transcript = (r.document.id for r in import_paths(project, [sample_pdfs() / "policy.pdf", vtt]))
    found = run_json(project.directory, "search", "村民 OR library OR winter OR 公交")
    assert [(h["document_id"], h["keyword"], h["page"], h["time"]) for h in found] == [
        (pdf, "library", 2, None), (pdf, "村民", 3, None), (transcript, "公交", None, "00:00:04"),
        (transcript, "winter", None, "00:01:12")]
    out = tmp_path / "hits.csv"
    run(project.directory, "search", "村民 OR winter", "--out", str(out))
    with out.open(encoding="utf-8") as handle:
        assert [(row["hit"], row["page"], row["time"]) for row in csv.DictReader(handle)] == [
            ("1", "3", ""), ("2", "", "00:01:12")]
    run(project.directory, "search", "村民", "--code-as", "Villagers", "--unit", "sentence", "--yes")
    run(project.directory, "search", "winter", "--code-as", "Seasons", "--yes")
    quotations = tmp_path / "quotations.csv"
    run(project.directory, "query", "a1 OR a2", "--out", str(quotations))
    with quotations.open(encoding="utf-8") as handle:
        assert [(row["text"], row["page"], row["time"]) for row in csv.DictReader(handle)] == [
            ("数字城乡共享社会公共资源。村民在网上预约医生。", "3", ""), ("winter", "", "00:01:12")]
