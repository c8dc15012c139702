"""Importing files and folders: folders walked whatever their path, nothing skipped silently, titles from file
names, --title and manifests; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtcode.services.corpus import import_paths
from gtcode.services.documents import list_documents
from gtcode.services.errors import GtcodeError


def by_name(results) -> dict[str, tuple[str, str]]:
    return {Path(r.path).name: (r.status, r.message) for r in results}


def test_a_folder_under_a_dot_path_is_walked_and_every_skipped_file_is_listed(project, tmp_path):
    folder = tmp_path / ".local" / "share" / "interviews"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / ".git" / "config.txt").write_text("hidden inside a hidden folder")
    (folder / "wang.txt").write_text("Interviewer: How far is the clinic?\nWang: Far.")
    (folder / "sub" / "li.md").write_text("# Notes\n\nThe bus runs twice a day.")
    (folder / ".draft.txt").write_text("a hidden draft")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    results = import_paths(project, [folder / ".." / "interviews"])
    seen = by_name(results)
    assert seen["wang.txt"][0] == seen["li.md"][0] == "imported"
    assert seen[".git"] == ("skipped", f"{folder / '..' / 'interviews' / '.git'}: a hidden folder (name it to "
                                       "import what it holds); skipped")
    assert seen[".draft.txt"][0] == "skipped" and "a hidden file" in seen[".draft.txt"][1]
    assert seen["photo.jpg"][0] == "skipped" and "not a format gtcode imports (.txt, .srt" in seen["photo.jpg"][1]
    assert "config.txt" not in seen and len(results) == 5
    assert sorted(d.title for d in list_documents(project)) == ["li", "wang"]


def test_title_option_and_docx_core_title(project, tmp_path):
    import docx

    path = tmp_path / "r1.docx"
    document = docx.Document()
    document.core_properties.title = "Interview with R1, 访谈一"
    document.add_paragraph("Interviewer: How do you see a doctor?")
    document.save(path)
    plain = tmp_path / "2021-03-05 clinic.txt"
    plain.write_text("受访者：网络太慢。", encoding="utf-8")
    import_paths(project, [path])
    import_paths(project, [plain], title="张村访谈")
    assert [d.title for d in list_documents(project)] == ["Interview with R1, 访谈一", "张村访谈"]
    with pytest.raises(GtcodeError, match=r"^--title names one document: import one file with it"):
        import_paths(project, [tmp_path], title="Both")
    assert len(list_documents(project)) == 2


def test_a_manifest_gives_titles_kinds_and_attributes(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "p01.txt").write_text("Interviewer: Why the bus?\nP1: It is cheap.")
    (folder / "p02.txt").write_text("问：为什么？\n答：方便。", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,title,kind,gender,age\np01.txt,Participant one,interview,female,34\n"
                                         "p02.txt,第二位,policy,,51\n", encoding="utf-8")
    results = import_paths(project, [folder], manifest=folder / "manifest.csv", attributes={"site": "north"})
    assert [r.status for r in results] == ["imported", "imported"]  # the manifest itself is not a document
    documents = list_documents(project)
    assert [(d.title, d.kind, d.attributes) for d in documents] == [
        ("Participant one", "interview", {"site": "north", "gender": "female", "age": 34}),
        ("第二位", "policy", {"site": "north", "age": 51}),
    ]
    yaml_manifest = tmp_path / "more.yaml"
    (tmp_path / "p03.txt").write_text("Q: And you?\nA: Never.")
    yaml_manifest.write_text("- file: p03.txt\n  title: Third\n  attributes: {gender: male}\n  region: rural\n")
    import_paths(project, [], manifest=yaml_manifest)
    assert list_documents(project)[-1].title == "Third"
    assert list_documents(project)[-1].attributes == {"region": "rural", "gender": "male"}


def test_a_manifest_naming_a_missing_file_is_refused_before_anything_changes(project, tmp_path):
    (tmp_path / "a.txt").write_text("Some text.")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,title\na.txt,A\ngone.txt,Gone\n")
    with pytest.raises(GtcodeError, match=r"^m\.csv row 3: names gone\.txt, which is not there; fix the name"):
        import_paths(project, [tmp_path / "a.txt"], manifest=manifest)
    bad_kind = tmp_path / "k.yaml"
    bad_kind.write_text("a.txt: {title: A, kind: diary}\n")
    with pytest.raises(GtcodeError, match=r"^k\.yaml: unknown kind 'diary'"):
        import_paths(project, [], manifest=bad_kind)
    assert list_documents(project) == []


def test_a_pdf_keeps_page_numbers_and_a_transcript_its_turn_times(project, tmp_path):
    from gtcode.services.documents import get_document
    from tests.pdf_samples import sample_pdfs
    from tests.text.test_pdf_and_transcripts import VTT

    vtt = tmp_path / "clinic.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    results = import_paths(project, [sample_pdfs() / "policy.pdf", sample_pdfs() / "scan.pdf", vtt], kind="interview")
    assert [r.status for r in results] == ["imported", "failed", "imported"]
    assert results[1].message.startswith("scan.pdf has no text layer")
    pdf, text, segments = get_document(project, results[0].document.id)
    def page(words: str) -> int:
        (found,) = [s.page for s in segments if words in text[s.start:s.end]]
        return found

    assert (page("opened a shared"), page("Broadband reached"), page("right column"), page("村民")) == (1, 2, 2, 3)
    _, text, segments = get_document(project, results[2].document.id)
    assert [(s.time, s.speaker) for s in segments if "winter" in text[s.start:s.end]] == [("00:01:12", "Interviewer")]
    assert {s.time for s in segments if "王丽" == s.speaker} == {"00:00:04"}
    assert all(s.page is None for s in segments)


def test_an_older_project_gains_the_new_columns_keeping_its_rows(tmp_path, db_url):
    from sqlalchemy import text

    from gtcode.store.engine import HEAD_REVISION, current_revision, migrate
    from tests.conftest import engine_at

    engine = engine_at(db_url or f"sqlite:///{tmp_path / 'old.sqlite'}", "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO document (title, kind, lang, text, characters, sha256, encoding, source, split, "
                          "created_at) VALUES ('d', 'other', 'en', 'hello world', 11, 'x', 'utf-8', '', 'build', "
                          "'2026-01-01')"))
        conn.execute(text('INSERT INTO segment (document_id, idx, start, "end") VALUES (1, 0, 0, 11)'))
    migrate(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, title, pages, material, case_id FROM document")).all() == \
            [(1, "d", None, None, None)]
        assert conn.execute(text("SELECT page, time FROM segment")).all() == [(None, None)]
        conn.execute(text("DELETE FROM document"))
        conn.execute(text("INSERT INTO document (title, kind, lang, text, characters, sha256, encoding, source, split, "
                          "created_at) VALUES ('e', 'other', 'en', 'x', 1, 'y', 'utf-8', '', 'build', '2026-01-01')"))
        assert conn.execute(text("SELECT id FROM document")).scalar() == 2  # 1 was freed, not given again
        assert conn.execute(text("SELECT count(*) FROM segment")).scalar() == 0  # the cascade still holds
    engine.dispose()


def test_after_the_release_an_import_says_what_its_documents_are(project, tmp_path):
    from gtcode.services.corpus import add_document
    from gtcode.services.holdout import release_holdout, split_holdout

    for number in range(3):
        add_document(project, f"d{number}", f"Document number {number} about buses.")
    new = tmp_path / "new.txt"
    new.write_text("A theoretical sample: the night bus.")
    with pytest.raises(GtcodeError, match=r"^--phase is for imports after the hold-out release"):
        import_paths(project, [new], material="build")
    from gtcode.services import codes
    from gtcode.services.coding import code_span

    code_span(project, 1, 0, 8, "Numbered")
    codes.group(project, "concept", "Counting", ["a1"])
    split_holdout(project, documents=["3"])
    release_holdout(project)
    with pytest.raises(GtcodeError, match=r"^the hold-out is released: say whether these documents are new build "
                                          r"material \(theoretical sampling\) or further saturation material"):
        import_paths(project, [new])
    assert len(list_documents(project)) == 3
    (sampled,) = import_paths(project, [new], material="build")
    more = tmp_path / "more.txt"
    more.write_text("Further material: the school bus.")
    (further,) = import_paths(project, [more], material="saturation")
    assert (sampled.document.split, sampled.document.material) == ("build", "build")
    assert (further.document.split, further.document.material) == ("holdout", "saturation")
    assert [d.material for d in list_documents(project)] == [None, None, None, "build", "saturation"]


def test_an_error_while_writing_rolls_back_the_open_unit_and_keeps_the_units_before(project, tmp_path, monkeypatch):
    from dataclasses import replace

    import gtcode.services.corpus as corpus
    from gtcode.services.search import search
    from gtcode.text import readers

    monkeypatch.setattr(corpus, "UNIT_DOCUMENTS", 2)  # the import commits every two documents (however slowly)
    monkeypatch.setattr(corpus, "UNIT_SECONDS", 3600)
    folder = tmp_path / "in"
    folder.mkdir()
    for n, words in enumerate(("ferry clinic", "school bus", "library tablets", "broken 学校", "never reached"), 1):
        (folder / f"d{n}.txt").write_text(f"Interviewer: Tell me.\nR1: The {words} matter here.", encoding="utf-8")
    read, typed = readers.read_path, corpus.typed_attribute

    def with_attribute(path, **options):  # each file's document gets an attribute, d4's a refused one
        return [replace(raw, attributes={"broken" if "broken" in raw.text else "fine": 1})
                for raw in read(path, **options)]

    def refusing(name, value):
        if name == "broken":
            raise GtcodeError("refused attribute")
        return typed(name, value)

    monkeypatch.setattr(readers, "read_path", with_attribute)  # import_paths imports it when it runs
    monkeypatch.setattr(corpus, "typed_attribute", refusing)
    with pytest.raises(GtcodeError, match="refused attribute"):
        import_paths(project, [folder])
    documents = list_documents(project)
    assert [d.title for d in documents] == ["d1", "d2"]  # d3 went with d4's unit; d5 was never read
    assert [d.attributes for d in documents] == [{"fine": 1}, {"fine": 1}]
    assert sorted({h.document_id for h in search(project, "ferry OR school OR library OR 学校")}) == [d.id for d in documents]
    results = import_paths(project, [folder / "d1.txt", folder / "d3.txt"])
    assert [r.status for r in results] == ["skipped", "imported"]


@pytest.mark.parametrize("unit", [1, 200])
def test_a_text_met_again_in_the_same_import_is_skipped_in_its_own_unit_or_a_later_one(project, tmp_path, monkeypatch,
                                                                                       unit):
    import gtcode.services.corpus as corpus

    monkeypatch.setattr(corpus, "UNIT_DOCUMENTS", unit)  # 1: each document in a unit of its own
    folder = tmp_path / "in"
    folder.mkdir()
    same = "Interviewer: Tell me.\nR1: The ferry stops in winter."
    for name, text in (("a.txt", same), ("b.txt", "R1: " + "x" * (len(same) - 4)),
                       ("c.txt", same), ("d.txt", same.replace("\n", "\r\n"))):
        (folder / name).write_text(text, encoding="utf-8", newline="")
    seen = by_name(import_paths(project, [folder]))  # b: another text of a's length
    first = next(d for d in list_documents(project) if d.title == "a")
    assert [seen[name][0] for name in ("a.txt", "b.txt", "c.txt", "d.txt")] == ["imported", "imported", "skipped",
                                                                                   "skipped"]
    assert seen["c.txt"][1].endswith(f"same content as document {first.id} (a); skipped")
    assert sorted(d.title for d in list_documents(project)) == ["a", "b"]


def test_an_interviews_sentences_are_cut_by_the_turns_that_name_their_speakers(project, tmp_path):
    """In an interview any name-like label is a speaker (``Wang Li:``, ``R1:``, ``王丽：``): its label belongs to no
    sentence, as a known label's does, and no sentence runs on from one speaker's turn into the next one's (a
    long Chinese line without end punctuation is otherwise taken to be wrapped)."""
    from gtcode.services.documents import get_document
    from gtcode.text.speakers import speaker_turns

    english, chinese = tmp_path / "wang.txt", tmp_path / "wang_zh.txt"
    english.write_text("Interviewer: When did the broadband arrive?\n[00:00:09] Wang Li: In 2019. Before that we "
                       "walked.\nR1: The signal drops when it rains.\n", encoding="utf-8")
    chinese.write_text("采访者：网络怎么样\n王丽：以前我们村里上网要走到乡里的网吧去而且那里的电脑也很旧\n"
                       "李强（村干部）：现在每家都通了光纤。\n", encoding="utf-8")
    results = import_paths(project, [english, chinese], kind="interview")
    for result in results:
        _, text, segments = get_document(project, result.document.id)
        turns = speaker_turns(text, "interview")
        for segment in segments:
            (turn,) = [t for t in turns if t.start <= segment.start < t.end]
            assert (turn.speaker, turn.body_start <= segment.start, segment.end <= turn.end) == (segment.speaker,
                                                                                                 True, True)
    _, text, segments = get_document(project, results[0].document.id)
    assert [(s.speaker, text[s.start:s.end]) for s in segments] == [
        ("Interviewer", "When did the broadband arrive?"), ("Wang Li", "In 2019."), ("Wang Li", "Before that we walked."),
        ("R1", "The signal drops when it rains.")]
    _, text, segments = get_document(project, results[1].document.id)
    assert [(s.speaker, text[s.start:s.end]) for s in segments] == [
        ("采访者", "网络怎么样"), ("王丽", "以前我们村里上网要走到乡里的网吧去而且那里的电脑也很旧"),
        ("李强（村干部）", "现在每家都通了光纤。")]


def test_the_cyclic_collector_waits_while_an_import_runs_and_is_as_it_was_afterwards(project, tmp_path):
    import gc

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(f"Interviewer: Why?\nR1: Because of {name}.", encoding="utf-8")
    states = []
    results = import_paths(project, [folder], progress=lambda *_: states.append(gc.isenabled()))
    assert [r.status for r in results] == ["imported", "imported"] and states == [False, False] and gc.isenabled()
    rows = tmp_path / "rows.csv"
    rows.write_text("title,text\none,The ferry.\ntwo,The bus.\n", encoding="utf-8")
    with pytest.raises(GtcodeError, match="--title names one document"):  # refused inside the open unit
        import_paths(project, [rows], title="One")
    assert gc.isenabled()
    gc.disable()
    try:
        import_paths(project, [folder / "a.txt"])
        assert not gc.isenabled()
    finally:
        gc.enable()
