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
    assert seen["photo.jpg"][0] == "skipped" and "not a format gtcode imports (.txt, .md" in seen["photo.jpg"][1]
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
