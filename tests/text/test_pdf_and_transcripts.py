"""PDF pages, hyphenation, running headers and columns; .srt/.vtt and stamped transcripts; one-line refusals."""

from __future__ import annotations

import pytest

from gtcode.domain.limits import LimitExceeded, Limits
from gtcode.domain.spans import page_at
from gtcode.text.pdf import PdfError
from gtcode.text.readers import read_path
from gtcode.text.transcripts import TranscriptError, time_at, time_marks
from tests.pdf_samples import HEADER, sample_pdfs


def test_a_pdf_keeps_its_pages_and_reads_as_a_reader_would():
    (doc,) = read_path(sample_pdfs() / "policy.pdf", "policy")
    assert (doc.title, doc.encoding, doc.kind, len(doc.pages)) == ("policy", "pdf", "policy", 3)
    assert HEADER not in doc.text and "Page 1 of 3" not in doc.text  # running header and footer dropped
    assert "public library" in doc.text  # "pub-" + "lic" at a line end
    assert "township staff help older people" in doc.text  # a sentence broken by the page end goes on
    left, right = doc.text.index("have no smartphone"), doc.text.index("The right column comes")
    assert left < right  # the left column is read before the right one
    assert page_at(doc.pages, doc.text.index("March.")) == 1
    assert page_at(doc.pages, doc.text.index("help older people")) == 2
    assert page_at(doc.pages, right) == 2
    assert page_at(doc.pages, doc.text.index("村民在网上预约医生")) == 3
    assert doc.text.endswith("数字城乡共享社会公共资源。村民在网上预约医生。")


def test_pdf_refusals_are_one_line():
    with pytest.raises(PdfError, match=r"^scan\.pdf has no text layer \(a scan, or pictures of text\): run OCR"):
        read_path(sample_pdfs() / "scan.pdf")
    with pytest.raises(PdfError, match=r"^locked\.pdf is encrypted with a password: save an unprotected copy"):
        read_path(sample_pdfs() / "locked.pdf")
    with pytest.raises(LimitExceeded, match=r"^policy\.pdf has more than 2 pages"):
        read_path(sample_pdfs() / "policy.pdf", limits=Limits(elements=2))
    broken = sample_pdfs().parent / "broken-gtcode.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(PdfError, match=r"^broken-gtcode\.pdf is not a readable PDF"):
        read_path(broken)


VTT = """WEBVTT

NOTE recorded at the clinic

00:00:01.000 --> 00:00:04.000
<v Interviewer>How far is the <i>clinic</i>?

00:00:04.500 --> 00:00:08.000 align:start
<v 王丽>很远。我们坐
公交 &amp; 走路。

00:00:08.000 --> 00:00:10.000
<v 王丽>一周两次。

01:12.000 --> 01:15.000
Interviewer: And in winter?
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
Interviewer: Why the bus?

2
00:00:03,500 --> 00:00:06,000
Wang Li: It is cheap and it

3
00:00:06,000 --> 00:00:07,000
stops at the clinic.
"""


def test_subtitles_become_timestamped_turns(tmp_path):
    vtt = tmp_path / "clinic.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    (doc,) = read_path(vtt, "interview")
    assert doc.text == ("[00:00:01] Interviewer: How far is the clinic?\n[00:00:04] 王丽: 很远。我们坐公交 & 走路。一周两次。\n"
                        "[00:01:12] Interviewer: And in winter?")
    srt = tmp_path / "bus.srt"
    srt.write_text(SRT, encoding="utf-8")
    (doc,) = read_path(srt)
    assert doc.text == "[00:00:01] Interviewer: Why the bus?\n[00:00:03] Wang Li: It is cheap and it stops at the clinic."
    marks = time_marks(doc.text)
    assert time_at(marks, doc.text.index("stops")) == "00:00:03" and time_at(marks, 0) == "00:00:01"
    assert time_marks("(12:03) Q: and then?\n[01:02:03] A: yes\nno stamp") == [(0, "00:12:03"), (21, "01:02:03")]


def test_malformed_subtitles_are_refused_in_one_line(tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> soon\nHello.\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"^bad\.srt line 2: not a cue time such as 00:01:02,500 --> "):
        read_path(bad)
    headless = tmp_path / "headless.vtt"
    headless.write_text("00:01.000 --> 00:02.000\nHi\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"^headless\.vtt line 1: a WebVTT file starts with WEBVTT"):
        read_path(headless)
