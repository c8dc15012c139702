"""OpenDocument text and HTML: paragraphs as lines, titles from their properties, within the limits."""

from __future__ import annotations

import io
import zipfile

import pytest

from gtcode.domain.limits import LimitExceeded, Limits
from gtcode.text.markup import MarkupError
from gtcode.text.readers import read_path

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def odt_bytes(body: str, title: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", f'<?xml version="1.0"?><office:document-content {NS}><office:body>'
                                        f'<office:text>{body}</office:text></office:body></office:document-content>')
        if title is not None:
            archive.writestr("meta.xml", f'<?xml version="1.0"?><office:document-meta {NS}><office:meta>'
                                         f'<dc:title>{title}</dc:title></office:meta></office:document-meta>')
    return buffer.getvalue()


def test_odt(tmp_path):
    body = ('<text:h>访谈记录</text:h><text:p>Interviewer: How<text:s text:c="2"/>far?<text:tab/>'
            '<text:span>Very</text:span> far.<text:line-break/>Next line.</text:p>'
            '<text:list><text:list-item><text:p>受访者：很远。</text:p></text:list-item></text:list>'
            '<table:table><table:table-row><table:table-cell><text:p>in a table</text:p></table:table-cell>'
            '</table:table-row></table:table>')
    path = tmp_path / "wang.odt"
    path.write_bytes(odt_bytes(body, title="Wang Li, 2021"))
    (doc,) = read_path(path, "interview")
    assert doc.text == "访谈记录\nInterviewer: How  far?\tVery far.\nNext line.\n受访者：很远。"
    assert (doc.title, doc.encoding, doc.kind) == ("Wang Li, 2021", "odt", "interview")
    untitled = tmp_path / "untitled.odt"
    untitled.write_bytes(odt_bytes("<text:p>Text.</text:p>"))
    assert read_path(untitled)[0].title == "untitled"
    with pytest.raises(LimitExceeded, match=r"^deep\.odt is nested more than 5 levels deep"):
        deep = tmp_path / "deep.odt"
        deep.write_bytes(odt_bytes("<text:p>" + "<text:span>" * 8 + "x" + "</text:span>" * 8 + "</text:p>"))
        read_path(deep, limits=Limits(depth=5))
    broken = tmp_path / "broken.odt"
    broken.write_bytes(b"PK not really")
    with pytest.raises(MarkupError, match=r"^broken\.odt is not a readable \.odt file"):
        read_path(broken)


def test_html(tmp_path):
    path = tmp_path / "notice.html"
    path.write_text("<html><head><title>County notice 通知</title><style>p{color:red}</style>"
                    "<script>alert('x')</script></head><body><h1>Broadband for villages</h1>"
                    "<p>The county <b>opened</b> a platform.<br>Second line.</p><ul><li>One</li><li>二</li></ul>"
                    "<!-- a comment --><p>Last &amp; final.</p></body></html>", encoding="utf-8")
    (doc,) = read_path(path, "news")
    assert doc.text == "Broadband for villages\nThe county opened a platform.\nSecond line.\nOne\n二\nLast & final."
    assert doc.title == "County notice 通知"
    empty = tmp_path / "empty.htm"
    empty.write_text("<html><body><script>only()</script></body></html>")
    with pytest.raises(MarkupError, match=r"^empty\.htm has no text outside scripts and styles"):
        read_path(empty)
