"""A PDF from a real-world producer (LibreOffice Writer's export, committed as tests/text/samples/county-plan.pdf;
tests/text/samples/make_county_plan.py says how it was made): imported on SQLite and PostgreSQL, it keeps its
three pages and the text a reader expects: every paragraph whole, headings apart, the running header and the
page footer gone, a sentence broken by a page end joined, English and Chinese."""

from __future__ import annotations

from pathlib import Path

from gtcode.services.corpus import import_paths
from gtcode.services.documents import get_document
from tests.text.samples.make_county_plan import CHINESE, ENGLISH, HEADER, TITLE

PDF = Path(__file__).with_name("samples") / "county-plan.pdf"


def test_a_word_processors_pdf_keeps_its_pages_and_reads_as_written(project):
    assert PDF.stat().st_size < 200_000
    [result] = import_paths(project, [PDF], kind="policy")
    info, text, segments = get_document(project, result.document.id)
    assert info.title == "county-plan"
    sentences = {text[s.start:s.end]: s.page for s in segments}
    assert {s.page for s in segments} == {1, 2, 3}
    flat = " ".join(text.split())
    for _heading, paragraphs in ENGLISH:
        for paragraph in paragraphs:
            assert paragraph in flat, paragraph  # words, spaces and punctuation as written
    for _heading, paragraphs in CHINESE:
        for paragraph in paragraphs:
            assert paragraph in text, paragraph  # Chinese lines joined without a space
    assert HEADER not in text and "Page 1" not in text and "Page 2" not in text  # running header, footer
    assert text.count(TITLE) == 1  # the title, not the header that repeats it
    assert sentences[TITLE] == 1 and sentences["1. Purpose"] == 1  # headings are sentences of their own
    assert sentences["4. Libraries and culture"] == 2 and sentences["七、中文摘要"] == 3
    broken = ENGLISH[2][1][-1]  # LibreOffice ended page 1 inside this sentence
    assert sentences[broken] == 1 and "on site \n" not in text
    assert sentences["本方案说明县里在二〇二四年至二〇二六年间如何用数字手段把公共服务送到村里。"] == 3
    assert sentences["Where a service is little used, the office asks the villagers why before it is changed or "
                     "closed."] == 2
