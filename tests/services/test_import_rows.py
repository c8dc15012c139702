"""The rows an import writes, compared with a recorded copy: documents, their sentences with speaker, role, page
and time, attributes, which sentences have index rows, and what each import result says; a small mixed
Chinese/English corpus (interviews with speaker turns, a code-switching one, a timestamped transcript, a
subtitle file, a PDF, a table of rows with attributes and a case, a duplicate), on SQLite and PostgreSQL.

The recorded copy (``import_rows.json``) was written by the import before its bulk rewrite (issue 19), so a
faster import must write exactly the same rows. Regenerate it only when a change of the rows is intended:
``GTCODE_WRITE_IMPORT_ROWS=1 pytest tests/services/test_import_rows.py -k sqlite`` and read the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy import text as sql

from gtcode.services.corpus import add_document, import_paths
from gtcode.store.tables import AttributeRow, DocumentRow, SearchIndexRow, SegmentRow

RECORDED = Path(__file__).with_name("import_rows.json")

ZH_INTERVIEW = """访谈时间：2021年3月5日
访谈对象：王女士，45岁，村民

采访者：您平时怎么看病？
受访者：以前要坐两个小时的车去县医院。现在村里有了远程诊室，医生在屏幕上看病……方便多了！
采访者：网络怎么样？
受访者：信号不太好，下雨天就断。我们希望政府能多建几个基站；孩子上网课也需要。
王女士（村民）：还有一点，老人不会用手机。
"""

EN_INTERVIEW = """Interview date: 12 May 2021
Interviewee: Mrs Wang, 45, farmer

Q: How do you see a doctor now?
A: Before, we took the bus for two hours, e.g. to the county hospital. Now Dr. Li sees us on a screen.
It works most days.
Q: And the internet?
R1: The signal drops when it rains. No. 3 school shares the line with us, etc. and the U.S. firm left.
Dr. Chen: We asked the county (twice) for another mast.
"""

SWITCHING = """Interviewer: Do you use the village app?
受访者A：用的。每天都看通知。
Interviewer: What for?
受访者A：主要是看补贴。Sometimes I read the news too. 还有天气预报。
"""

TIMED = """[00:00:05] Interviewer: When did the broadband arrive?
[00:00:09] Wang Li: In 2019. Before that we walked to the township office.
(00:01:30) Interviewer: Who helped you?
00:02:10 Wang Li: My daughter. 她教我用微信。
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
Interviewer: Why the bus?

2
00:00:03,500 --> 00:00:06,000
Wang Li: It is cheap and it
stops at the clinic.
"""

ROWS = """title,text,gender,age,case
Row one,"Interviewer: Is there a library? 受访者：有，但是很少开门。",female,45,Village A
Row two,"The ferry carries patients twice a week. It stops in winter.",male,61.5,Village B
"""


def corpus(folder: Path) -> Path:
    """The files of the corpus, and a copy of one of them (a duplicate, skipped)."""
    from bench import generate
    from tests.pdf_samples import sample_pdfs

    folder.mkdir()
    for name, text in (("zh_interview.txt", ZH_INTERVIEW), ("en_interview.txt", EN_INTERVIEW),
                       ("switching.txt", SWITCHING), ("timed.txt", TIMED), ("bus.srt", SRT), ("rows.csv", ROWS)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "zh_gb18030.txt").write_bytes(ZH_INTERVIEW.replace("\n", "\r\n").encode("gb18030"))  # the same text
    for doc in generate.make_documents(4, 12_000, seed=7):
        (folder / f"generated_{doc.title.split(' (')[0].replace(' ', '_')}.txt").write_text(doc.text, encoding="utf-8")
    (folder / "policy.pdf").write_bytes((sample_pdfs() / "policy.pdf").read_bytes())
    return folder


def written(project, folder: Path) -> dict:
    """Everything the imports wrote, with ids as their order (the back ends number rows their own way) and the
    folder's path left out."""
    results = import_paths(project, [folder], kind="interview", attributes={"wave": 2})
    results.append(add_document(project, "In memory", "他说：“好。”Then he left. 完了。", lang="auto"))
    with project.read() as session:
        documents = session.execute(select(DocumentRow).order_by(DocumentRow.id)).scalars().all()
        order = {row.id: n for n, row in enumerate(documents)}
        segments = session.execute(select(SegmentRow).order_by(SegmentRow.document_id, SegmentRow.idx)).scalars().all()
        sentence = {row.id: (order[row.document_id], row.idx) for row in segments}
        attributes = session.execute(select(AttributeRow)).scalars().all()
        indexed = _indexed(session)
        place = str(folder)
        return {
            "results": [[r.status, r.message.replace(place, "<folder>"),
                         None if r.document is None else {
                             **{k: v for k, v in vars(r.document).items() if k not in ("id", "sha256")},
                             "source": r.document.source.replace(place, "<folder>"), "id": order[r.document.id]}]
                        for r in results],
            "documents": [[row.title, row.kind, row.lang, row.characters, _hash(row), row.encoding,
                           row.source.replace(place, "<folder>"), row.split, row.pages, row.material, row.case_id,
                           row.text] for row in documents],
            "segments": [[order[row.document_id], row.idx, row.start, row.end, row.speaker, row.role, row.page,
                          row.time] for row in segments],
            "attributes": sorted([order[row.document_id], row.name, row.type, row.value] for row in attributes),
            "indexed": sorted([*sentence[segment_id], order[document_id]] for segment_id, document_id in indexed),
        }


def _indexed(session) -> list:
    """``(segment id, document id)`` of each sentence the back end's index holds terms of: PostgreSQL's
    ``search_index`` rows; on SQLite the sentences its FTS5 table finds by any of its tokens."""
    if session.get_bind().dialect.name != "sqlite":
        return session.execute(select(SearchIndexRow.segment_id, SearchIndexRow.document_id)).all()
    found: set[int] = set()
    for (token,) in session.execute(sql("SELECT term FROM search_fts_vocab")).all():
        found.update(session.execute(sql("SELECT rowid FROM search_fts WHERE search_fts MATCH :token"),
                                    {"token": '"' + token.replace('"', '""') + '"'}).scalars())
    return session.execute(select(SegmentRow.id, SegmentRow.document_id).where(SegmentRow.id.in_(found))).all()


def _hash(row: DocumentRow) -> str:
    """The document's hash, or "file" when it is the hash of its file's bytes (the PDF sample's vary)."""
    path = Path(row.source)
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256:
        return "file"
    return row.sha256


def test_an_import_writes_the_recorded_rows(project, tmp_path, backend):
    rows = json.loads(json.dumps(written(project, corpus(tmp_path / "corpus")), ensure_ascii=False))
    if os.environ.get("GTCODE_WRITE_IMPORT_ROWS") and backend == "sqlite":
        RECORDED.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert [r[:2] for r in rows["results"]] == [r[:2] for r in recorded["results"]]
    assert rows["documents"] == recorded["documents"]
    assert rows["segments"] == recorded["segments"]
    assert rows["attributes"] == recorded["attributes"]
    assert rows["indexed"] == recorded["indexed"]
    assert rows == recorded
    statuses = [status for status, _message, _info in rows["results"]]
    assert statuses.count("skipped") == 1 and "failed" not in statuses  # the UTF-8 copy of the GB18030 file
    assert {speaker for _d, _i, _s, _e, speaker, _r, _p, _t in rows["segments"]} >= {"采访者", "受访者", "Q", "Dr. Chen"}
    assert any(page == 2 for *_, page, _time in rows["segments"]) and any(time for *_, time in rows["segments"])
