"""Reading .txt/.md, .docx, .csv and .xlsx files into raw documents."""

import hashlib

import pytest

from gtcode.domain.limits import LimitExceeded
from gtcode.text.encoding import TextDecodeError
from gtcode.text.readers import ReaderError, read_path

TRADITIONAL = "受訪者：我們村的網路很慢。\n採訪者：那您怎麼辦？"


def test_txt_and_md(tmp_path):
    txt = tmp_path / "interview_01.txt"
    data = ("访谈一\r\n" + "问：您好。\r\n").encode("gb18030")
    txt.write_bytes(data)
    (doc,) = read_path(txt, "interview")
    assert (doc.title, doc.text, doc.encoding, doc.kind) == ("interview_01", "访谈一\n问：您好。\n", "gb18030", "interview")
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.source == str(txt)
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(TRADITIONAL.encode("big5"))
    (doc,) = read_path(big5)
    assert (doc.text, doc.encoding) == (TRADITIONAL, "big5")
    md = tmp_path / "notes.md"
    md.write_text("\n# Policy on data\n\nBody.", encoding="utf-8")
    assert read_path(md)[0].title == "notes"  # the file name, as in every QDA tool
    long = tmp_path / "long.txt"
    long.write_text("word " * 40, encoding="utf-8")
    assert read_path(long)[0].title == "long"


def test_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Interview with R1")
    document.add_paragraph("Interviewer: How do you see a doctor?")
    document.add_paragraph("R1: 我们用手机挂号。")
    path = tmp_path / "r1.docx"
    document.save(path)
    (doc,) = read_path(path, "interview")
    assert doc.text == "Interview with R1\nInterviewer: How do you see a doctor?\nR1: 我们用手机挂号。"
    assert (doc.title, doc.encoding) == ("r1", "docx")  # no core title: the file name
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ReaderError, match=r"^broken\.docx is not a readable \.docx"):
        read_path(broken)


def test_csv_rows(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(
        "ID,Age,Score,Region,回答,Zip\nr1,34,4.5,农村,网络太慢。,007\nr2,,3,城市,挺好的。,\nr3,50,1,城市,,\n"
        .encode("gb18030")
    )
    docs = read_path(path, "interview")
    assert [d.title for d in docs] == ["r1", "r2"]
    assert docs[0].attributes == {"ID": "r1", "Age": 34, "Score": 4.5, "Region": "农村", "Zip": "007"}
    assert docs[1].attributes == {"ID": "r2", "Score": 3, "Region": "城市"}
    assert docs[0].text == "网络太慢。" and docs[0].encoding == "gb18030"
    assert docs[0].sha256 == hashlib.sha256("网络太慢。".encode()).hexdigest()


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,age\nWang,30\n", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"^people\.csv has no text column .*its columns are: name, age"):
        read_path(path)
    docs = read_path(path, text_column="Name")
    assert [(d.title, d.text, d.attributes) for d in docs] == [("people.csv row 2", "Wang", {"age": 30})]
    with pytest.raises(ReaderError, match="has no column 'notes'"):
        read_path(path, text_column="notes")


def test_xlsx_rows(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Gender", "Age", "Response"])
    sheet.append(["female", 41, "The clinic has no internet."])
    sheet.append([None, 2.5, "Line one\r\nline two"])
    path = tmp_path / "survey.xlsx"
    book.save(path)
    docs = read_path(path)
    assert [d.title for d in docs] == ["survey.xlsx row 2", "survey.xlsx row 3"]
    assert docs[0].attributes == {"Gender": "female", "Age": 41}
    assert docs[1].attributes == {"Age": 2.5} and docs[1].text == "Line one\nline two"
    assert docs[0].encoding == "xlsx"


def test_refusals(tmp_path):
    with pytest.raises(ReaderError, match=r"files ending \.rtf are not supported; use one of \.txt"):
        read_path(tmp_path / "paper.rtf")
    with pytest.raises(ReaderError, match="no such file"):
        read_path(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(TextDecodeError, match="empty.txt is empty"):
        read_path(empty)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"GIF89a\x00\x01\x02")
    with pytest.raises(TextDecodeError, match="looks binary"):
        read_path(binary)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(LimitExceeded, match=r"big\.txt is 2\.0 KB \(limit: 1\.0 KB per file\)"):
        read_path(big, max_bytes=1024)
